"""What the server holds for sessions: a closed page's session is let go
(Streamlit alone would keep it, and the catalogue it showed, until the next
visitor connects), and uploaded files stay within their budget."""

from __future__ import annotations

import queue
import subprocess
import threading
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from graph.synth import write_catalogue
from graph.workspace import DB_ENV
from tests.browser.conftest import open_app
from ui.data import UPLOADS_HELD_ENV
from ui.devserver import catalogue_files, choose_files, start_app, stop_app

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


def _run_with_the_chosen_files(page: Page) -> None:
    """A script run of ``page`` that surely carries its chosen files (the
    upload does not always start one): hide lateral moves, and wait for the
    graph that run draws."""
    edges = "window.careerGraph.body.data.edges.length"
    before = page.evaluate(edges)
    page.locator("[data-testid='stSidebar']").get_by_text("Lateral move").click()
    page.wait_for_function(f"{edges} !== {before}")


def test_past_the_server_s_upload_budget_the_oldest_upload_is_let_go(
    browser: Browser, tmp_path
):
    write_catalogue(3000, tmp_path / "data")  # 1.5 MB of CSV
    files = catalogue_files(
        (tmp_path / "data" / "roles.csv").read_bytes(),
        (tmp_path / "data" / "edges.csv").read_bytes(),
    )
    process, url = start_app(
        env={
            DB_ENV: f"sqlite:///{tmp_path / 'workspace.sqlite'}",
            UPLOADS_HELD_ENV: "2",
        }
    )
    try:
        first, second = (browser.new_context().new_page() for _ in range(2))
        for page in (first, second):
            open_app(page, url)
            choose_files(page, files)  # chosen, not saved yet
            # counted against the budget in this order: the first is the oldest
            _run_with_the_chosen_files(page)
        first.get_by_role("button", name="Check and save these files").click()
        expect(first.get_by_text("Your upload was let go to make room")).to_be_visible()
        expect(first.get_by_text("at most 2 MB of uploads")).to_be_visible()
        expect(first.get_by_text("no file chosen")).to_have_count(0)
        # The newer upload is still there, and saves.
        second.get_by_role("button", name="Check and save these files").click()
        expect(second.get_by_text("Saved 'My catalogue' version 1")).to_be_visible()
    finally:
        stop_app(process)
