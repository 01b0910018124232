"""Browser benchmark: time to the first drawn graph and click-to-card latency.

    python bench/browser.py [--roles 100000] [--runs 3]

Starts the app on the bundled data and on a synthetic catalogue, opens each in
headless Chromium and prints, per catalogue: the first visit after the server
starts (it loads the catalogue), the median warm visit (catalogue already
built and shared), and the median time from a click on a node to the role
card showing that role. Needs Debian's chromium.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from graph.synth import write_catalogue  # noqa: E402
from ui.devserver import (  # noqa: E402
    CHROMIUM_ARGS,
    click_node,
    start_app,
    stop_app,
)


def first_graph_s(page: Page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(
        "window.careerGraph && window.careerGraph.body.data.nodes.length > 0",
        timeout=180_000,
    )
    return time.perf_counter() - start


def click_to_card_s(page: Page) -> float:
    """Click a neighbour of the selected role; wait for its card."""
    role, title = page.evaluate(
        """() => {
            const net = window.careerGraph;
            const selected = net.getSelectedNodes()[0];
            const other = net.getConnectedNodes(selected)[0];
            return [other, net.body.data.nodes.get(other).label];
        }"""
    )
    start = time.perf_counter()
    click_node(page, role)
    page.get_by_role("heading", level=3, name=title, exact=True).first.wait_for()
    return time.perf_counter() - start


def measure(browser, app_args: tuple[str, ...], runs: int) -> dict:
    process, url = start_app(*app_args)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        cold = first_graph_s(page, url)
        warm = [first_graph_s(page, url) for _ in range(runs)]
        clicks = []
        for _ in range(runs):
            first_graph_s(page, url)
            clicks.append(click_to_card_s(page))
        page.close()
    finally:
        stop_app(process)
    return {
        "first_visit_s": round(cold, 2),
        "warm_visit_s": round(statistics.median(warm), 2),
        "click_to_card_s": round(statistics.median(clicks), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        folder = Path(tmp) / "synthetic"
        write_catalogue(args.roles, folder)
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
        )
        bundled = measure(browser, (), args.runs)
        large = measure(browser, ("--data", str(folder)), args.runs)
        browser.close()
    print("catalogue | first visit s | warm visit s | click to card s")
    print(
        f"bundled (13 roles) | {bundled['first_visit_s']} | "
        f"{bundled['warm_visit_s']} | {bundled['click_to_card_s']}"
    )
    print(
        f"synthetic ({args.roles} roles) | {large['first_visit_s']} | "
        f"{large['warm_visit_s']} | {large['click_to_card_s']}"
    )
    ratio = large["warm_visit_s"] / bundled["warm_visit_s"]
    print(f"warm first graph, large / bundled: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
