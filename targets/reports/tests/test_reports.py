from __future__ import annotations

import reports
import workload
from reports import Sale

SALES = [
    Sale("North", "bolt", 3, 150), Sale("South", "nut", 10, 20), Sale("North", "nut", 1, 20),
    Sale("North", "bolt", 2, 150), Sale("East", "gear", 1, 4800), Sale("South", "bolt", 1, 150),
]


def test_money() -> None:
    assert reports.money(123456) == "1,234.56 EUR"
    assert reports.money(5) == "0.05 EUR"
    assert reports.money(-250) == "-2.50 EUR"
    assert reports.money(0) == "0.00 EUR"


def test_regions_and_in_region() -> None:
    assert reports.regions(SALES) == ["East", "North", "South"]
    assert reports.regions([]) == []
    picked = reports.in_region(SALES, "South")
    assert picked == [SALES[1], SALES[5]]
    picked.append(SALES[0])
    assert reports.in_region(SALES, "South") == [SALES[1], SALES[5]]


def test_group_rows_and_sections() -> None:
    assert reports.group_rows(reports.in_region(SALES, "North")) == (("bolt", 5, 750), ("nut", 1, 20))
    s = reports.section(SALES, "North")
    assert (s.units, s.cents) == (6, 770)


def test_build_totals() -> None:
    report = reports.build(SALES)
    assert [s.region for s in report.sections] == ["East", "North", "South"]
    assert (report.units, report.cents) == (18, 4800 + 770 + 350)


def test_all_rows_is_a_fresh_flat_list() -> None:
    report = reports.build(SALES)
    rows = reports.all_rows(report)
    assert rows == [("East", "gear", 1, 4800), ("North", "bolt", 5, 750), ("North", "nut", 1, 20),
                    ("South", "bolt", 1, 150), ("South", "nut", 10, 200)]
    rows.clear()
    assert len(reports.all_rows(report)) == 5
    assert reports.all_rows(reports.build([])) == []


def test_best_seller_ties_go_to_the_first_by_name() -> None:
    s = reports.Section("X", (("a", 1, 10), ("b", 1, 30), ("c", 1, 30)), 3, 70)
    assert reports.best_seller(s) == "b"
    assert reports.best_seller(reports.Section("Y", (), 0, 0)) == ""


def test_to_text() -> None:
    text = reports.to_text(reports.build(SALES[:3]))
    assert text == (
        "== North (4 units, 4.70 EUR; best: bolt)\n"
        "   bolt             3          4.50 EUR\n"
        "   nut              1          0.20 EUR\n"
        "== South (10 units, 2.00 EUR; best: nut)\n"
        "   nut             10          2.00 EUR\n"
        "TOTAL 14 units, 6.70 EUR\n"
    )
    assert reports.to_text(reports.build([])) == "TOTAL 0 units, 0.00 EUR\n"


def test_to_csv_quotes_fields() -> None:
    report = reports.build([Sale("Isles, outer", 'Widget "XL"', 2, 5)])
    assert reports.to_csv(report) == 'region,product,units,revenue\n"Isles, outer","Widget ""XL""",2,10\n'


def test_workload_is_stable() -> None:
    result = workload.run()
    assert len(result["units"]) == 12 and result["csv_lines"] == 12 * (1 + 6 * 61)
    assert result == workload.run()
