"""Saving with a time budget, off the server's request path.

Checking a large upload is CPU work; in a server that runs every session in a
thread of one process, it would stall every other session. Here it runs in a
child Python process (``python -m graph.workspace.guarded``: a fresh
interpreter, nothing of the server's threads or memory copied), which is
stopped when the budget runs out: its transaction is rolled back, so a save
is whole or absent, never half written. The child's memory goes back to the
system when it ends. Request and outcome travel as pickles over its stdin and
stdout, between two processes of this package.

Given a build cache, the child also builds the saved version and stores it
there once it has told the outcome, so the server, which opens the version
next, reads it back built instead of building it among its sessions' objects.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graph.cache import BuildCache, wait_for_writes
from graph.errors import CareerGraphError, InvalidData
from graph.limits import DEFAULT_LIMITS, Limits
from graph.loading import without_invalid_rows
from graph.workspace.records import VersionConflict, VersionInfo, WorkspaceError
from graph.workspace.store import open_workspace

__all__ = [
    "CheckTooSlow",
    "RejectedSave",
    "SaveRequest",
    "save_within",
    "MAX_CONCURRENT_CHECKS",
]

#: Checks running at once on one server; more wait their turn (within their
#: budget), so ten uploads at once hold one copy of a check's memory, not
#: ten. One, not two: ten pages uploading 30,000 roles each then peaked at
#: 1.6 GB instead of 2.0-2.4 GB, and all were saved sooner after the last
#: arrived (the uploads come in over a minute; a check takes a few seconds),
#: with a core left for everyone else's pages.
MAX_CONCURRENT_CHECKS = 1
_slots = threading.BoundedSemaphore(MAX_CONCURRENT_CHECKS)
#: The folder that holds the ``graph`` package, for the child's import path.
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]


class CheckTooSlow(CareerGraphError):
    """The files could not be checked within the time budget; nothing was
    saved."""


class RejectedSave(InvalidData):
    """The files have errors; nothing was saved. ``without_bad_rows`` holds
    the files without the rows that have errors and those rows (as
    :func:`graph.loading.without_invalid_rows` gives them), or ``None`` when a
    problem is with a whole file."""

    def __init__(self, report, without_bad_rows: tuple | None) -> None:
        super().__init__(report)
        self.without_bad_rows = without_bad_rows


@dataclass(frozen=True)
class SaveRequest:
    """What :meth:`graph.workspace.Workspace.save` is given."""

    db: str | None
    name: str
    roles: bytes
    edges: bytes
    note: str = ""
    based_on: int | None = None
    file_names: Mapping[str, str] | None = None
    limits: Limits = DEFAULT_LIMITS
    #: Where the child stores the saved version built (see the module's note).
    cache: BuildCache | None = None


def save_within(request: SaveRequest, seconds: float) -> VersionInfo:
    """Check and save ``request`` in a child process within ``seconds``,
    after waiting at most ``seconds`` for the checks ahead of it.

    Raises what :meth:`Workspace.save` raises (:class:`VersionConflict`,
    :class:`WorkspaceError`; for bad data :class:`RejectedSave`, which also
    carries the files without their bad rows, worked out in the child too),
    or :class:`CheckTooSlow` when the budget runs out, after stopping the
    child.
    """
    too_slow = CheckTooSlow(
        f"The files could not be checked within {seconds:g} s here, so nothing "
        "was saved. Check them on the command line (python -m graph validate "
        "--data FOLDER), or split the catalogue."
    )
    if not _slots.acquire(timeout=seconds):
        raise CheckTooSlow(
            f"The server was busy checking other uploads for {seconds:g} s, so "
            "these files were not checked and nothing was saved. Try again in "
            "a minute."
        )
    search_path = os.pathsep.join(
        filter(None, [str(_PACKAGE_ROOT), os.environ.get("PYTHONPATH")])
    )
    try:
        with subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": search_path},
        ) as child:
            told: list[bytes] = []
            payload = pickle.dumps(request)
            talk = threading.Thread(
                target=lambda: told.append(_exchange(child, payload)), daemon=True
            )
            talk.start()
            talk.join(seconds)
            if talk.is_alive():
                child.kill()  # its transaction is rolled back; the talk ends
                talk.join()
                raise too_slow
            try:  # the version built for the cache; cut short, it is a miss
                child.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                child.kill()
    finally:
        _slots.release()
    try:
        outcome = pickle.loads(told[0] if told else b"")
    except (pickle.UnpicklingError, EOFError):  # it died without a word
        outcome = ("refused", "The check stopped unexpectedly; nothing was saved.")
    return _result(outcome)


def _exchange(child: subprocess.Popen, request: bytes) -> bytes:
    """Send the request; read the outcome, which ends when the child closes
    its stdout (before it builds for the cache)."""
    try:
        child.stdin.write(request)
        child.stdin.close()
    except OSError:  # it ended early: what it said, if anything, tells
        pass
    return child.stdout.read()


def _save_in_child(request: SaveRequest) -> tuple:
    """The child's work: save, and return the outcome as plain data
    (exceptions with extra fields do not survive pickling)."""
    try:
        info = open_workspace(request.db).save(
            request.name,
            request.roles,
            request.edges,
            note=request.note,
            based_on=request.based_on,
            file_names=request.file_names,
            limits=request.limits,
        )
        return ("saved", info)
    except InvalidData as error:
        try:
            lenient = without_invalid_rows(
                request.roles,
                request.edges,
                request.file_names,
                limits=request.limits,
            )
        except InvalidData:  # a whole-file problem: no row to leave out
            lenient = None
        return ("invalid", error.report, lenient)
    except VersionConflict as error:
        return ("conflict", str(error), error.latest)
    except CareerGraphError as error:
        return ("refused", str(error))


def _result(outcome: tuple) -> VersionInfo:
    kind, *details = outcome
    if kind == "saved":
        return details[0]
    if kind == "invalid":
        raise RejectedSave(*details)
    if kind == "conflict":
        raise VersionConflict(*details)
    raise WorkspaceError(details[0])


def _build_for_cache(request: SaveRequest, info: VersionInfo) -> None:
    """Build the saved version and store it in ``request.cache``, as the
    server's first load of it would."""
    saved = open_workspace(request.db).load(info.catalogue, info.number)
    saved.load(request.cache)
    wait_for_writes()


if __name__ == "__main__":
    request = pickle.loads(sys.stdin.buffer.read())
    outcome = _save_in_child(request)
    sys.stdout.buffer.write(pickle.dumps(outcome))
    sys.stdout.buffer.flush()
    # The parent reads to the end of the outcome: close our end of the pipe.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if outcome[0] == "saved" and request.cache is not None:
        _build_for_cache(request, outcome[1])
