"""A SQL console's use of sqlparse: pretty-print and split the statements of a query log."""

from __future__ import annotations

import sqlparse

QUERIES = [
    "select a.id, b.name, count(*) as n from users a join orders b on a.id = b.user_id where a.created > "
    "'2020-01-01' and b.total >= 10.5 group by a.id, b.name order by n desc limit 10",
    "insert into t (x, y, z) values (1, 'two', 3.0), (4, 'five', 6.0)",
    "update accounts set balance = balance - 100 where id = 42; delete from log where ts < now() - interval '7 days'",
    "create table if not exists foo (id integer primary key, name varchar(200) not null, price numeric(10,2))",
]


def run() -> list[object]:
    out: list[object] = []
    for _ in range(20):
        for q in QUERIES:
            out.append(sqlparse.format(q, reindent=True, keyword_case="upper"))
            out.append(len(sqlparse.split(q)))
    return out
