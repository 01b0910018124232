"""Building: validated tables in, a networkx ``MultiDiGraph`` out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from graph.bulk import SharedData, collection_paused, fill_adjacency
from graph.errors import InvalidData
from graph.indexes import RELATION_INDEXES, relation_digraph, role_levels
from graph.reading import FIRST_DATA_ROW
from graph.roletable import RoleTable
from graph.schema import EDGE_REQUIRED
from graph.validation import validate_tables

__all__ = ["build_graph", "make_graph"]


def build_graph(roles: pd.DataFrame, edges: pd.DataFrame) -> nx.MultiDiGraph:
    """Build the career graph from validated tables.

    Nodes are role ids carrying the role's non-empty cells (``level`` as an
    int, list columns as lists), kept column by column in a read-only
    :class:`graph.roletable.RoleTable`. Edges are keyed by their ``type`` and carry
    ``type`` plus their non-empty optional cells; the data of edges with no
    optional cells is shared and read-only, and so is the key dict of two
    roles joined by one such edge only (change a ``G.copy()``). The
    relation digraphs of :mod:`graph.indexes` are built from the tables before
    the graph is returned; the search lookup (:func:`graph.search.role_lookup`)
    waits for the first search by name, which a lookup by id never needs. Warm
    it before sharing a graph between threads.
    """
    with collection_paused():
        # Relations name their roles by position, so the graph holds the
        # roles' own id strings, not the edge table's copies (pandas shares
        # equal strings within a column, not across tables): 19 MB less on
        # 100,000 roles, and a pickle 6 MB smaller.
        G = nx.MultiDiGraph()
        G._node = RoleTable(roles)
        ids = list(G._node)
        positions = pd.Index(ids)
        sources = positions.get_indexer(edges["source"]).astype(np.int32)
        targets = positions.get_indexer(edges["target"]).astype(np.int32)
        kinds = edges["type"].to_numpy()
        fill_adjacency(G, ids, *_key_dicts(sources, targets, kinds, edges))
        for name, types in RELATION_INDEXES.items():
            G.graph[name] = relation_digraph(ids, sources, targets, kinds, *types)
        role_levels(G)
        G.graph["relation_counts"] = edges["type"].value_counts(sort=False).to_dict()
    return G


def _key_dicts(
    sources: np.ndarray, targets: np.ndarray, kinds: np.ndarray, edges: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each pair of roles a relation joins, in the order of their first
    relation, with its key dict (type -> the relation's data).

    Two roles joined by one relation that carries nothing but its type, by
    far the most common case, share one read-only key dict per type
    (``{"promotion": {"type": "promotion"}}``) instead of a dict each: about
    180 bytes a relation, 83 MB on 100,000 roles, and a quarter of the time
    to write and read a cached catalogue.
    """
    edge_data, carries_data = _edge_data(edges)
    width = np.int64(max(sources.max(initial=0), targets.max(initial=0)) + 1)
    _, first, pair_of, relations = np.unique(
        sources.astype(np.int64) * width + targets,
        return_index=True,
        return_inverse=True,
        return_counts=True,
    )
    kind_codes, kind_names = pd.factorize(kinds)
    keyed = np.empty(len(first), dtype=object)
    type_only_by_kind = np.empty(len(kind_names), dtype=object)
    for code, kind in enumerate(kind_names):
        type_only_by_kind[code] = SharedData({kind: SharedData(type=kind)})
    alone = (relations == 1) & ~carries_data[first]
    keyed[alone] = type_only_by_kind[kind_codes[first[alone]]]
    # A pair with a second relation, or a relation with data: a dict of its own
    for position in np.flatnonzero(~alone[pair_of]).tolist():
        pair = pair_of[position]
        if keyed[pair] is None:
            keyed[pair] = {}
        keyed[pair][kinds[position]] = edge_data[position]
    in_order = np.argsort(first)
    chosen = first[in_order]
    return sources[chosen], targets[chosen], keyed[in_order]


def make_graph(
    roles: Iterable[Mapping[str, object]],
    edges: Iterable[tuple[str, str, str]] = (),
) -> nx.MultiDiGraph:
    """Validate and build a graph from Python rows: handy for tests and notebooks.

    ``roles`` are dicts with at least id, title, family and level; ``edges``
    are ``(source, target, type)`` tuples.

    Examples
    --------
    >>> G = make_graph(
    ...     [{"id": "a", "title": "Clerk", "family": "Ops", "level": 1},
    ...      {"id": "b", "title": "Boss", "family": "Ops", "level": 2}],
    ...     [("a", "b", "promotion"), ("a", "b", "reports_to")])
    >>> sorted(G["a"]["b"])
    ['promotion', 'reports_to']
    """
    role_table = pd.DataFrame(
        [{k: str(v) for k, v in row.items()} for row in roles], dtype=object
    ).fillna("")
    edge_table = pd.DataFrame(list(edges), columns=list(EDGE_REQUIRED), dtype=object)
    for table in (role_table, edge_table):
        table.index = pd.RangeIndex(len(table)) + FIRST_DATA_ROW
    report = validate_tables(role_table, edge_table)
    if not report.ok:
        raise InvalidData(report)
    return build_graph(role_table, edge_table)


def _edge_data(edges: pd.DataFrame) -> tuple[list[dict], np.ndarray]:
    """Each relation's data: its type and its non-empty optional cells, typed;
    and which relations carry more than their type. Relations with nothing
    but a type share one read-only dict per type
    (:class:`graph.bulk.SharedData`), made without a dict of their own first:
    they are nearly all of a large catalogue's relations."""
    kinds = edges["type"].to_numpy()
    type_only = {kind: SharedData({"type": kind}) for kind in pd.unique(kinds)}
    edge_data: list[dict] = [type_only[kind] for kind in kinds]
    columns = [column for column in edges.columns if column not in ("source", "target")]
    cells = {column: edges[column].to_numpy() for column in columns}
    optional = [cells[column] != "" for column in columns if column != "type"]
    carries_data = (
        np.logical_or.reduce(optional) if optional else np.zeros(len(kinds), bool)
    )
    for position in carries_data.nonzero()[0]:
        data = {
            column: cells[column][position]
            for column in columns
            if cells[column][position] != ""
        }
        if "typical_years" in data:
            data["typical_years"] = float(data["typical_years"])
        if "rank" in data:
            data["rank"] = int(float(data["rank"]))
        edge_data[position] = data
    return edge_data, carries_data
