"""Uploaded bytes the server holds stay within their budgets (ui.uploads)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

import ui.uploads
from ui.uploads import SESSION_MB, hold_uploads, let_go_of_uploads

MB = 2**20


class _StandInServer:
    """What ui.uploads asks of Streamlit's runtime."""

    def __init__(self):
        self.with_page = {"old", "current"}
        self.removed: list[str] = []
        self.uploaded_file_mgr = SimpleNamespace(
            remove_session_files=self.removed.append
        )

    def is_active_session(self, session_id: str) -> bool:
        return session_id in self.with_page


@pytest.fixture
def server(monkeypatch):
    server = _StandInServer()
    monkeypatch.setattr(ui.uploads.runtime, "exists", lambda: True)
    monkeypatch.setattr(ui.uploads.runtime, "get_instance", lambda: server)
    monkeypatch.setattr(ui.uploads, "_held", {})
    monkeypatch.setattr(ui.uploads, "_let_go", set())
    return server


@pytest.fixture
def as_session(monkeypatch):
    def switch(session_id: str) -> None:
        context = SimpleNamespace(session_id=session_id)
        monkeypatch.setattr(ui.uploads, "get_script_run_ctx", lambda: context)

    return switch


def files(*megabytes: float) -> list:
    return [SimpleNamespace(size=int(mb * MB)) for mb in megabytes]


def test_past_the_server_budget_pageless_sessions_go_first_then_the_oldest(
    server, as_session
):
    as_session("old")
    assert hold_uploads(files(10, 5), server_mb=40) is None
    as_session("pageless")  # newer than "old", but its page has gone
    assert hold_uploads(files(10, 5), server_mb=40) is None
    as_session("current")
    assert hold_uploads(files(10, 5), server_mb=40) is None
    assert server.removed == ["pageless"]
    # A smaller budget now: 15 MB of "old" and 20 of "current" do not fit.
    assert hold_uploads(files(10, 10), server_mb=30) is None
    assert server.removed == ["pageless", "old"]
    # The current session keeps its own, even alone over the budget.
    assert hold_uploads(files(10, 10), server_mb=10) is None
    assert server.removed == ["pageless", "old"]
    # Each let-go session with a page is told on its next run, once.
    assert ui.uploads._let_go == {"old"}
    as_session("old")
    assert "make room" in hold_uploads([], server_mb=30)
    assert hold_uploads([], server_mb=30) is None


def test_one_session_holds_at_most_two_full_files(server, as_session):
    as_session("current")
    assert hold_uploads(files(10, 10), server_mb=200) is None
    message = hold_uploads(files(10, 10, 1), server_mb=200)
    assert f"one upload may hold {SESSION_MB} MB" in message
    assert server.removed == ["current"]
    assert ui.uploads._held == {}


def test_saved_uploads_are_let_go(server, as_session):
    as_session("current")
    hold_uploads(files(6, 9), server_mb=200)
    let_go_of_uploads()
    assert server.removed == ["current"]
    assert ui.uploads._held == {}
