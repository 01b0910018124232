"""The server lets a closed page's session go: Streamlit alone would keep it,
and the catalogue it showed, until the next visitor connects."""

from __future__ import annotations

import queue
import subprocess
import threading
import time

import pytest
from playwright.sync_api import Browser

from graph.workspace import DB_ENV
from tests.browser.conftest import open_app
from ui.devserver import start_app, stop_app

pytestmark = pytest.mark.browser


def _output_lines(process: subprocess.Popen) -> queue.Queue[str]:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line.decode()) for line in process.stdout],
        daemon=True,
    ).start()
    return lines


def _wait_for_line(lines: queue.Queue[str], text: str, timeout_s: float) -> str:
    deadline = time.monotonic() + timeout_s
    seen = []
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if text in line:
            return line
        seen.append(line)
    raise AssertionError(f"no {text!r} in the server's output: {''.join(seen)}")


def test_a_closed_page_s_session_is_closed_on_an_idle_server(
    browser: Browser, tmp_path
):
    # Streamlit keeps a pageless session 4 s here: the app closes it after 2 s.
    process, url = start_app(
        env={
            DB_ENV: f"sqlite:///{tmp_path / 'workspace.sqlite'}",
            "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": "4",
        }
    )
    lines = _output_lines(process)
    try:
        context = browser.new_context()
        open_app(context.new_page(), url)
        context.close()
        line = _wait_for_line(lines, "Closed 1 session(s) without a page", 60)
        assert "for 2 s" in line
    finally:
        stop_app(process)
