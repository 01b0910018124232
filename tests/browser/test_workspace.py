"""The workspace in a real browser and a real server: saved work survives a
server restart, and the server contacts no other host."""

from __future__ import annotations

import csv
import socket
import threading

import pytest
from playwright.sync_api import Page, expect

from graph.workspace import DB_ENV, open_workspace
from tests.browser.conftest import open_app, screenshot
from tests.conftest import BUNDLED_DATA
from ui.devserver import free_port, start_app, stop_app

pytestmark = pytest.mark.browser


def test_saved_versions_survive_a_server_restart(page: Page, workspace_url):
    database = workspace_url  # SQLite, then PostgreSQL
    roles = (BUNDLED_DATA / "roles.csv").read_bytes()
    edges = (BUNDLED_DATA / "edges.csv").read_bytes()
    ws = open_workspace(database)
    ws.save("Ops team", roles, edges, note="first")
    ws.save(
        "Ops team",
        roles.replace(b"Team Leader,", b"Shift Leader,"),
        edges,
        note="renamed the team leader",
        based_on=1,
    )
    for attempt in ("before", "after"):  # the same URL before and after a restart
        process, url = start_app(env={DB_ENV: database})
        try:
            open_app(page, f"{url}/?catalogue=Ops%20team&role=team-leader")
            expect(
                page.get_by_role("heading", name="Shift Leader", exact=True)
            ).to_be_visible()
            page.get_by_role("tab", name="Your data").click()
            expect(page.get_by_text("In use: Ops team, version 2")).to_be_visible()
            expect(page.get_by_text("renamed the team leader").first).to_be_visible()
            backend = database.split(":")[0].split("+")[0]
            screenshot(page, f"workspace-versions-{backend}-{attempt}-restart")
            # a version's file is made when its button is clicked
            with page.expect_download() as download:
                page.get_by_role("button", name="Version 2: roles.csv").click()
            assert download.value.suggested_filename == "Ops-team-v2-roles.csv"
            with download.value.path().open(encoding="utf-8", newline="") as file:
                titles = {row["id"]: row["title"] for row in csv.DictReader(file)}
            assert titles["team-leader"] == "Shift Leader"
        finally:
            stop_app(process)
        # people's data never goes to the server's log
        log = process.stdout.read().decode(errors="replace")
        assert "Shift Leader" not in log and "Ops team" not in log, log


class _ProxyRecorder:
    """A local 'proxy' that records every connection the server tries to make
    to another host (HTTP clients send such requests through it)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.requests: list[bytes] = []
        self._socket = socket.create_server(("127.0.0.1", self.port))
        self._socket.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    self.requests.append(connection.recv(1024))
                except OSError:
                    self.requests.append(b"(no data)")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._socket.close()


def test_a_server_start_and_a_visit_contact_no_other_host(page: Page, tmp_path):
    recorder = _ProxyRecorder()
    proxy = f"http://127.0.0.1:{recorder.port}"
    environment = {
        DB_ENV: f"sqlite:///{tmp_path / 'workspace.sqlite'}",
        "HTTP_PROXY": proxy,
        "HTTPS_PROXY": proxy,
        "http_proxy": proxy,
        "https_proxy": proxy,
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    process, url = start_app(env=environment)
    try:
        open_app(page, url)
        page.get_by_role("tab", name="Your data").click()
        expect(page.get_by_text("1. Start from the template")).to_be_visible()
    finally:
        stop_app(process)
        recorder.close()
    output = process.stdout.read().decode(errors="replace")
    assert recorder.requests == []
    assert "external IP" not in output
    assert f"URL: {url}" in output  # only the local address is announced
