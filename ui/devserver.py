"""Running the app for tests and benchmarks: ``streamlit run`` on a free local
port, and driving its graph in headless Chromium.

Used by the browser tests (``tests/browser``) and the browser benchmark
(``bench/browser.py``); the app itself does not import it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

__all__ = [
    "CHROMIUM_ARGS",
    "free_port",
    "start_app",
    "stop_app",
    "node_point",
    "click_node",
    "catalogue_files",
    "choose_files",
    "csv_file",
    "upload_files",
    "wait_for_run",
]

REPO = Path(__file__).resolve().parent.parent
#: Headless Chromium as root on a machine with no network but loopback.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
_START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(
    *app_args: str, env: dict[str, str] | None = None, port: int | None = None
) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run app.py` on ``port`` (default: a free one); return
    it and its URL once ``/_stcore/health`` answers. ``env`` adds environment
    variables (such as the workspace database, ``CAREER_GRAPH_DB``)."""
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(REPO / "app.py"),
        "--server.port",
        str(port),
        # The address (127.0.0.1) comes from .streamlit/config.toml, as for
        # users, so the tests check the shipped setting.
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    if app_args:
        command += ["--", *app_args]
    process = subprocess.Popen(
        command,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + _START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    output = process.stdout.read().decode(errors="replace") if process.stdout else ""
    raise RuntimeError(f"streamlit did not start on {url}:\n{output}")


def stop_app(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def node_point(page, role: str, graph: str = "careerGraph") -> dict:
    """Where ``role``'s node is on a Playwright page, from vis-network's own
    positions (the graph components expose ``window.careerGraph`` and, on the
    Reporting line tab, ``window.orgGraph``)."""
    return page.evaluate(
        """([role, graph]) => {
            const net = window[graph];
            net.body.container.scrollIntoView({block: "center"});
            const dom = net.canvasToDOM(net.getPositions([role])[role]);
            const box = net.body.container.getBoundingClientRect();
            return {x: box.left + dom.x, y: box.top + dom.y};
        }""",
        [role, graph],
    )


def click_node(page, role: str, graph: str = "careerGraph") -> None:
    point = node_point(page, role, graph)
    page.mouse.click(point["x"], point["y"])


def wait_for_run(page) -> None:
    """Wait until the app's script run is over: Streamlit shows its running
    indicator while a run lasts and marks the previous run's elements stale."""
    page.wait_for_function(
        """() => !document.querySelector("[data-testid='stStatusWidget']")
              && !document.querySelector("[data-stale='true']")"""
    )


def choose_files(page, files: list[dict]) -> None:
    """Choose ``files`` (Playwright file payloads) in the Your data tab's
    uploader, and wait until it lists them: they have reached the server
    then (its session sees them in its next script run)."""
    page.get_by_role("tab", name="Your data").click()
    # files set while a run redraws the uploader can be dropped: wait it out
    wait_for_run(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(files)
    for file in files:
        page.get_by_role("button", name=f"Remove {file['name']}").wait_for(
            timeout=60_000  # a loaded machine takes longer
        )


def csv_file(name: str, content: bytes) -> dict:
    """A CSV file as Playwright's ``set_input_files`` takes it."""
    return {"name": name, "mimeType": "text/csv", "buffer": content}


def catalogue_files(roles: bytes, edges: bytes, prefix: str = "") -> list[dict]:
    """A catalogue's two files as upload payloads, named ``{prefix}roles.csv``
    and ``{prefix}edges.csv``."""
    return [
        csv_file(f"{prefix}roles.csv", roles),
        csv_file(f"{prefix}edges.csv", edges),
    ]


def upload_files(page, files: list[dict]) -> None:
    """Upload ``files`` (Playwright file payloads) on the Your data tab and
    press the button that checks and saves them."""
    choose_files(page, files)
    page.get_by_role("button", name="Check and save these files").click()
