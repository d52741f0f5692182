"""The report in a real headless Chromium: it loads with no console error and no network request,
shows every generation in the lineage and in the plot, and a click on a point opens its card.
Screenshots are left in artifacts/html/<test>/ for a person to look at."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from report_browser import Visit, visit
from report_fixtures import REPO, Recorded

from evolver.cli import main
from evolver.generations import GenerationStore


def lineage_ids(ws: Path) -> list[str]:
    """Every stored generation, in the store's order."""
    store = GenerationStore(ws / "generations")
    return [g.id for key in store.target_keys() for g in store.lineage(key)]


def write_report(capsys: pytest.CaptureFixture[str], ws: Path, module: Path, out: Path) -> None:
    code = main(["--workspace", str(ws), "report", str(module), "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()


def check_page(browser: Any, html: Path, generations: list[str], artifacts: Path) -> Visit:
    seen = visit(browser, html)
    page = seen.page
    assert seen.console_errors == []
    assert [u for u in seen.requests if not u.startswith(("file:", "data:", "about:"))] == []
    assert page.title().startswith("evolver report")

    cards = page.locator("ul.lineage li.gen")
    assert cards.evaluate_all("els => els.map(e => e.dataset.generation)") == generations
    assert page.locator("ul.lineage").get_attribute("data-generations") == str(len(generations))
    points = page.locator("figure.plot svg g[id^='time-']")
    assert points.count() == len(generations)
    plot = page.locator("figure.plot svg").first.bounding_box()
    assert plot is not None and plot["width"] > 400 and plot["height"] > 150  # drawn, not collapsed
    for i in range(points.count()):
        box = points.nth(i).bounding_box()
        assert box is not None and box["width"] > 0  # every point is on the canvas

    page.screenshot(path=str(artifacts / "report.png"), full_page=True)
    newest = generations[-1]
    card = page.locator(f"li.gen[data-generation='{newest}'] > details")
    assert card.evaluate("d => d.open") is False
    points.nth(len(generations) - 1).click()
    page.wait_for_function("d => d.open", arg=card.element_handle())
    assert card.locator(".card-body").is_visible()
    page.screenshot(path=str(artifacts / "newest-generation.png"), full_page=False)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.screenshot(path=str(artifacts / "report-open.png"), full_page=True)
    assert seen.console_errors == []
    print(f"screenshots: {artifacts}")
    return seen


def test_recorded_run_in_chromium(browser: Any, recorded: Recorded, tmp_path: Path, artifacts: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = artifacts / "report.html"
    write_report(capsys, recorded.workspace, recorded.module, out)
    generations = lineage_ids(recorded.workspace)
    seen = check_page(browser, out, generations, artifacts)
    refusals = seen.page.locator("tr[data-outcome='refused']")
    assert refusals.count() == len(recorded.rows("SELECT id FROM refusals"))


@pytest.mark.slow
def test_real_evolve_run_in_chromium(browser: Any, tmp_path: Path, artifacts: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A real evolve run of the routes sample (one cycle: the recorded run covers longer lineages),
    then its report in the browser."""
    root = tmp_path / "routes"
    shutil.copytree(REPO / "targets" / "routes", root, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    ws, module = tmp_path / "ws", root / "routes.py"
    code = main(["--workspace", str(ws), "evolve", str(module), "--cycles", "1"])
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    generations = lineage_ids(ws)
    assert len(generations) >= 2
    out = artifacts / "report.html"
    write_report(capsys, ws, module, out)
    seen = check_page(browser, out, generations, artifacts)
    assert seen.page.locator("table.candidates tr[data-outcome]").count() >= 1
    assert seen.page.locator("figure.plot svg g[id^='prediction-']").count() >= 1
