"""Building: validated tables in, a networkx ``MultiDiGraph`` out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from graph.adjacency import hold_in_arrays
from graph.bulk import SharedData, collection_paused
from graph.errors import InvalidData
from graph.indexes import RELATION_INDEXES, relation_digraph, role_levels
from graph.reading import FIRST_DATA_ROW
from graph.roletable import RoleTable
from graph.schema import EDGE_REQUIRED
from graph.validation import RelationEnds, relation_ends, validate_tables

__all__ = ["build_graph", "make_graph"]


def build_graph(
    roles: pd.DataFrame, edges: pd.DataFrame, ends: RelationEnds | None = None
) -> nx.MultiDiGraph:
    """Build the career graph from validated tables (and their
    :func:`graph.validation.relation_ends`, where the validation has them).

    Nodes are role ids carrying the role's non-empty cells (``level`` as an
    int, list columns as lists), kept column by column in a read-only
    :class:`graph.roletable.RoleTable`. Edges are keyed by their ``type`` and carry
    ``type`` plus their non-empty optional cells; they are kept in arrays
    (:mod:`graph.adjacency`), which networkx reads as its adjacency dicts.
    The data of edges with no optional cells is shared, and so is the key
    dict of two roles joined by one such edge only; both, like the roles and
    the relations themselves, are read-only (change a ``G.copy()``). The
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
        index = G._node.index
        ends = ends if ends is not None else relation_ends(roles, edges)
        sources, targets = ends
        # The types hashed once, for the key dicts, both digraphs and the counts
        # (0.5 s a pass over a million roles' relations).
        kinds = pd.Categorical.from_codes(
            # factorized first: pd.Categorical took five times as long
            *pd.factorize(edges["type"], sort=True)
        )
        hold_in_arrays(G, index, *_key_dicts(ends, kinds, edges))
        for name, types in RELATION_INDEXES.items():
            G.graph[name] = relation_digraph(index, sources, targets, kinds, *types)
        role_levels(G)
        counts = np.bincount(kinds.codes, minlength=len(kinds.categories)).tolist()
        G.graph["relation_counts"] = dict(zip(kinds.categories, counts, strict=True))
    return G


def _key_dicts(
    ends: RelationEnds,
    kinds: pd.Categorical,
    edges: pd.DataFrame,
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, list[dict]]]:
    """Each pair of roles a relation joins, in the order of their first
    relation, with its key dict (type -> the relation's data) as a code into
    a pool of key dicts.

    Two roles joined by one relation that carries nothing but its type, by
    far the most common case, share one read-only key dict per type
    (``{"promotion": {"type": "promotion"}}``), the pool's first entries;
    a pair with a second relation, or a relation with data, has a dict of
    its own.
    """
    carried, carries_data, type_only = _edge_data(edges, kinds)
    first, pair_of, relations = ends.pairs
    names, codes = kinds.categories.tolist(), kinds.codes
    pool: list[dict] = [SharedData({kind: type_only[kind]}) for kind in names]
    alone = (relations == 1) & ~carries_data[first]
    own = np.flatnonzero(~alone)
    pool += [{} for _ in own]
    keyed = np.empty(len(first), dtype=np.int32)
    keyed[alone] = codes[first[alone]]
    keyed[own] = np.arange(len(names), len(pool))
    for position in np.flatnonzero(~alone[pair_of]).tolist():
        kind = names[codes[position]]
        pool[keyed[pair_of[position]]][kind] = carried.get(position, type_only[kind])
    in_order = np.argsort(first)
    chosen = first[in_order]
    return ends.sources[chosen], ends.targets[chosen], (keyed[in_order], pool)


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


def _edge_data(
    edges: pd.DataFrame, kinds: pd.Categorical
) -> tuple[dict[int, dict], np.ndarray, dict[str, SharedData]]:
    """The data of the relations that carry more than their type (their type
    and non-empty optional cells, typed), by position; which relations those
    are; and the one read-only dict (:class:`graph.bulk.SharedData`) per type
    that the others share, made without a dict, or a list entry, of their
    own: they are nearly all of a large catalogue's relations."""
    type_only = {kind: SharedData(type=kind) for kind in kinds.categories}
    columns = [column for column in edges.columns if column not in ("source", "target")]
    optional = [
        (edges[column] != "").to_numpy() for column in columns if column != "type"
    ]
    carries_data = (
        np.logical_or.reduce(optional) if optional else np.zeros(len(kinds), bool)
    )
    carrying = carries_data.nonzero()[0]
    # Python strings for the relations that carry data only: the rest need
    # none, and each cell of Arrow-backed strings would be made one.
    rows = edges.iloc[carrying][columns].to_numpy(dtype=object)
    carried: dict[int, dict] = {}
    for position, cells in zip(carrying.tolist(), rows, strict=True):
        data = {
            column: cell
            for column, cell in zip(columns, cells.tolist(), strict=True)
            if cell != ""
        }
        if "typical_years" in data:
            data["typical_years"] = float(data["typical_years"])
        if "rank" in data:
            data["rank"] = int(float(data["rank"]))
        carried[position] = data
    return carried, carries_data, type_only
