"""Derived indexes of a career graph: one policy for all of them.

Each index has a public accessor that builds it on first use and keeps it in
``G.graph``. :func:`graph.build_graph` builds the structural ones before the
graph is shared, so a graph cached for many sessions is not written to later,
and a graph built any other way (``nx.MultiDiGraph`` by hand, a copy) still
answers every query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import networkx as nx

from graph.schema import MOVE_TYPES, REPORTS_TO, SYMMETRIC_TYPES

__all__ = ["derived", "moves_graph", "reporting_graph", "STRUCTURAL_INDEXES"]

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


def _relation_digraph(
    G: nx.MultiDiGraph, types: tuple[str, ...], both_ways: tuple[str, ...] = ()
) -> nx.DiGraph:
    """Every role, and an edge wherever one of ``types`` joins two roles; for
    the ``both_ways`` types, the reverse edge too."""
    relations = nx.DiGraph()
    relations.add_nodes_from(G)
    relations.add_edges_from(
        (source, target)
        for source, targets in G.adjacency()
        for target, keyed in targets.items()
        if any(edge_type in keyed for edge_type in types)
    )
    if both_ways:
        relations.add_edges_from(
            (target, source)
            for source, targets in G.adjacency()
            for target, keyed in targets.items()
            if any(edge_type in keyed for edge_type in both_ways)
        )
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
    return derived(
        G, "moves", lambda G: _relation_digraph(G, MOVE_TYPES, SYMMETRIC_TYPES)
    )


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
    return derived(G, "reporting", lambda G: _relation_digraph(G, (REPORTS_TO,)))


#: Accessors that :func:`graph.build_graph` runs before a graph is shared.
STRUCTURAL_INDEXES: tuple[Callable[[nx.MultiDiGraph], object], ...] = (
    moves_graph,
    reporting_graph,
)
