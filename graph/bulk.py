"""Work on many values at once: Python objects built without the garbage
collector's repeated passes over them, memory reused rather than given back
and taken again, integer codes grouped with numpy, and columns of strings
handed to pyarrow."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = [
    "ReadOnlyDict",
    "arrow_backed",
    "arrow_strings",
    "SharedData",
    "collection_paused",
    "distinct",
    "first_pairs",
    "folded_codes",
    "glibc",
    "group_places",
    "pages_kept",
    "pair_codes",
    "stable_order",
]


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause automatic garbage collection for the block.

    Building a catalogue creates millions of dicts and lists; each few hundred
    new containers start a collection, and the older generations' passes walk
    everything built so far, so a 100,000-role build spent about a third of
    its time in the collector. Nothing built here is garbage, so pausing
    loses nothing; reference counting still frees what is dropped.
    Collection resumes afterwards if it was on before, and what was built
    goes straight to the oldest generation (``gc.freeze`` then
    ``gc.unfreeze``): otherwise the first collections after the block would
    each walk all of it again, young then middle-aged, about 0.4 s a pass on
    100,000 roles, landing in the first queries.

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
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


@cache
def glibc() -> ctypes.CDLL | None:
    """The C library, where it is glibc, whose heaps can be tuned and
    trimmed; ``None`` elsewhere (musl, macOS), where there is nothing to do.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None


#: glibc's ``mallopt`` parameters and their starting values: how much free
#: memory at a heap's top it keeps (``M_TRIM_THRESHOLD``), and how many
#: blocks may have pages of their own (``M_MMAP_MAX``).
_M_TRIM_THRESHOLD, _TRIM_THRESHOLD_AT_START = -1, 128 * 1024
_M_MMAP_MAX, _MMAP_MAX_AT_START = -4, 65536
_pages_kept_depth = 0
_pages_kept_lock = threading.Lock()


@contextmanager
def pages_kept() -> Iterator[None]:
    """Keep the memory the block frees, for the block to use again, and give
    it back to the system afterwards (on glibc; elsewhere it does nothing).

    Loading a catalogue makes and drops arrays of every size. glibc gives a
    big one pages of its own and returns them when it is freed, so the next
    array's pages are new again: each new page is a fault, and the kernel
    zeroes it. A million roles' load faulted 1.2 million times and spent
    8.7-10.7 s in the kernel of its 15-17 s. With big blocks taken from the
    heap and the heap kept while the block runs, it faulted 0.76 million
    times and took 12.0-12.7 s (two runs each). What the block freed is given
    back when it ends (``malloc_trim``, 12 ms there): the block leaves behind
    only what it built.

    Blocks may nest, in any thread; the outermost one's end gives back.

    Examples
    --------
    >>> with pages_kept():
    ...     kept = bytes(64 << 20)  # from the heap, not pages of its own
    """
    global _pages_kept_depth
    libc = glibc()
    if libc is None:
        yield
        return
    with _pages_kept_lock:
        _pages_kept_depth += 1
        if _pages_kept_depth == 1:
            libc.mallopt(_M_MMAP_MAX, 0)
            libc.mallopt(_M_TRIM_THRESHOLD, 2**31 - 1)
    try:
        yield
    finally:
        with _pages_kept_lock:
            _pages_kept_depth -= 1
            if _pages_kept_depth == 0:
                libc.mallopt(_M_MMAP_MAX, _MMAP_MAX_AT_START)
                libc.mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD_AT_START)
                libc.malloc_trim(0)


class ReadOnlyDict(dict):
    """A dict of a built catalogue that refuses changes, saying why
    (``refusal``) and what to do instead: change a ``G.copy()``, which gives
    ordinary dicts. Reading works as with any dict (it is one, so
    ``json.dumps`` and ``isinstance(data, dict)`` too); ``copy()`` gives an
    ordinary dict.
    """

    __slots__ = ()
    refusal = "read-only"

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise TypeError(f"{self.refusal}: change G.copy() instead")

    __setitem__ = __delitem__ = _refuse
    clear = pop = popitem = setdefault = update = __ior__ = _refuse  # type: ignore[assignment]

    def copy(self) -> dict:
        return dict(self)

    def __reduce__(self) -> tuple:
        # dict's own pickling would set the items one by one: refused above
        return (type(self), (dict(self),))


class SharedData(ReadOnlyDict):
    """Attribute data that many edges (or nodes) of a built catalogue share,
    so it is read-only.

    Most relations carry nothing but their type; one ``{"type": "promotion"}``
    for every such promotion saves a dict per relation (about 180 bytes; 85 MB
    on 460,000 relations) and a third of the time to read a cached catalogue
    back. ``G.copy()`` gives every edge a dict of its own to change.

    Examples
    --------
    >>> data = SharedData(type="promotion")
    >>> data["type"], data.get("rank"), dict(data)
    ('promotion', None, {'type': 'promotion'})
    >>> data["rank"] = 1
    Traceback (most recent call last):
    ...
    TypeError: shared by many edges of a built catalogue: change G.copy() instead
    >>> data.copy()["rank"] = 1  # a copy is an ordinary dict
    """

    __slots__ = ()
    refusal = "shared by many edges of a built catalogue"


def pair_codes(sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """One integer per ``(source, target)`` pair of non-negative integer
    codes, equal where the pairs are.

    Examples
    --------
    >>> pair_codes(np.array([0, 1, 0]), np.array([1, 0, 1])).tolist()
    [1, 2, 1]
    """
    width = np.int64(max(sources.max(initial=0), targets.max(initial=0)) + 1)
    return sources.astype(np.int64) * width + targets


def first_pairs(sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """The positions of each distinct ``(source, target)`` pair's first
    occurrence, in order: the edges ``add_edge`` calls in that order would
    have made, each where it was first made (setting an edge again moves it
    nowhere). ``sources`` and ``targets`` are non-negative integer codes.

    Examples
    --------
    >>> first_pairs(np.array([0, 1, 0, 0]), np.array([1, 2, 1, 2]))
    array([0, 1, 3])
    """
    first, _, _ = distinct(pair_codes(sources, targets))
    first.sort()
    return first


def distinct(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For the distinct values of ``codes``, in ascending order: each one's
    first position, each entry's value as a number (its rank among them),
    and how often each comes. What ``np.unique`` returns with
    ``return_index``, ``return_inverse`` and ``return_counts``, but the values,
    in a third of its time: numpy sorts for it with a stable sort, this with
    its fastest, and takes each value's least position.

    Examples
    --------
    >>> [a.tolist() for a in distinct(np.array([7, 3, 7, 7, 3, 5]))]
    [[1, 5, 0], [2, 0, 2, 2, 0, 1], [2, 1, 3]]
    """
    order = np.argsort(codes)
    ordered = codes[order]
    starts_value = np.ones(len(codes), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=starts_value[1:])
    starts = np.flatnonzero(starts_value)
    first = np.minimum.reduceat(order, starts) if len(codes) else starts
    numbers = np.empty(len(codes), dtype=np.intp)
    numbers[order] = np.cumsum(starts_value) - 1
    return first, numbers, np.diff(starts, append=len(codes))


def folded_codes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each text's case-folded form as a code into the distinct forms, in the
    order first met: for texts already distinct, as a column's distinct
    titles, whose case-folded forms may still repeat.

    Examples
    --------
    >>> codes, forms = folded_codes(["Ab", "x", "aB"])
    >>> codes.tolist(), forms.tolist()
    ([0, 1, 0], ['ab', 'x'])
    """
    folded = np.empty(len(texts), dtype=object)
    folded[:] = [text.casefold() for text in texts]
    return pd.factorize(folded)


def group_places(
    starts: np.ndarray, groups: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Where the items of ``groups`` lie in a flat array whose group ``g`` holds
    the places ``starts[g]:starts[g + 1]``, group after group, and how many
    items each group has: a layer of a search over such a layout at once.

    Examples
    --------
    >>> [a.tolist() for a in group_places(np.array([0, 2, 2, 5]), np.array([2, 0]))]
    [[2, 3, 4, 0, 1], [3, 2]]
    """
    firsts = starts[groups]
    counts = starts[groups + 1] - firsts
    # each item's place: its group's first, plus its rank among them
    before = np.cumsum(counts) - counts
    return np.repeat(firsts - before, counts) + np.arange(counts.sum()), counts


def stable_order(values: np.ndarray) -> np.ndarray:
    """``np.argsort(values, kind="stable")`` for non-negative integers, sorted
    16 bits at a time, where numpy sorts by counting (a radix sort): half the
    time for a million roles' positions.

    Examples
    --------
    >>> stable_order(np.array([70000, 3, 70000, 0, 3])).tolist()
    [3, 1, 4, 0, 2]
    """
    order = np.arange(len(values))
    bits = int(values.max(initial=0)).bit_length()
    for shift in range(0, max(bits, 1), 16):
        digits = ((values[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digits, kind="stable")]
    return order


def arrow_backed(values: pd.Series) -> bool:
    """Whether ``values`` are pandas' Arrow-backed strings (``str``).

    Examples
    --------
    >>> arrow_backed(pd.Series(["a"], dtype="str")), arrow_backed(pd.Series([1]))
    (True, False)
    """
    dtype = values.dtype
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def arrow_strings(values: pd.Series) -> pa.LargeStringArray:
    """A column of strings as one pyarrow array: its own Arrow data where it
    is Arrow-backed (its chunks joined), its Python strings copied otherwise.

    Examples
    --------
    >>> arrow_strings(pd.Series(["a", "b"], dtype=object)).to_pylist()
    ['a', 'b']
    """
    array = pa.array(values, type=pa.large_string())
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
