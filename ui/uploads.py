"""Uploaded bytes the server holds, within budgets.

Streamlit keeps every file a session uploads, in the server's memory, until
the session ends: a new uploader widget does not let the old one's files go
(ten uploads of 15 MB each still held 160 MB after all ten were saved). So
the app lets a session's files go once they are saved, holds at most
:data:`SESSION_MB` for one session, and at most
:attr:`ui.data.AppOptions.uploads_held_mb` for all sessions at once: past
that, the files of sessions without a page go first, then the oldest
uploads, and their session is told on its next run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

__all__ = ["MAX_UPLOAD_MB", "SESSION_MB", "hold_uploads", "let_go_of_uploads"]

#: Largest file we accept, per file (Streamlit's own cap is in config.toml).
MAX_UPLOAD_MB = 10
#: What one session's uploader may hold: two files at the per-file cap.
SESSION_MB = 2 * MAX_UPLOAD_MB

#: Sessions holding uploads: since when, and how many bytes.
_held: dict[str, tuple[float, int]] = {}
#: Sessions whose uploads were let go for others, not told yet.
_let_go: set[str] = set()
_lock = threading.Lock()


def hold_uploads(files: Sequence, server_mb: int) -> str | None:
    """Count the files this session's uploader holds (objects with ``size``)
    against the budgets, letting go of what is over them.

    Returns why this session's own uploads were let go, to tell the user, or
    ``None`` when they are held.
    """
    session = _session_id()
    if session is None:  # not in a server's session (a test)
        return None
    with _lock:
        if session in _let_go:
            _let_go.discard(session)
            return (
                f"Your upload was let go to make room: the server holds at most "
                f"{server_mb} MB of uploads for everyone at once. Upload it again."
            )
        size = sum(file.size for file in files)
        if size > SESSION_MB * 2**20:
            _drop(session)
            return (
                f"The chosen files hold {size / 2**20:.0f} MB; one upload may hold "
                f"{SESSION_MB} MB (two files). Choose roles.csv and edges.csv, or "
                "one workbook, again."
            )
        if not files:
            _held.pop(session, None)
            return None
        since = _held.get(session, (time.monotonic(), 0))[0]
        _held[session] = (since, size)
        _within(server_mb * 2**20, keep=session)
    return None


def let_go_of_uploads() -> None:
    """Let this session's uploaded files go (they are saved): nothing to tell
    it, even if another session's run let them go while they were saved."""
    if (session := _session_id()) is not None:
        with _lock:
            _drop(session)
            _let_go.discard(session)


def _session_id() -> str | None:
    context = get_script_run_ctx()
    return context.session_id if context is not None and runtime.exists() else None


def _within(budget: int, keep: str) -> None:
    """Let go of other sessions' uploads until all of them fit ``budget``:
    those of sessions without a page first, then the oldest."""
    server = runtime.get_instance()
    total = sum(size for _, size in _held.values())
    order = sorted(
        (s for s in _held if s != keep),
        key=lambda s: (server.is_active_session(s), _held[s][0]),
    )
    for session in order:
        if total <= budget:
            break
        total -= _held[session][1]
        _drop(session)
        if server.is_active_session(session):  # a page to tell
            _let_go.add(session)


def _drop(session: str) -> None:
    runtime.get_instance().uploaded_file_mgr.remove_session_files(session)
    _held.pop(session, None)
