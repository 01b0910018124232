"""Derived indexes of a career graph: one policy for all of them.

Each index has a public accessor that builds it on first use and keeps it in
``G.graph``. :func:`graph.build_graph` builds the structural ones before the
graph is shared, so a graph cached for many sessions is not written to later,
and a graph built any other way (``nx.MultiDiGraph`` by hand, a copy) still
answers every query.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable
from functools import partial
from typing import TypeVar

import networkx as nx
import numpy as np
import pandas as pd

from graph.adjacency import SameData, degree_counts, hold_in_arrays
from graph.bulk import SharedData, first_pairs, folded_codes, stable_order
from graph.roletable import RoleIndex, distinct_values, node_values, role_ids
from graph.schema import MOVE_TYPES, REPORTS_TO, SYMMETRIC_TYPES

__all__ = [
    "derived",
    "edge_arrays",
    "moves_graph",
    "relation_counts",
    "relation_digraph",
    "reporting_graph",
    "role_levels",
    "roles_by_title",
    "roles_without_reporting_line",
    "RELATION_INDEXES",
]

T = TypeVar("T")


def derived(G: nx.Graph, name: str, build: Callable[[nx.Graph], T]) -> T:
    """``G.graph[name]``, built with ``build(G)`` the first time it is asked for.

    Examples
    --------
    >>> G = nx.Graph([(1, 2)])
    >>> derived(G, "size", len), "size" in G.graph
    (2, True)
    """
    if name not in G.graph:
        G.graph[name] = build(G)
    return G.graph[name]


#: The data of every edge and node of a derived digraph: they carry none, and
#: one shared read-only dict costs nothing per edge (an empty dict each would
#: be about 64 bytes, 60 MB on a million-relation catalogue).
_NO_DATA = SharedData()


def relation_digraph(
    index: RoleIndex,
    sources: np.ndarray,
    targets: np.ndarray,
    kinds: np.ndarray,
    types: Collection[str],
    both_ways: Collection[str] = (),
) -> nx.DiGraph:
    """Every role, and an edge wherever one of ``types`` joins two roles; for
    the ``both_ways`` types, the reverse edge too.

    The relations are three arrays: ``sources`` and ``targets`` (positions in
    the roles' ``index``) and ``kinds`` (types): the columns of a validated edge table,
    which :func:`graph.build_graph` passes, or a graph's edges
    (:func:`edge_arrays`). The digraph holds its edges in arrays
    (:mod:`graph.adjacency`), in the order ``add_edge`` calls per relation
    would; ``tests/test_loading.py`` compares the result with a digraph built
    by ``add_edges_from``. Edges and nodes share one read-only data dict
    (:class:`graph.bulk.SharedData`): query the digraph, or copy it to
    change it.

    Examples
    --------
    >>> D = relation_digraph(RoleIndex(list("abc")), np.array([0, 1]),
    ...     np.array([1, 2]), np.array(["promotion", "x"]), types={"promotion"})
    >>> list(D.edges), len(D)
    ([('a', 'b')], 3)
    """
    kind_codes, kind_names = pd.factorize(kinds)

    def of_types(wanted: Collection[str]) -> np.ndarray:
        codes = [code for code, kind in enumerate(kind_names) if kind in wanted]
        return np.isin(kind_codes, codes)

    # Each relation's edge, then its reverse where it goes both ways: the
    # order add_edge calls would make them in.
    chosen = np.column_stack([of_types(types), of_types(both_ways)]).ravel()
    from_role = np.column_stack([sources, targets]).ravel()[chosen]
    to_role = np.column_stack([targets, sources]).ravel()[chosen]
    first = first_pairs(from_role, to_role)
    relations = nx.DiGraph()
    relations._node = SameData(index, _NO_DATA)
    hold_in_arrays(relations, index, from_role[first], to_role[first], _NO_DATA)
    return relations


def edge_arrays(
    G: nx.MultiDiGraph,
) -> tuple[RoleIndex, np.ndarray, np.ndarray, np.ndarray]:
    """A multigraph's roles, and its relations as the arrays
    :func:`relation_digraph` takes: source and target positions, and types.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="promotion")
    'promotion'
    >>> roles, sources, targets, kinds = edge_arrays(G)
    >>> roles.ids, sources.tolist(), targets.tolist(), kinds.tolist()
    (['a', 'b'], [0], [1], ['promotion'])
    """
    roles = RoleIndex(list(G))
    position = roles.position
    count = G.number_of_edges()
    edges = G.edges(keys=True)
    sources = np.fromiter((position[s] for s, _, _ in edges), np.int64, count)
    targets = np.fromiter((position[t] for _, t, _ in edges), np.int64, count)
    kinds = np.fromiter((k for _, _, k in edges), object, count)
    return roles, sources, targets, kinds


def moves_graph(G: nx.MultiDiGraph) -> nx.DiGraph:
    """Career moves as a simple digraph: what path searches run on. A
    symmetric relation (a related occupation) is a move both ways.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="promotion", type="promotion")
    'promotion'
    >>> G.add_edge("b", "c", key="reports_to", type="reports_to")
    'reports_to'
    >>> G.add_edge("c", "d", key="related", type="related")
    'related'
    >>> list(moves_graph(G).edges)
    [('a', 'b'), ('c', 'd'), ('d', 'c')]
    """
    return derived(G, "moves", partial(_from_graph, "moves"))


def reporting_graph(G: nx.MultiDiGraph) -> nx.DiGraph:
    """Reporting lines as a simple digraph, each edge from a role to its manager.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("clerk", "boss", key="reports_to", type="reports_to")
    'reports_to'
    >>> list(reporting_graph(G).edges)
    [('clerk', 'boss')]
    """
    return derived(G, "reporting", partial(_from_graph, "reporting"))


def role_levels(G: nx.Graph) -> dict[Hashable, int]:
    """Each role's level, in a plain dict: what path searches check at every
    step (``G.nodes[role]["level"]`` costs a view lookup each time).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("clerk", level=1)
    >>> role_levels(G)
    {'clerk': 1}
    """
    return derived(
        G, "role_levels", lambda G: dict(zip(G, node_values(G, "level"), strict=True))
    )


def roles_by_title(G: nx.Graph) -> tuple[Hashable, ...]:
    """Every role, in the order of their titles (ignoring case), then ids: the
    order lists of roles show. Sorting a million titles takes 1.6 s, so it is
    kept, and stored with a cached catalogue.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("b", title="analyst")
    >>> G.add_node("a", title="Buyer")
    >>> roles_by_title(G)
    ('b', 'a')
    """
    return derived(G, "roles_by_title", _by_title)


def _by_title(G: nx.Graph) -> tuple[Hashable, ...]:
    # Each distinct title is case-folded and ranked once, the roles ordered
    # by rank with numpy, and only roles of the same title compared by id:
    # 0.5-0.8 s instead of 1.9 s for a million (title, id) pairs sorted in
    # Python.
    roles = role_ids(G)
    title_at, titles = distinct_values(G, "title", "")
    folded_at, folded = folded_codes(titles)
    rank_of_folded = np.empty(len(folded), dtype=np.int64)
    rank_of_folded[np.argsort(folded)] = np.arange(len(folded))
    ranks = rank_of_folded[folded_at][title_at]
    order = stable_order(ranks)
    starts = np.flatnonzero(np.diff(ranks[order], prepend=-1))
    sizes = np.diff(starts, append=len(order))
    order = order.tolist()
    tied = np.flatnonzero(sizes > 1)
    ends = (starts + sizes)[tied].tolist()
    for start, end in zip(starts[tied].tolist(), ends, strict=True):
        order[start:end] = sorted(order[start:end], key=roles.__getitem__)
    return tuple([roles[at] for at in order])


def roles_without_reporting_line(G: nx.MultiDiGraph) -> tuple[Hashable, ...]:
    """The roles with no reporting line, above or below, in title order
    (:func:`roles_by_title`): they have no place in any org chart. Kept, as
    the org chart lists them on every run.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("z", title="Analyst")
    >>> G.add_edge("a", "b", key="reports_to", type="reports_to")
    'reports_to'
    >>> roles_without_reporting_line(G)
    ('z',)
    """
    return derived(G, "roles_without_reporting_line", _without_reporting_line)


def _without_reporting_line(G: nx.MultiDiGraph) -> tuple[Hashable, ...]:
    alone = degree_counts(reporting_graph(G)) == 0
    if not alone.any():
        return ()
    roles = list(G)
    unplaced = {roles[at] for at in np.flatnonzero(alone).tolist()}
    return tuple(role for role in roles_by_title(G) if role in unplaced)


def relation_counts(G: nx.MultiDiGraph) -> dict[str, int]:
    """How many relations of each type the graph holds, by type.

    :func:`graph.build_graph` counts them from the edge table; a graph built
    another way is walked once.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="promotion", type="promotion")
    'promotion'
    >>> G.add_edge("a", "b", key="reports_to", type="reports_to")
    'reports_to'
    >>> relation_counts(G)
    {'promotion': 1, 'reports_to': 1}
    """
    return derived(G, "relation_counts", _count_relations)


def _count_relations(G: nx.MultiDiGraph) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, _, kind in G.edges(keys=True):
        counts[kind] = counts.get(kind, 0) + 1
    return counts


#: The relation digraphs kept in ``G.graph``, by name: the relation types that
#: make an edge, and those that make one both ways.
RELATION_INDEXES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "moves": (frozenset(MOVE_TYPES), frozenset(SYMMETRIC_TYPES)),
    "reporting": (frozenset({REPORTS_TO}), frozenset()),
}


def _from_graph(name: str, G: nx.MultiDiGraph) -> nx.DiGraph:
    return relation_digraph(*edge_arrays(G), *RELATION_INDEXES[name])
