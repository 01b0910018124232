"""The server gives garbage back once it is idle (ui/memory.py)."""

from __future__ import annotations

import doctest
import re
import subprocess
import sys
import textwrap

import pytest

import ui.memory
from tests.conftest import REPO
from ui.memory import IDLE_S, collection_due


def test_the_schedule_examples_hold():
    assert doctest.testmod(ui.memory).failed == 0


@pytest.mark.parametrize(
    ("idle_s", "last_collected_s", "due"),
    [
        # a run a moment ago: not idle yet
        (IDLE_S / 2, None, False),
        # idle: the first collection
        (IDLE_S, None, True),
        # collected at 30 s: the next at 60, then 120, 240 ...
        (2 * IDLE_S - 1, IDLE_S, False),
        (4 * IDLE_S, 2 * IDLE_S, True),
        # a day idle: every ten minutes, not every day
        (86_400 + 599, 86_400, False),
        (86_400 + 600, 86_400, True),
    ],
)
def test_collections_while_idle_back_off(idle_s, last_collected_s, due):
    assert collection_due(idle_s, last_collected_s) is due


def test_an_idle_server_collects_a_cycle_nothing_else_would():
    # Automatic collection off, as if the server had allocated nothing since:
    # only the idle collector can free the cycle.
    script = textwrap.dedent(
        """
        import gc, sys, threading, weakref
        import ui.memory
        ui.memory.IDLE_S = 0.1
        gc.disable()
        freed = threading.Event()
        class Graph:
            pass
        graph = Graph()
        graph.view = graph  # a cycle, as networkx's views make
        weakref.finalize(graph, freed.set)
        del graph
        ui.memory.note_activity()
        sys.exit(0 if freed.wait(10) else 1)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()


def test_give_back_returns_a_thread_s_freed_heap_to_the_system():
    # 300 MB of blocks too big for Python's own allocator, made by a thread
    # as a session's run would, a few of them kept, the rest let go
    script = textwrap.dedent(
        """
        import threading
        from ui.memory import give_back
        def rss_mb():
            for line in open("/proc/self/status"):
                if line.startswith("VmRSS"):
                    return int(line.split()[1]) // 1024
        blocks = []
        worker = threading.Thread(
            target=lambda: blocks.extend(bytes(1500) for _ in range(200_000))
        )
        worker.start()
        worker.join()
        survivors = blocks[::50]
        blocks.clear()
        before = rss_mb()
        give_back()
        print(before, rss_mb())
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, timeout=60
    )
    before, after = map(int, done.stdout.split())
    assert before - after > 150, (before, after)


#: What both scripts below start with: the server's heap limits (when asked
#: for) and glibc's own report of its heaps, written to the file argv[2].
_MALLOC_INFO = """
import ctypes, sys, threading
if sys.argv[1] == "limited":
    from ui.memory import limit_heaps
    limit_heaps()
libc = ctypes.CDLL("libc.so.6")
libc.fopen.restype = ctypes.c_void_p
libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.fclose.argtypes = [ctypes.c_void_p]
def write_report():
    report = libc.fopen(sys.argv[2].encode(), b"w")
    libc.malloc_info(0, report)
    libc.fclose(report)
"""


def _malloc_info(tmp_path, script: str, mode: str) -> str:
    """glibc's report of its heaps at the point where ``script`` (run after
    :data:`_MALLOC_INFO`, in a fresh process) calls ``write_report()``."""
    report = tmp_path / "malloc_info.xml"
    done = subprocess.run(
        [sys.executable, "-c", _MALLOC_INFO + textwrap.dedent(script), mode, report],
        cwd=REPO,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()
    return report.read_text()


_SESSIONS_ALLOCATE = """
all_allocated = threading.Barrier(9)
def session():  # blocks too big for Python's own allocator
    kept = [bytes(1500) for _ in range(1000)]
    all_allocated.wait()
    all_allocated.wait()
for _ in range(8):
    threading.Thread(target=session).start()
all_allocated.wait()
write_report()
all_allocated.wait()
"""


@pytest.mark.parametrize(
    ("mode", "most_heaps"),
    [
        ("limited", ui.memory.HEAPS),  # eight session threads share the two
        ("default", None),  # the control: glibc gives each thread its own
    ],
)
def test_session_threads_share_a_few_heaps(tmp_path, mode, most_heaps):
    heaps = _malloc_info(tmp_path, _SESSIONS_ALLOCATE, mode).count("<heap nr=")
    if most_heaps is None:
        assert heaps > ui.memory.HEAPS + 4
    else:
        assert heaps <= most_heaps


_BIG_BLOCKS = """
freed = bytes(8 << 20)  # a big block, freed: glibc raises its threshold
del freed
kept = [bytes(1 << 20) for _ in range(4)]
write_report()
"""


@pytest.mark.parametrize(
    ("mode", "own_pages"),
    [
        ("limited", True),  # 1 MB blocks keep pages of their own
        ("default", False),  # the control: after an 8 MB block, from the heap
    ],
)
def test_big_blocks_keep_pages_of_their_own(tmp_path, mode, own_pages):
    report = _malloc_info(tmp_path, _BIG_BLOCKS, mode)
    mapped = re.search(r'<total type="mmap" count="(\d+)"', report)
    assert (int(mapped.group(1)) >= 4) == own_pages


_ARRAYS_COME_AND_GO = """
import numpy as np
from graph.bulk import pages_kept
def report_to(suffix):
    report = libc.fopen((sys.argv[2] + suffix).encode(), b"w")
    libc.malloc_info(0, report)
    libc.fclose(report)
def resident_mb():
    status = open("/proc/self/status").read()
    return int(status.split("VmRSS:")[1].split()[0]) // 1024
def come_and_go():
    made = [np.ones(8 << 20) for _ in range(4)]  # 4 x 64 MB
    pinned.append(bytes(1 << 20))  # above them in the heap, and kept
report_to(".before")
pinned, resident_before = [], resident_mb()
with pages_kept():
    with pages_kept():  # nested, as a load inside a load's block
        come_and_go()
    kept = [np.ones(8 << 20) for _ in range(2)]
    report_to(".inside")
    del kept
after = np.ones(48 << 20)  # 384 MB: more than any hole in the heap
report_to(".after")
write_report()
with open(sys.argv[2], "a") as report:
    report.write(f"grew {resident_mb() - resident_before} MB")
"""


def _blocks_with_own_pages(report: str) -> int:
    return int(re.search(r'<total type="mmap" count="(\d+)"', report).group(1))


def test_a_block_with_pages_kept_takes_big_blocks_from_the_heap_then_gives_back(
    tmp_path,
):
    report = _malloc_info(tmp_path, _ARRAYS_COME_AND_GO, "limited")
    before, inside, after = (
        _blocks_with_own_pages((tmp_path / f"malloc_info.xml.{when}").read_text())
        for when in ("before", "inside", "after")
    )
    assert inside == before  # the 64 MB blocks came from the heap
    assert after == before + 1  # afterwards a big block has pages of its own
    # What the block freed went back, though a block kept since sits above it
    # in the heap: the process grew by the 384 MB array made after the block,
    # not by the 6 x 64 MB that came and went in it too.
    grew_mb = int(re.search(r"grew (-?\d+) MB", report).group(1))
    assert abs(grew_mb - 384) < 64


def test_what_expires_only_when_read_is_let_go_once_the_server_is_idle():
    script = textwrap.dedent(
        """
        import sys, threading, time
        import ui.memory
        ui.memory.IDLE_S = 0.1
        released = []
        ui.memory.release_when_idle(lambda: 1 / 0, 0.2)  # a release that fails
        ui.memory.release_when_idle(lambda: released.append(time.monotonic()), 0.3)
        ui.memory.note_activity()
        deadline = time.monotonic() + 10
        while len(released) < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        once_idle = len(released)
        ui.memory.note_activity()  # a run: let go again after the next idle spell
        while len(released) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        sys.exit(0 if (once_idle, len(released)) == (1, 2) else 1)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()


def test_saved_catalogues_are_let_go_by_an_idle_server():
    from ui.data import SAVED_KEPT_S, load_saved

    assert (SAVED_KEPT_S, load_saved.clear) in ui.memory._idle_releases


class _StandInServer:
    """What :func:`ui.memory.close_pageless_sessions` asks of the runtime."""

    def __init__(self, with_page: set[str]):
        self.with_page = with_page
        self.closed: list[str] = []

    def is_active_session(self, session_id: str) -> bool:
        return session_id in self.with_page

    def clear_user_info_for_session(self, session_id: str) -> None:
        self.closed.append(session_id)


@pytest.fixture
def stand_in_server(monkeypatch):
    server = _StandInServer(with_page={"open", "reopened"})
    monkeypatch.setattr(ui.memory.runtime, "exists", lambda: True)
    monkeypatch.setattr(ui.memory.runtime, "get_instance", lambda: server)
    monkeypatch.setattr(
        ui.memory, "_sessions", {"open": None, "closed": None, "reopened": 5.0}
    )
    return server


def test_sessions_are_closed_once_their_page_has_been_gone_a_while(stand_in_server):
    pageless_s = ui.memory._pageless_s()
    # The first look finds the closed page gone, and the reopened one back.
    assert ui.memory.close_pageless_sessions(100.0) == 0
    assert ui.memory._sessions == {"open": None, "closed": 100.0, "reopened": None}
    # Not long enough yet: a reconnect may still come.
    assert ui.memory.close_pageless_sessions(100.0 + pageless_s - 1) == 0
    assert ui.memory.close_pageless_sessions(100.0 + pageless_s) == 1
    assert stand_in_server.closed == ["closed"]
    # Closed once, and forgotten.
    assert ui.memory.close_pageless_sessions(1000.0) == 0
    assert ui.memory._sessions == {"open": None, "reopened": None}
