"""A linter's use of sqlparse: tokenize a migration script and count keywords and names."""

from __future__ import annotations

from sqlparse import lexer, tokens

SCRIPT = ("CREATE TABLE customer (id SERIAL PRIMARY KEY, email VARCHAR(255) UNIQUE NOT NULL, created_at "
          "TIMESTAMP DEFAULT now());\nALTER TABLE orders ADD COLUMN customer_id INTEGER REFERENCES customer(id);\n"
          "INSERT INTO customer (email) SELECT DISTINCT email FROM legacy_users WHERE email IS NOT NULL;\n"
          "-- backfill\nUPDATE orders o SET customer_id = c.id FROM customer c WHERE o.email = c.email;\n") * 120


def run() -> dict[str, int]:
    counts: dict[str, int] = {}
    for ttype, value in lexer.tokenize(SCRIPT):
        key = "keyword" if ttype in tokens.Keyword else "name" if ttype in tokens.Name else "other"
        counts[key] = counts.get(key, 0) + 1
    return counts
