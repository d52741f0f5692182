"""Turn lists of records into CSV reports with totals and grouped subtotals."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal, ROUND_HALF_UP

Record = dict[str, object]


def money(value: object) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def columns_for(records: list[Record], preferred: tuple[str, ...] = ()) -> list[str]:
    seen: list[str] = [name for name in preferred]
    for record in records:
        for name in record:
            if name not in seen:
                seen.append(name)
    return seen


def group_by(records: list[Record], key: str) -> dict[object, list[Record]]:
    groups: dict[object, list[Record]] = defaultdict(list)
    for record in records:
        groups[record.get(key)].append(record)
    return dict(groups)


def subtotal(records: list[Record], amount_field: str) -> Decimal:
    total = Decimal("0")
    for record in records:
        value = record.get(amount_field)
        if value is None or value == "":
            continue
        total += money(value)
    return total


def render(records: list[Record], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({name: record.get(name, "") for name in columns})
    return buffer.getvalue()


def grouped_report(records: list[Record], group_field: str, amount_field: str) -> str:
    columns = columns_for(records, (group_field, amount_field))
    rows: list[Record] = []
    grand_total = Decimal("0")
    for group, members in sorted(group_by(records, group_field).items(), key=lambda kv: str(kv[0])):
        rows.extend(members)
        total = subtotal(members, amount_field)
        grand_total += total
        rows.append({group_field: f"{group} subtotal", amount_field: str(total)})
    rows.append({group_field: "TOTAL", amount_field: str(grand_total)})
    return render(rows, columns)


def write_report(path: str, records: list[Record], group_field: str, amount_field: str) -> int:
    text = grouped_report(records, group_field, amount_field)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return text.count("\n")


def parse_report(text: str) -> list[Record]:
    reader = csv.DictReader(io.StringIO(text))
    records: list[Record] = []
    for row in reader:
        label = next(iter(row.values()), "")
        if isinstance(label, str) and (label.endswith(" subtotal") or label == "TOTAL"):
            continue
        records.append(dict(row))
    return records
