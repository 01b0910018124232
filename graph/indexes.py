"""Derived indexes of a career graph: one policy for all of them.

Each index has a public accessor that builds it on first use and keeps it in
``G.graph``. :func:`graph.build_graph` builds the structural ones before the
graph is shared, so a graph cached for many sessions is not written to later,
and a graph built any other way (``nx.MultiDiGraph`` by hand, a copy) still
answers every query.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable
from functools import partial
from typing import TypeVar

import networkx as nx

from graph.bulk import SharedData
from graph.schema import MOVE_TYPES, REPORTS_TO, SYMMETRIC_TYPES

__all__ = [
    "derived",
    "moves_graph",
    "relation_counts",
    "relation_digraph",
    "reporting_graph",
    "role_levels",
    "roles_by_title",
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
    roles: Iterable[Hashable],
    typed_edges: Iterable[tuple[Hashable, Hashable, str]],
    types: Collection[str],
    both_ways: Collection[str] = (),
) -> nx.DiGraph:
    """Every role, and an edge wherever one of ``types`` joins two roles; for
    the ``both_ways`` types, the reverse edge too.

    ``typed_edges`` are ``(source, target, type)``: a graph's
    ``G.edges(keys=True)``, or the columns of a validated edge table, which
    :func:`graph.build_graph` passes to skip a walk over the graph. The
    adjacency dicts are filled directly, as ``add_edge`` would fill them
    (``add_edges_from`` checks and copies per edge, about four times slower);
    ``tests/test_loading.py`` compares the result with a digraph built by
    ``add_edges_from``. Edges and nodes share one read-only data dict
    (:class:`graph.bulk.SharedData`): query the digraph, or copy it to
    change it.

    Examples
    --------
    >>> D = relation_digraph("abc", [("a", "b", "promotion"), ("b", "c", "x")],
    ...                      types={"promotion"})
    >>> list(D.edges), len(D)
    ([('a', 'b')], 3)
    """
    relations = nx.DiGraph()
    nodes, succ, pred = relations._node, relations._succ, relations._pred
    for role in roles:
        nodes[role] = _NO_DATA
        succ[role] = {}
        pred[role] = {}
    for source, target, kind in typed_edges:
        if kind in types:
            succ[source][target] = pred[target][source] = _NO_DATA
        if kind in both_ways:
            succ[target][source] = pred[source][target] = _NO_DATA
    return relations


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
    return derived(G, "role_levels", lambda G: dict(G.nodes(data="level")))


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
    titles = G.nodes(data="title", default="")
    return tuple(role for _, role in sorted((t.casefold(), r) for r, t in titles))


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
    return relation_digraph(G, G.edges(keys=True), *RELATION_INDEXES[name])
