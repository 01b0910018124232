"""Giving memory back: garbage the server would otherwise keep while idle.

The server runs no garbage collection after each script run
(``runner.postScriptGC`` is off in ``.streamlit/config.toml``: a full
collection at 100,000 roles held every click back by 450 ms). Python still
collects on its own schedule, but that schedule counts allocations, and an
idle server allocates nothing: what ended sessions left in reference cycles
(a built graph is one: networkx's views point back at it) would stay until
the next visitor. So the server collects when it is idle instead, where a
collection holds nobody back.

It also closes the sessions whose page has gone (Streamlit would keep them,
and all they showed, on an idle server), builds one catalogue at a time, and
keeps the C library to two heaps: each of the three brought down what a
server kept once ten uploads were over.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable

import streamlit as st
from streamlit import runtime
from streamlit.logger import get_logger
from streamlit.runtime.scriptrunner import get_script_run_ctx

from graph.bulk import glibc

__all__ = [
    "close_pageless_sessions",
    "collect_soon",
    "give_back",
    "limit_heaps",
    "note_activity",
    "one_build_at_a_time",
    "release_when_idle",
]

# Streamlit's own handler and level (info), so the server's output shows it.
_log = get_logger(__name__)


#: Seconds after a catalogue is let go before it is collected.
_COLLECT_AFTER_S = 1.0
#: Seconds with no script run before the server counts as idle.
IDLE_S = 30.0
#: The longest wait between two collections while idle.
_MAX_GAP_S = 600.0

_last_activity = time.monotonic()
_libc = glibc()
#: glibc's ``mallopt`` parameter for the most heaps (``M_ARENA_MAX``).
_M_ARENA_MAX = -8
#: Heaps the C library may keep; see :func:`limit_heaps`.
HEAPS = 2
#: glibc's ``mallopt`` parameter for the size from which a block gets pages
#: of its own (``M_MMAP_THRESHOLD``).
_M_MMAP_THRESHOLD = -3
#: Blocks from this size get pages of their own, returned when freed; glibc's
#: starting value, kept from rising (see :func:`limit_heaps`).
OWN_PAGES_FROM = 128 * 1024
#: Held while the server builds or unpickles a catalogue. Builds are Python
#: code sharing one GIL, so two at once finish no sooner than one after the
#: other, and their objects interleave in Python's 1 MB arenas: letting one
#: catalogue go then empties few arenas. 10 loads of 30,000 roles in 10
#: threads, let go: 126-128 MB above the start one at a time, 204-231 MB all
#: at once (both with :func:`limit_heaps`).
one_build_at_a_time = threading.Lock()
#: What to let go once the server has been idle that many seconds.
_idle_releases: list[tuple[float, Callable[[], None]]] = []
_collector_started = False
_start_lock = threading.Lock()
#: Sessions that have run here, by id: since when each has had no page
#: (``None``: it has one).
_sessions: dict[str, float | None] = {}


def collect_soon(_released: object) -> None:
    """When a cache lets a catalogue go: :func:`give_back` a moment later,
    once the run that let it go no longer holds it."""
    threading.Timer(_COLLECT_AFTER_S, give_back).start()


def give_back() -> None:
    """Collect garbage, then hand the freed heap back to the system.

    Python returns its own small-object arenas once they are empty, but the
    C library keeps what larger blocks (a dict of more than a few keys) freed
    in its heaps, one per thread that allocated, and Streamlit runs each
    session in a thread of its own. glibc's ``malloc_trim`` gives those pages
    back: 10 catalogues of 30,000 roles loaded in 10 threads and let go held
    780-900 MB after the collection, 620-690 MB after the trim (four runs).
    Elsewhere than glibc there is nothing to call, and the collection alone
    is done.
    """
    gc.collect()
    if _libc is not None:
        _libc.malloc_trim(0)


def limit_heaps() -> None:
    """Let the C library keep at most :data:`HEAPS` heaps for all threads.

    glibc gives each new thread a heap of its own, up to eight per core, and
    Streamlit runs each session in a thread: blocks freed there stay in that
    heap, pinned by whatever few survive beside them. With two heaps, 10
    catalogues of 30,000 roles loaded in 10 threads and let go left the
    process 204-231 MB above its start after :func:`give_back`, against
    418-481 MB with the default (two runs with the limit, three without),
    and peaked lower too. Python holds the GIL while it allocates, so
    sessions seldom wait on a shared heap. Call it before the sessions'
    threads start; heaps already made stay.

    It also keeps big blocks out of the heaps: glibc gives a block of
    :data:`OWN_PAGES_FROM` or more pages of its own, returned when it is
    freed, but once such a block is freed it raises that size to the block's
    (up to 32 MB), so later arrays and big strings come from the heaps, where
    a few survivors pin them. Held at glibc's starting value, ten uploads of
    30,000 roles peaked at 955 MB instead of 1,210 MB, and the server kept
    323 MB instead of 410 MB after the rest (one run each, `bench/uploads.py`).
    """
    if _libc is not None:
        _libc.mallopt(_M_ARENA_MAX, HEAPS)
        _libc.mallopt(_M_MMAP_THRESHOLD, OWN_PAGES_FROM)


def release_when_idle(release: Callable[[], None], after_s: float) -> None:
    """Call ``release`` once the server has had no run for ``after_s``
    seconds (again after each later run): for caches whose entries expire
    only when a run reads them (Streamlit's ``ttl``), so an idle server would
    keep them however old."""
    _idle_releases.append((after_s, release))


def note_activity() -> None:
    """Call at the start of every script or fragment run: the idle collector
    (started by the first call, which also :func:`limit_heaps` before more
    sessions' threads each take a heap) waits until the runs stop."""
    global _last_activity, _collector_started
    _last_activity = time.monotonic()
    if (context := get_script_run_ctx()) is not None:
        _sessions[context.session_id] = None
    if _collector_started:
        return
    with _start_lock:
        if not _collector_started:
            limit_heaps()
            threading.Thread(
                target=_collect_while_idle, name="career-graph-idle-gc", daemon=True
            ).start()
            _collector_started = True


def collection_due(idle_s: float, last_collected_s: float | None) -> bool:
    """Whether to collect after ``idle_s`` seconds with no run, the last
    collection since that run having been at ``last_collected_s`` (``None``:
    none yet). Once idle, then at twice that idle time, and so on, at least
    every ten minutes: a session is let go a while after its page closes
    (``server.disconnectedSessionTTL``, with no run to say so), and a long
    idle server pays one collection in ten minutes.

    Examples
    --------
    >>> collection_due(5, None), collection_due(30, None)
    (False, True)
    >>> collection_due(59, 30), collection_due(60, 30), collection_due(1400, 900)
    (False, True, False)
    >>> collection_due(1500, 900)
    True
    """
    if idle_s < IDLE_S:
        return False
    if last_collected_s is None:
        return True
    return idle_s - last_collected_s >= min(last_collected_s, _MAX_GAP_S)


def _collect_while_idle() -> None:
    active_at, last_collected_s, released = _last_activity, None, set()
    while True:
        time.sleep(min(IDLE_S / 2, _pageless_s() / 4))
        try:
            if closed := close_pageless_sessions(time.monotonic()):
                _log.info(
                    "Closed %d session(s) without a page for %.0f s",
                    closed,
                    _pageless_s(),
                )
                threading.Timer(_COLLECT_AFTER_S, _after_closing).start()
        except Exception:  # the collector outlives a failed close
            _log.exception("Closing sessions without a page failed")
        if _last_activity != active_at:  # a run since: start the schedule again
            active_at, last_collected_s, released = _last_activity, None, set()
        idle_s = time.monotonic() - active_at
        try:
            for position, (after_s, release) in enumerate(_idle_releases):
                if idle_s >= after_s and position not in released:
                    released.add(position)
                    release()
            if collection_due(idle_s, last_collected_s):
                last_collected_s = idle_s
                give_back()
        except Exception:  # the collector outlives a failed release
            _log.exception("Giving memory back failed")


def _pageless_s() -> float:
    """Seconds a session may be without a page before it is closed: half the
    time Streamlit keeps it for a reconnect, so it is closed while Streamlit
    can still find it."""
    return st.get_option("server.disconnectedSessionTTL") / 2


def close_pageless_sessions(now: float) -> int:
    """Close the sessions that have had no page for :func:`_pageless_s`
    seconds (as of ``now``, a :func:`time.monotonic` time); return how many.

    Streamlit keeps a closed page's session for a reconnect, and forgets it
    once ``server.disconnectedSessionTTL`` has passed, but only on the next
    connection or disconnection, and without shutting it down. So an idle
    server kept every session of the last visitors, their fragments, their
    widgets' callbacks and the downloads offered as callables, and with them
    the catalogues they showed (ten uploaders' 30,000 roles each: 1.3 GB held
    after every page had closed). Closing a session in time shuts it down.
    """
    if not runtime.exists():  # in a test without a server
        return 0
    server = runtime.get_instance()
    closed = 0
    for session_id, pageless_since in list(_sessions.items()):
        if server.is_active_session(session_id):
            _sessions[session_id] = None
        elif pageless_since is None:
            _sessions[session_id] = now
        elif now - pageless_since >= _pageless_s():
            # Stops a reconnect resuming it, and closes it on the event loop.
            server.clear_user_info_for_session(session_id)
            del _sessions[session_id]
            closed += 1
    return closed


def _after_closing() -> None:
    """Once the event loop has closed the sessions: let go of the downloads
    they offered (Streamlit does at the end of the next script run, and an
    idle server has none), then :func:`give_back`."""
    runtime.get_instance().media_file_mgr.remove_orphaned_files()
    give_back()
