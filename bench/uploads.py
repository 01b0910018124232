"""Benchmark: many large uploads at once against one app server.

    python bench/uploads.py [--uploads 10] [--roles 30000] [--rest-s 250]

Starts the app, opens one headless Chromium page per upload, uploads a
near-cap catalogue (two CSV files under 10 MB each; a different one per page,
as ten people would) on every page at once,
and prints: how long each took until the page said it was saved, the
server's peak memory (its process and the checking processes it starts), its
memory once every page is closed and its sessions have ended (130 s), and
again after ``--rest-s`` seconds (250: the idle server has collected again;
700: the saved catalogues it kept built have expired too), and how long a
new visitor waited for the first graph while the uploads were being checked.
Needs Debian's chromium.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from bench.browser import first_graph_s  # noqa: E402
from graph.synth import write_catalogue  # noqa: E402
from ui.devserver import (  # noqa: E402
    CHROMIUM_ARGS,
    csv_file,
    start_app,
    stop_app,
    upload_files,
)


class MemoryWatch:
    """Samples the RSS of a process and its children, keeping the peak."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def now_mb(self) -> float:
        total = 0
        for process in [self.process, *self.process.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except psutil.Error:  # ended between listing and reading
                pass
        return total / 2**20

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, self.now_mb())
            time.sleep(0.05)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _files(folder: Path, team: str) -> list[dict]:
    """The two files, named so the upload saves as catalogue ``team``."""
    return [
        csv_file(f"{team}-{name}", (folder / name).read_bytes())
        for name in ("roles.csv", "edges.csv")
    ]


def _catalogues(root: Path, count: int, roles: int) -> list[Path]:
    """``count`` different synthetic catalogues of ``roles`` roles: identical
    files would be built once and read back from the build cache nine times."""
    folders = [root / f"upload{number}" for number in range(count)]
    for seed, folder in enumerate(folders, start=7):
        write_catalogue(roles, folder, seed)
    return folders


def run(uploads: int, roles: int, rest_s: int = 250) -> dict:
    with tempfile.TemporaryDirectory() as temp:
        folders = _catalogues(Path(temp), uploads, roles)
        sizes = [len(f["buffer"]) / 2**20 for f in _files(folders[0], "size")]
        process, url = start_app(
            env={"CAREER_GRAPH_DB": f"sqlite:///{Path(temp) / 'workspace.sqlite'}"}
        )
        watch = MemoryWatch(process.pid)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
                )
                idle_mb = watch.now_mb()
                pages = []
                for _ in range(uploads):
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    page.set_default_timeout(300_000)
                    first_graph_s(page, url)
                    pages.append(page)
                start = time.perf_counter()
                for number, page in enumerate(pages):
                    upload_files(page, _files(folders[number], f"team{number}"))
                sent_s = time.perf_counter() - start
                visitor = browser.new_page()
                visitor_s = first_graph_s(visitor, url)
                done_s = []
                for page in pages:
                    page.get_by_text("Saved '", exact=False).first.wait_for(
                        timeout=600_000
                    )
                    done_s.append(time.perf_counter() - start)
                for page in [*pages, visitor]:
                    page.close()
                browser.close()
            # Streamlit keeps a closed page's session for reconnection
            # (server.disconnectedSessionTTL, 120 s), then lets it go; the
            # idle server collects 30, 60, 120, 240 s ... after the last run,
            # and a saved catalogue let go (ten minutes after it was built)
            time.sleep(130)
            after_mb = watch.now_mb()
            time.sleep(rest_s - 130)
            rested_mb = watch.now_mb()
        finally:
            watch.stop()
            stop_app(process)
    return {
        "uploads": uploads,
        "roles": roles,
        "file_mb": [round(size, 1) for size in sizes],
        "idle_mb": round(idle_mb),
        "peak_mb": round(watch.peak_mb),
        "after_close_mb": round(after_mb),
        "rested_s": rest_s,
        "after_rest_mb": round(rested_mb),
        "all_sent_after_s": round(sent_s, 1),
        "saved_after_s": [round(s, 1) for s in done_s],
        "visitor_first_graph_s": round(visitor_s, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=10)
    parser.add_argument("--roles", type=int, default=30_000)
    parser.add_argument("--rest-s", type=int, default=250)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = run(args.uploads, args.roles, args.rest_s)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
