"""Giving memory back: garbage the server would otherwise keep while idle.

The server runs no garbage collection after each script run
(``runner.postScriptGC`` is off in ``.streamlit/config.toml``: a full
collection at 100,000 roles held every click back by 450 ms). Python still
collects on its own schedule, but that schedule counts allocations, and an
idle server allocates nothing: what ended sessions left in reference cycles
(a built graph is one: networkx's views point back at it) would stay until
the next visitor. So the server collects when it is idle instead, where a
collection holds nobody back.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import threading
import time
from collections.abc import Callable

__all__ = ["collect_soon", "give_back", "note_activity", "release_when_idle"]

_log = logging.getLogger(__name__)


def _glibc_malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to trim
        return None


#: Seconds after a catalogue is let go before it is collected.
_COLLECT_AFTER_S = 1.0
#: Seconds with no script run before the server counts as idle.
IDLE_S = 30.0
#: The longest wait between two collections while idle.
_MAX_GAP_S = 600.0

_last_activity = time.monotonic()
_malloc_trim = _glibc_malloc_trim()
#: What to let go once the server has been idle that many seconds.
_idle_releases: list[tuple[float, Callable[[], None]]] = []
_collector_started = False
_start_lock = threading.Lock()


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
    if _malloc_trim is not None:
        _malloc_trim(0)


def release_when_idle(release: Callable[[], None], after_s: float) -> None:
    """Call ``release`` once the server has had no run for ``after_s``
    seconds (again after each later run): for caches whose entries expire
    only when a run reads them (Streamlit's ``ttl``), so an idle server would
    keep them however old."""
    _idle_releases.append((after_s, release))


def note_activity() -> None:
    """Call at the start of every script or fragment run: the idle collector
    (started by the first call) waits until the runs stop."""
    global _last_activity, _collector_started
    _last_activity = time.monotonic()
    if _collector_started:
        return
    with _start_lock:
        if not _collector_started:
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
        time.sleep(IDLE_S / 2)
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
