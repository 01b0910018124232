"""Relations kept in arrays: what a built catalogue's adjacency holds.

networkx keeps a graph's edges as a dict per node of neighbour -> edge data
(``G._succ`` and ``G._pred``). Built from a validated edge table, those are
tens of millions of small objects on a million roles: most of the build's
time, of the build cache's read-back and of the memory a server holds after
its sessions close. A built catalogue and its relation digraphs keep their
edges in a compressed adjacency instead: per node, the positions of its
neighbours in one integer array, and the edge data as a code into a small
pool of data dicts (or one shared dict). :class:`Adjacency` is the mapping
networkx reads as ``G._succ`` or ``G._pred``: ``G._succ[node]`` makes that
node's neighbourhood when asked for, a read-only dict in the order
``add_edge`` calls would have made it, holding the pool's own data dicts,
so ``G._succ[u][v] is G._pred[v][u]`` as networkx leaves them.

networkx's queries, views and algorithms read it like its own dicts.
Changing a built catalogue's relations raises ``TypeError`` and says to
change ``G.copy()``, which gives ordinary dicts.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import networkx as nx
import numpy as np

from graph.bulk import ReadOnlyDict, group_places, stable_order
from graph.roletable import RoleIndex, RoleMapping

__all__ = [
    "Adjacency",
    "Neighbours",
    "SameData",
    "adjacency_pair",
    "degree_counts",
    "hold_in_arrays",
]


class Neighbours(ReadOnlyDict):
    """A node's neighbourhood in a built catalogue (neighbour -> edge data),
    made when asked for: a change to it would be lost, so it is refused."""

    __slots__ = ()
    refusal = "a built catalogue's relations are read-only"


class Adjacency(RoleMapping):
    """Node -> :class:`Neighbours`, read from arrays (see the module).

    ``starts`` holds where each node's neighbours begin in ``others`` (one
    more entry than nodes); ``others`` the neighbours' positions in
    ``index``; ``codes`` each edge's position in ``pool``, or ``None`` when
    every edge has ``pool`` itself as its data.

    Examples
    --------
    >>> index = RoleIndex(["a", "b", "c"])
    >>> succ, pred = adjacency_pair(index, np.array([0, 0, 1]),
    ...                              np.array([1, 2, 2]), "data")
    >>> succ["a"], pred["c"], len(succ), list(succ)
    ({'b': 'data', 'c': 'data'}, {'a': 'data', 'b': 'data'}, 3, ['a', 'b', 'c'])
    >>> succ["a"]["z"] = "new"
    Traceback (most recent call last):
    ...
    TypeError: a built catalogue's relations are read-only: change G.copy() instead
    """

    __slots__ = ("_codes", "_others", "_pool", "_starts")
    refusal = Neighbours.refusal

    def __init__(
        self,
        index: RoleIndex,
        starts: np.ndarray,
        others: np.ndarray,
        codes: np.ndarray | None,
        pool: object,
    ) -> None:
        self.index, self._starts, self._others = index, starts, others
        self._codes, self._pool = codes, pool

    def __getitem__(self, node: Hashable) -> Neighbours:
        at = self.index.position[node]
        start, end = int(self._starts[at]), int(self._starts[at + 1])
        ids = self.index.ids
        others = [ids[other] for other in self._others[start:end].tolist()]
        if self._codes is None:
            return Neighbours(dict.fromkeys(others, self._pool))
        pool = self._pool
        data = [pool[code] for code in self._codes[start:end].tolist()]
        return Neighbours(zip(others, data, strict=True))

    def counts(self) -> np.ndarray:
        """How many neighbours each node has, in node order."""
        return np.diff(self._starts)

    def positions_after(self, at: int) -> list[int]:
        """The positions of the neighbours of the node at position ``at``, in
        order: what a search over positions walks, without a dict per node."""
        return self._others[self._starts[at] : self._starts[at + 1]].tolist()

    def edges_from(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every edge of the nodes at ``positions``, as two arrays: the node's
        position and its neighbour's, a layer of a breadth-first search at
        once.

        Examples
        --------
        >>> succ, _ = adjacency_pair(RoleIndex(list("abc")), np.array([0, 0, 1]),
        ...                          np.array([1, 2, 2]), None)
        >>> [side.tolist() for side in succ.edges_from(np.array([1, 0]))]
        [[1, 0, 0], [2, 1, 2]]
        """
        places, counts = group_places(self._starts, positions)
        return np.repeat(positions, counts), self._others[places]

    def __reduce__(self) -> tuple:
        state = (self.index, self._starts, self._others, self._codes, self._pool)
        return (Adjacency, state)

    def __repr__(self) -> str:
        return f"<Adjacency of {len(self):,} nodes, {len(self._others):,} edges>"


class SameData(RoleMapping):
    """Node -> the one read-only data dict every node of a relation digraph
    shares, over the catalogue's :class:`graph.roletable.RoleIndex`: no dict
    per role.

    Examples
    --------
    >>> nodes = SameData(RoleIndex(["a", "b"]), {})
    >>> dict(nodes), "c" in nodes
    ({'a': {}, 'b': {}}, False)
    """

    __slots__ = ("_data",)
    refusal = Neighbours.refusal

    def __init__(self, index: RoleIndex, data: Mapping) -> None:
        self.index, self._data = index, data

    def __getitem__(self, node: Hashable) -> Mapping:
        if node not in self.index.position:
            raise KeyError(node)
        return self._data

    def __reduce__(self) -> tuple:
        return (SameData, (self.index, self._data))


def adjacency_pair(
    index: RoleIndex,
    sources: np.ndarray,
    targets: np.ndarray,
    data: object | tuple[np.ndarray, Sequence[object]],
) -> tuple[Adjacency, Adjacency]:
    """The successors and predecessors of a graph whose edges are
    ``(index.ids[sources[i]], index.ids[targets[i]])``, one per distinct
    pair, in that order: each node's neighbours in the order their edges
    come, as ``add_edge`` calls in that order would leave them.

    ``data`` is every edge's data, or ``(codes, pool)``: edge ``i``'s data is
    ``pool[codes[i]]``. ``tests/test_loading.py`` compares the result with a
    graph built by ``add_edge``.

    Examples
    --------
    >>> succ, pred = adjacency_pair(RoleIndex(["a", "b", "c"]),
    ...     np.array([1, 0]), np.array([2, 2]), (np.array([1, 0]), ["x", "y"]))
    >>> succ["a"], succ["b"], pred["c"], pred["a"]
    ({'c': 'x'}, {'c': 'y'}, {'b': 'y', 'a': 'x'}, {})
    """
    codes, pool = data if isinstance(data, tuple) else (None, data)
    adjacencies = []
    for here, there in ((sources, targets), (targets, sources)):
        # A stable sort keeps each node's edges in the arrays' order.
        order = stable_order(here)
        starts = np.zeros(len(index) + 1, dtype=np.int64)
        np.cumsum(np.bincount(here, minlength=len(index)), out=starts[1:])
        others = there[order].astype(np.int32)
        coded = None if codes is None else codes[order].astype(np.int32)
        adjacencies.append(Adjacency(index, starts, others, coded, pool))
    succ, pred = adjacencies
    return succ, pred


def hold_in_arrays(
    D: nx.DiGraph,
    index: RoleIndex,
    sources: np.ndarray,
    targets: np.ndarray,
    data: object | tuple[np.ndarray, Sequence[object]],
) -> None:
    """Make the edges of ``D``, a digraph or multidigraph with no edges, the
    ones :func:`adjacency_pair` keeps in arrays: its successors and
    predecessors, and ``D._adj`` the successors, as networkx keeps them.

    Examples
    --------
    >>> D = nx.DiGraph()
    >>> hold_in_arrays(D, RoleIndex(["a", "b"]), np.array([0]), np.array([1]), {})
    >>> list(D.edges), list(D.pred["b"])
    ([('a', 'b')], ['a'])
    """
    D._succ, D._pred = adjacency_pair(index, sources, targets, data)
    D._adj = D._succ


def degree_counts(D: nx.DiGraph, direction: str = "both") -> np.ndarray:
    """Each node's number of successors (``"out"``), predecessors (``"in"``)
    or both, in node order: read from the arrays of a built catalogue's
    digraph, where ``D.out_degree`` would make every node's neighbourhood,
    else counted. A digraph's degree, as ``D.degree`` counts it; for a
    multigraph, the number of distinct neighbours.

    Examples
    --------
    >>> D = nx.DiGraph([("a", "b"), ("c", "b")])
    >>> degree_counts(D).tolist(), degree_counts(D, "in").tolist()
    ([1, 2, 1], [0, 2, 0])
    """
    sides = {"out": (D._succ,), "in": (D._pred,), "both": (D._succ, D._pred)}
    total = np.zeros(len(D), dtype=np.int64)
    for adjacency in sides[direction]:
        if isinstance(adjacency, Adjacency):
            total += adjacency.counts()
        else:
            total += np.fromiter(map(len, adjacency.values()), np.int64, len(D))
    return total
