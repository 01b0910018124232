"""Browser benchmark: time to the first drawn graph and click-to-card latency.

    python bench/browser.py [--roles 100000] [--runs 3] [--clicks 40]

Starts the app on the bundled data and on a synthetic catalogue, opens each in
headless Chromium and prints, per catalogue: the first visit after the server
starts (it loads the catalogue), the median warm visit (catalogue already
built and shared), the median and 95th percentile of the time from a click on
a node to the role card showing that role (``--clicks`` clicks in a row, each
on a neighbour of the role selected, timed inside the page), and the median
bytes the server sends the page per click. Needs Debian's chromium.
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


#: Times, in the page, from the pointer going down on the graph to the card's
#: heading showing ``title``: a MutationObserver sees the heading as soon as
#: it is in the page (Playwright's own waits poll, adding up to 100 ms).
_WATCH_CARD_JS = """(title) => {
    window.__cardTiming = {};
    document.addEventListener("pointerdown", () => {
        window.__cardTiming.down = performance.now();
    }, {capture: true, once: true});
    const shown = () => [...document.querySelectorAll("h3")]
        .some((h) => h.innerText.trim() === title);
    const observer = new MutationObserver(() => {
        if (window.__cardTiming.down !== undefined && shown()) {
            window.__cardTiming.card = performance.now();
            observer.disconnect();
        }
    });
    observer.observe(document.body, {subtree: true, childList: true,
                                     characterData: true});
}"""


def click_to_card_s(page: Page, received: list[int]) -> tuple[float, int]:
    """Click a neighbour of the selected role; wait for its card. Returns the
    time it took, measured in the page, and the bytes the server sent over
    the websocket meanwhile (``received`` holds the size of each frame since
    the page opened)."""
    role, title = page.evaluate(
        """() => {
            const net = window.careerGraph;
            const selected = net.getSelectedNodes()[0];
            const others = net.getConnectedNodes(selected)
                .filter((id) => !String(id).startsWith("more:"));
            const other = others[Math.floor(Math.random() * others.length)];
            return [other, net.body.data.nodes.get(other).label];
        }"""
    )
    before = len(received)
    page.evaluate(_WATCH_CARD_JS, title)
    click_node(page, role)
    page.wait_for_function("window.__cardTiming.card !== undefined")
    timing = page.evaluate("window.__cardTiming")
    # the next click waits for this run to end
    page.wait_for_function(
        """() => !document.querySelector("[data-testid='stStatusWidget']")"""
    )
    return (timing["card"] - timing["down"]) / 1000, sum(received[before:])


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(browser, app_args: tuple[str, ...], runs: int, clicks: int) -> dict:
    process, url = start_app(*app_args)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        received: list[int] = []
        page.on(
            "websocket",
            lambda ws: ws.on(
                "framereceived",
                lambda frame: received.append(len(frame)),
            ),
        )
        cold = first_graph_s(page, url)
        warm = [first_graph_s(page, url) for _ in range(runs)]
        first_graph_s(page, url)
        timings = [click_to_card_s(page, received) for _ in range(clicks)]
        page.close()
    finally:
        stop_app(process)
    seconds = [s for s, _ in timings]
    return {
        "first_visit_s": round(cold, 2),
        "warm_visit_s": round(statistics.median(warm), 2),
        "click_to_card_p50_ms": round(1000 * statistics.median(seconds)),
        "click_to_card_p95_ms": round(1000 * _percentile(seconds, 0.95)),
        "bytes_per_click_kb": round(statistics.median(b for _, b in timings) / 1024),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clicks", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        folder = Path(tmp) / "synthetic"
        write_catalogue(args.roles, folder)
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
        )
        rows = {
            "bundled (13 roles)": measure(browser, (), args.runs, args.clicks),
            f"synthetic ({args.roles:,} roles)": measure(
                browser, ("--data", str(folder)), args.runs, args.clicks
            ),
        }
        browser.close()
    print(
        "catalogue | first visit s | warm visit s | click to card p50 ms | "
        "p95 ms | KB sent per click"
    )
    for name, row in rows.items():
        print(
            f"{name} | {row['first_visit_s']} | {row['warm_visit_s']} | "
            f"{row['click_to_card_p50_ms']} | {row['click_to_card_p95_ms']} | "
            f"{row['bytes_per_click_kb']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
