"""The report in a real headless Chromium (charts render, screenshot saved) and the notebook in a real kernel."""

import json
import os
import shutil

import pytest

from nordic_pile.cli import main
from tests.conftest import TESTS

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def report(runs, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    assert main(["audit", runs["a"], "--compare", runs["b"], "--out", str(out), "--workers", "1"]) == 0
    return out


@pytest.mark.skipif(
    CHROMIUM is None, reason="Debian chromium is not installed (apt-get install chromium; .ci/run installs it)"
)
def test_report_renders_in_chromium_with_its_charts(report):
    playwright = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the dev extra)")
    screenshot = report / "audit.png"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors, requests = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto((report / "audit.html").as_uri())
        charts = page.evaluate("""() => [...document.querySelectorAll('figure.chart')].map(f => {
            const svg = f.querySelector('svg'); const r = svg.getBoundingClientRect();
            return {name: f.dataset.chart, width: r.width, height: r.height,
                    marks: svg.querySelectorAll('path, rect, use').length,
                    text: svg.textContent.length}; })""")
        page.screenshot(path=str(screenshot), full_page=True)
        browser.close()
    names = {c["name"] for c in charts}
    assert {
        "sizes",
        "length",
        "language_score",
        "statistics",
        "dup_cluster_size",
        "removed",
        "domains",
        "pii",
        "mixed_language",
        "compare_slices",
        "compare_rules",
    } <= names
    for chart in charts:
        assert chart["width"] > 300 and chart["height"] > 100 and chart["marks"] > 10 and chart["text"] > 20, chart
    assert errors == [] and [u for u in requests if not u.startswith("file:")] == []
    assert screenshot.stat().st_size > 50_000  # a full page of charts, not a blank one
    print(f"screenshot: {screenshot}")


def test_notebook_draws_the_charts_from_audit_json(report):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(TESTS.parent / "notebooks" / "audit.ipynb", as_version=4)
    os.environ["NORDIC_PILE_AUDIT_JSON"] = str(report / "audit.json")
    try:
        nbclient.NotebookClient(
            notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(report)}}
        ).execute()
    finally:
        del os.environ["NORDIC_PILE_AUDIT_JSON"]
    images = [
        o
        for cell in notebook.cells
        if cell.cell_type == "code"
        for o in cell.outputs
        if "image/png" in o.get("data", {})
    ]
    assert len(images) >= 9
    last = notebook.cells[-1].outputs[-1]["data"]["text/plain"]
    assert "compare_slices" in last and "statistics" in last
    audit = json.loads((report / "audit.json").read_text())
    assert f"{audit['totals']['kept']['docs']:,} kept documents" in notebook.cells[1].outputs[0]["text"]
