"""Building many Python objects at once without the garbage collector's
repeated passes over them."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collection_paused"]


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause automatic garbage collection for the block.

    Building a catalogue creates millions of dicts and lists; each few hundred
    new containers start a collection, and the older generations' passes walk
    everything built so far, so a 100,000-role build spent about a third of
    its time in the collector. Nothing built here is garbage, so pausing
    loses nothing; reference counting still frees what is dropped.
    Collection resumes afterwards if it was on before.

    Examples
    --------
    >>> with collection_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
