"""The server gives garbage back once it is idle (ui/memory.py)."""

from __future__ import annotations

import doctest
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
