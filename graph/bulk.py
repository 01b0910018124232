"""Building many Python objects at once without the garbage collector's
repeated passes over them."""

from __future__ import annotations

import gc
from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager

import networkx as nx
import numpy as np

__all__ = [
    "SharedData",
    "collection_paused",
    "fill_adjacency",
    "first_pairs",
    "pair_codes",
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


class SharedData(dict):
    """Attribute data that many edges (or nodes) of a built catalogue share,
    so it is read-only.

    Most relations carry nothing but their type; one ``{"type": "promotion"}``
    for every such promotion saves a dict per relation (about 180 bytes; 85 MB
    on 460,000 relations) and a third of the time to read a cached catalogue
    back. Reading works as with any dict (it is one, so ``json.dumps`` and
    ``isinstance(data, dict)`` too); writing raises ``TypeError``, since it
    would change every edge at once. ``G.copy()`` gives every edge a dict of
    its own to change.

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

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise TypeError(
            "shared by many edges of a built catalogue: change G.copy() instead"
        )

    __setitem__ = __delitem__ = _refuse
    clear = pop = popitem = setdefault = update = __ior__ = _refuse  # type: ignore[assignment]

    def copy(self) -> dict:
        return dict(self)

    def __reduce__(self) -> tuple:
        # dict's own pickling would set the items one by one: refused above
        return (SharedData, (dict(self),))


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
    _, first = np.unique(pair_codes(sources, targets), return_index=True)
    first.sort()
    return first


def fill_adjacency(
    G: nx.DiGraph,
    nodes: Sequence[Hashable],
    sources: np.ndarray,
    targets: np.ndarray,
    edge_data: Sequence[object] | dict,
) -> None:
    """Fill the adjacency dicts of a graph that holds ``nodes`` and no edges
    with one edge per distinct pair
    ``(nodes[sources[i]], nodes[targets[i]])``, in the order of the arrays, as
    ``add_edge`` calls in that order would: each node's neighbours in the
    order their edges come, ``G._succ[u][v] is G._pred[v][u]``.

    ``edge_data`` is each edge's data dict (a multigraph's key dict), or one
    read-only dict for all. The caller adds the nodes, with their data, in
    ``nodes``' order. A loop per node
    with a dict made in C per neighbourhood, instead of a loop per edge: the
    100,000-role build took 1.19 s instead of 1.39 s. At a million roles the
    gain is small: making the dicts, not the loop, is what costs there.
    ``tests/test_loading.py`` compares the result with ``add_edge``'s.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_nodes_from("abc")
    >>> fill_adjacency(G, ["a", "b", "c"], np.array([1, 0]), np.array([2, 2]),
    ...                [{"w": 1}, {"w": 2}])
    >>> list(G.edges(data=True)), list(G.pred["c"])
    ([('a', 'c', {'w': 2}), ('b', 'c', {'w': 1})], ['b', 'a'])
    """
    # fromiter, not array(): a node may be a tuple, which array() would unpack
    ids = np.fromiter(nodes, dtype=object, count=len(nodes))
    shared = isinstance(edge_data, dict)
    if not shared and not isinstance(edge_data, np.ndarray):
        edge_data = np.fromiter(edge_data, dtype=object, count=len(edge_data))
    for adjacency, here, there in (
        (G._succ, sources, targets),
        (G._pred, targets, sources),
    ):
        order = np.argsort(here, kind="stable")
        neighbours = ids[there[order]].tolist()
        values = None if shared else edge_data[order].tolist()
        ends = np.cumsum(np.bincount(here, minlength=len(nodes))).tolist()
        start = 0
        for node, end in zip(nodes, ends, strict=True):
            if shared:
                adjacency[node] = dict.fromkeys(neighbours[start:end], edge_data)
            else:
                adjacency[node] = dict(
                    zip(neighbours[start:end], values[start:end], strict=True)
                )
            start = end
