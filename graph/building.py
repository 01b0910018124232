"""Building: validated tables in, a networkx ``MultiDiGraph`` out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from graph.bulk import SharedData, collection_paused
from graph.errors import InvalidData
from graph.indexes import RELATION_INDEXES, relation_digraph, role_levels
from graph.lists import split_list
from graph.reading import FIRST_DATA_ROW
from graph.schema import EDGE_REQUIRED, ROLE_LIST_COLUMNS
from graph.validation import validate_tables

__all__ = ["build_graph", "make_graph"]


def build_graph(roles: pd.DataFrame, edges: pd.DataFrame) -> nx.MultiDiGraph:
    """Build the career graph from validated tables.

    Nodes are role ids carrying the role's non-empty cells (``level`` as an
    int, list columns as lists). Edges are keyed by their ``type`` and carry
    ``type`` plus their non-empty optional cells; the data of edges with no
    optional cells is shared and read-only, and so is the key dict of two
    roles joined by one such edge only (change a ``G.copy()``). The
    relation digraphs of :mod:`graph.indexes` are built from the tables before
    the graph is returned; the search lookup (:func:`graph.search.role_lookup`)
    waits for the first search by name, which a lookup by id never needs. Warm
    it before sharing a graph between threads.
    """
    with collection_paused():
        role_data = _cell_dicts(roles, skip=())
        # One string object per distinct list item: a skill named by 10,000
        # roles is held once, not 10,000 times.
        items: dict[str, str] = {}
        for data in role_data:
            data["level"] = int(float(data["level"]))
            for column in ROLE_LIST_COLUMNS:
                if column in data:
                    data[column] = [
                        items.setdefault(item, item)
                        for item in split_list(data[column])
                    ]
        # Relations name their roles with the roles' own id strings, not the
        # edge table's (pandas shares equal strings within a column, not
        # across tables): 19 MB less on 100,000 roles, a pickle 6 MB smaller.
        ids = {role: role for role in roles["id"]}
        sources = [ids[source] for source in edges["source"]]
        targets = [ids[target] for target in edges["target"]]
        edge_data = _edge_data(edges)
        G = nx.MultiDiGraph()
        _fill_multidigraph(
            G,
            zip(roles["id"], role_data, strict=True),
            zip(sources, targets, edge_data, strict=True),
        )
        typed_edges = list(zip(sources, targets, edges["type"], strict=True))
        for name, types in RELATION_INDEXES.items():
            G.graph[name] = relation_digraph(roles["id"], typed_edges, *types)
        role_levels(G)
        G.graph["relation_counts"] = edges["type"].value_counts(sort=False).to_dict()
    return G


def _fill_multidigraph(
    G: nx.MultiDiGraph, nodes: Iterable[tuple], edges: Iterable[tuple]
) -> None:
    """Fill an empty graph's adjacency dicts directly, as ``add_edge`` would.

    ``add_edges_from`` spends most of its time on per-edge checks and views
    (about 25 µs an edge); on validated data they are not needed, and filling
    the dicts is several times faster. ``tests/test_loading.py`` compares the
    result with a graph built by ``add_node``/``add_edge`` from the CSV rows.

    Two roles joined by one relation that carries nothing but its type, by
    far the most common case, share one read-only key dict per type
    (``{"promotion": {"type": "promotion"}}``) instead of a dict each: about
    180 bytes a relation, 83 MB on 100,000 roles, and a quarter of the time
    to write and read a cached catalogue.
    """
    for node, data in nodes:
        G._node[node] = data
        G._succ[node] = {}
        G._pred[node] = {}
    succ, pred = G._succ, G._pred
    shared_keys: dict[str, SharedData] = {}
    for source, target, data in edges:
        kind = data["type"]
        keyed = succ[source].get(target)
        if keyed is None:
            if type(data) is SharedData:
                keyed = shared_keys.get(kind) or shared_keys.setdefault(
                    kind, SharedData({kind: data})
                )
                succ[source][target] = pred[target][source] = keyed
                continue
            keyed = succ[source][target] = pred[target][source] = {}
        elif type(keyed) is SharedData:  # a second relation: a dict of its own
            keyed = succ[source][target] = pred[target][source] = dict(keyed)
        keyed[kind] = data


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


def _edge_data(edges: pd.DataFrame) -> list[dict]:
    """Each relation's data: its type and its non-empty optional cells, typed.
    Relations with nothing but a type share one read-only dict per type
    (:class:`graph.bulk.SharedData`), made without a dict of their own first:
    they are nearly all of a large catalogue's relations."""
    kinds = edges["type"].to_numpy()
    type_only = {kind: SharedData({"type": kind}) for kind in pd.unique(kinds)}
    edge_data: list[dict] = [type_only[kind] for kind in kinds]
    columns = [column for column in edges.columns if column not in ("source", "target")]
    cells = {column: edges[column].to_numpy() for column in columns}
    optional = [cells[column] != "" for column in columns if column != "type"]
    for position in np.logical_or.reduce(optional).nonzero()[0] if optional else ():
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
    return edge_data


def _cell_dicts(table: pd.DataFrame, skip: tuple[str, ...]) -> list[dict]:
    """One dict per row holding its non-empty cells, filled column by column."""
    dicts: list[dict] = [{} for _ in range(len(table))]
    for column in table.columns:
        if column in skip:
            continue
        values = table[column].to_numpy()
        for position in (values != "").nonzero()[0]:
            dicts[position][column] = values[position]
    return dicts
