"""Reading and validating data folders: every problem named with file, row, column."""

from __future__ import annotations

import csv
import io
import json
import pickle
import re
import sys

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph import (
    InvalidData,
    build_graph,
    find_role,
    load_graph,
    load_sources,
    load_workbook,
    make_graph,
    managers,
    moves_graph,
    node_values,
    read_table,
    reading,
    relation_counts,
    reporting_graph,
    shortest_move_path,
    validation,
)
from graph.adjacency import adjacency_pair, degree_counts
from graph.bulk import distinct, first_pairs, stable_order
from graph.indexes import roles_by_title
from graph.limits import DEFAULT_LIMITS
from graph.lists import split_list
from graph.loading import _loaded, read_folder, validated_tables
from graph.roletable import (
    RoleIndex,
    RoleTable,
    _Texts,
    distinct_values,
)
from graph.schema import (
    BUNDLED_CATALOGUES,
    MOVE_TYPES,
    REPORTS_TO,
    ROLE_LIST_COLUMNS,
    SYMMETRIC_TYPES,
)
from graph.synth import write_catalogue
from graph.validation import ValidationReport, validate_tables
from tests.conftest import BUNDLED_DATA, EDGES_HEADER, ROLES_HEADER, write_data

GOOD_ROLES = f"{ROLES_HEADER}\na,Clerk,Ops,1\nb,Manager,Ops,2\nc,Director,Ops,3\n"
GOOD_EDGES = f"{EDGES_HEADER}\na,b,promotion\nb,c,promotion\na,b,reports_to\n"


def _problems(roles: str, edges: str) -> list[tuple]:
    with pytest.raises(InvalidData) as caught:
        load_sources(roles.encode(), edges.encode())
    return [(p.file, p.row, p.column) for p in caught.value.report.errors]


@pytest.mark.parametrize(
    ("roles", "edges", "expected", "message"),
    [
        # a required column is missing
        (
            "id,title,level\na,A,1\n",
            GOOD_EDGES,
            ("roles.csv", 1, "family"),
            "required column is missing",
        ),
        # an empty id
        (
            GOOD_ROLES + ",Nobody,Ops,1\n",
            GOOD_EDGES,
            ("roles.csv", 5, "id"),
            "id is empty",
        ),
        # the same id twice
        (
            GOOD_ROLES + "a,Clerk II,Ops,1\n",
            GOOD_EDGES,
            ("roles.csv", 5, "id"),
            "duplicate id 'a' \\(first on row 2\\)",
        ),
        # a level that is not a number
        (
            GOOD_ROLES + "d,Temp,Ops,senior\n",
            GOOD_EDGES,
            ("roles.csv", 5, "level"),
            "level 'senior' is not a whole number",
        ),
        # a fractional level
        (
            GOOD_ROLES + "d,Temp,Ops,1.5\n",
            GOOD_EDGES,
            ("roles.csv", 5, "level"),
            "not a whole number",
        ),
        # an infinite level
        (
            GOOD_ROLES + "d,Temp,Ops,-inf\n",
            GOOD_EDGES,
            ("roles.csv", 5, "level"),
            "not a whole number",
        ),
        # a level below 1
        (
            GOOD_ROLES + "d,Temp,Ops,0\n",
            GOOD_EDGES,
            ("roles.csv", 5, "level"),
            "below 1",
        ),
        # an edge to a role that does not exist
        (
            GOOD_ROLES,
            GOOD_EDGES + "a,zz,promotion\n",
            ("edges.csv", 5, "target"),
            "unknown role id 'zz'",
        ),
        # an edge type outside the contract
        (
            GOOD_ROLES,
            GOOD_EDGES + "a,c,mentors\n",
            ("edges.csv", 5, "type"),
            "unknown edge type 'mentors'",
        ),
        # a self-loop
        (
            GOOD_ROLES,
            GOOD_EDGES + "a,a,lateral\n",
            ("edges.csv", 5, "target"),
            "cannot relate to itself",
        ),
        # a self-loop beside a relation to an unknown role (compared by id)
        (
            GOOD_ROLES,
            GOOD_EDGES + "a,zz,lateral\na,a,lateral\n",
            ("edges.csv", 6, "target"),
            "cannot relate to itself",
        ),
        # the same relation twice
        (
            GOOD_ROLES,
            GOOD_EDGES + "a,b,promotion\n",
            ("edges.csv", 5, "type"),
            "duplicate 'promotion' edge .* \\(first on row 2\\)",
        ),
        # the same relation twice, beside a relation to an unknown role (whose
        # ends cannot be compared by position)
        (
            GOOD_ROLES,
            GOOD_EDGES + "a,zz,lateral\na,b,promotion\n",
            ("edges.csv", 6, "type"),
            "duplicate 'promotion' edge .* \\(first on row 2\\)",
        ),
        # the same unknown ends twice: a duplicate too
        (
            GOOD_ROLES,
            GOOD_EDGES + "a,zz,lateral\na,zz,lateral\n",
            ("edges.csv", 6, "type"),
            "duplicate 'lateral' edge .* \\(first on row 5\\)",
        ),
        # reporting lines in a circle, roles named
        (
            GOOD_ROLES,
            GOOD_EDGES + "b,c,reports_to\nc,a,reports_to\n",
            ("edges.csv", 4, "type"),
            "cycle: a -> b -> c -> a",
        ),
        # a figure without a reference
        (
            GOOD_ROLES,
            "source,target,type,typical_years\na,b,promotion,2\n",
            ("edges.csv", 2, "typical_years"),
            "no reference",
        ),
        # a figure that is not a number
        (
            GOOD_ROLES,
            "source,target,type,typical_years,reference\na,b,promotion,two,HR 2024\n",
            ("edges.csv", 2, "typical_years"),
            "not a number of years",
        ),
        # a row with more cells than the header
        (
            GOOD_ROLES + "d,Temp,Ops,1,extra\n",
            GOOD_EDGES,
            ("roles.csv", 5, None),
            "the row has 5 cells but the header has 4",
        ),
        # an extra cell on the first row: pandas would shift it into the index
        (
            "id,title,family,level\na,Clerk,Ops,1,extra\n",
            "source,target,type\n",
            ("roles.csv", 2, None),
            "the row has 5 cells but the header has 4",
        ),
        # the same column twice
        (
            "id,title,family,level,title\na,A,F,1,B\n",
            GOOD_EDGES,
            ("roles.csv", 1, "title"),
            "column appears twice",
        ),
        # a header cell with no name, counted from 1
        (
            "id,title,,family,level\na,A,x,F,1\n",
            GOOD_EDGES,
            ("roles.csv", 1, "#3"),
            "column has no name",
        ),
        # a header row that csv cannot read (a cell over csv's field limit)
        (
            "id,title,family,level," + "x" * 200_000 + "\na,A,F,1,\n",
            GOOD_EDGES,
            ("roles.csv", 1, None),
            "header row cannot be read",
        ),
        # an edge from a role that does not exist
        (
            GOOD_ROLES,
            GOOD_EDGES + "zz,a,lateral\n",
            ("edges.csv", 5, "source"),
            "unknown role id 'zz'",
        ),
        # edges.csv without its type column
        (
            GOOD_ROLES,
            "source,target\na,b\n",
            ("edges.csv", 1, "type"),
            "required column is missing",
        ),
        # a negative duration
        (
            GOOD_ROLES,
            "source,target,type,typical_years,reference\na,b,promotion,-1,HR\n",
            ("edges.csv", 2, "typical_years"),
            "not a number of years",
        ),
        # an infinite duration
        (
            GOOD_ROLES,
            "source,target,type,typical_years,reference\na,b,promotion,inf,HR\n",
            ("edges.csv", 2, "typical_years"),
            "not a number of years",
        ),
    ],
)
def test_each_error_names_file_row_and_column(roles, edges, expected, message):
    with pytest.raises(InvalidData, match=message) as caught:
        load_sources(roles.encode(), edges.encode())
    located = [(p.file, p.row, p.column) for p in caught.value.report.errors]
    assert expected in located


def test_every_problem_is_reported_at_once():
    roles = GOOD_ROLES + "a,Dup,Ops,1\nd,,Ops,x\n"
    edges = GOOD_EDGES + "a,q,promotion\nb,c,sideways\n"
    assert sorted(_problems(roles, edges)) == [
        ("edges.csv", 5, "target"),
        ("edges.csv", 6, "type"),
        ("roles.csv", 5, "id"),
        ("roles.csv", 6, "level"),
        ("roles.csv", 6, "title"),
    ]


def test_unknown_id_suggests_the_closest():
    with pytest.raises(InvalidData) as caught:
        load_sources(
            b"id,title,family,level\nmanager,M,F,1\n",
            b"source,target,type\nmanagr,manager,lateral\n",
        )
    assert caught.value.report.errors[0].hint == "did you mean 'manager'?"


def test_promotion_to_lower_level_is_only_a_warning():
    G, report = load_sources(
        GOOD_ROLES.encode(), (GOOD_EDGES + "c,a,promotion\n").encode()
    )
    assert report.ok and len(G) == 3
    (warning,) = report.warnings
    assert (warning.row, warning.column) == (5, "type")
    assert "goes down a level" in warning.message


@pytest.mark.parametrize(
    "content",
    [
        # a byte-order mark, as Excel writes
        "\ufeffid,title,family,level\na,Clerk,Ops,1\n".encode(),
        # stray spaces around cells and headers, blank trailing lines
        b" id , Title ,family,level \n  a , Clerk , Ops , 1 \n\n\n",
        # semicolons, as European spreadsheets write
        b"id;title;family;level\na;Clerk;Ops;1\n",
        # tabs
        b"id\ttitle\tfamily\tlevel\na\tClerk\tOps\t1\n",
        # Windows line ends
        b"id,title,family,level\r\na,Clerk,Ops,1\r\n",
    ],
)
def test_tolerated_spellings_of_the_same_table(content):
    report = ValidationReport()
    table = read_table(content, "roles.csv", report)
    assert report.ok
    assert table.to_dict("records") == [
        {"id": "a", "title": "Clerk", "family": "Ops", "level": "1"}
    ]


def test_quoted_newlines_keep_spreadsheet_row_numbers():
    content = b'id,title,family,level,summary\na,A,F,1,"two\nlines"\nb,B,F,x,\n'
    with pytest.raises(InvalidData) as caught:
        load_sources(content, b"source,target,type\n")
    assert [(p.row, p.column) for p in caught.value.report.errors] == [(3, "level")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),  # nothing at all
        (b"\xff\xfeid", "not UTF-8 text"),  # UTF-16 or another encoding
        (None, "file is missing"),  # no file
    ],
)
def test_unreadable_files(content, message):
    with pytest.raises(InvalidData, match=message):
        load_sources(content, GOOD_EDGES.encode())


def test_blank_lines_in_the_middle_keep_row_numbers():
    roles = "id,title,family,level\na,A,F,1\n\nb,B,F,zero\n"
    assert _problems(roles, "source,target,type\n") == [("roles.csv", 4, "level")]


def test_extra_columns_are_kept(tmp_path):
    folder = write_data(
        tmp_path, "id,title,family,level,cost_centre\na,A,F,1,CC-7\n", EDGES_HEADER
    )
    G, _ = load_graph(folder)
    assert G.nodes["a"]["cost_centre"] == "CC-7"


def test_graph_holds_typed_attributes(ladder):
    assert ladder.nodes["clerk"]["level"] == 1
    assert ladder.nodes["clerk"]["skills"] == ["Typing", "Filing"]
    assert set(ladder["clerk"]["manager"]) == {"promotion", "reports_to"}


def test_typical_years_with_reference_become_numbers():
    G, _ = load_sources(
        GOOD_ROLES.encode(),
        b"source,target,type,typical_years,reference\na,b,promotion,2.5,HR survey\n",
    )
    assert G["a"]["b"]["promotion"]["typical_years"] == 2.5


def test_each_pair_of_roles_holds_its_relations_with_their_data():
    G, _ = load_sources(
        GOOD_ROLES.encode(),
        b"source,target,type,typical_years,reference\n"
        b"a,b,promotion,2.5,HR survey\n"  # with data, beside a plain one
        b"a,b,reports_to,,\n"
        b"b,c,promotion,,\n"  # alone and plain
        b"a,c,lateral,,HR\n",  # alone, with data
    )
    assert {pair: dict(G.adj[pair[0]][pair[1]]) for pair in G.edges()} == {
        ("a", "b"): {
            "promotion": {
                "type": "promotion",
                "typical_years": 2.5,
                "reference": "HR survey",
            },
            "reports_to": {"type": "reports_to"},
        },
        ("a", "c"): {"lateral": {"type": "lateral", "reference": "HR"}},
        ("b", "c"): {"promotion": {"type": "promotion"}},
    }


def test_a_load_lets_each_file_go_once_it_is_read():
    # what nothing else holds is freed before the rules and the build run
    contents = [GOOD_ROLES.encode(), GOOD_EDGES.encode()]
    G, _ = _loaded(contents, None, DEFAULT_LIMITS)
    assert contents == [None, None] and len(G) == 3


def test_make_graph_rejects_bad_rows():
    with pytest.raises(InvalidData, match="unknown role id 'x'"):
        make_graph(
            [{"id": "a", "title": "A", "family": "F", "level": 1}],
            [("a", "x", "promotion")],
        )


def test_missing_folder_is_reported(tmp_path):
    with pytest.raises(InvalidData, match="roles.csv: file is missing"):
        load_graph(tmp_path / "nowhere")


def test_many_warnings_of_a_kind_are_summarised():
    rows = "".join(f"r{i},Same Title,F,1\n" for i in range(30))
    _, report = load_sources(f"{ROLES_HEADER}\n{rows}".encode(), EDGES_HEADER.encode())
    assert len(report.warnings) == 21
    assert report.warnings[-1].message == "9 more repeated titles not listed one by one"


@pytest.mark.parametrize("arrow_strings", [False, True])
def test_titles_that_differ_only_in_case_are_named_with_their_first_row(
    arrow_strings,
):
    roles = f"{ROLES_HEADER}\na,Buyer,F,1\nb,Clerk,F,1\nc,CLERK,F,1\nd,buyer,F,1\n"
    table = read_table(
        roles.encode(), "roles.csv", ValidationReport(), arrow_strings=arrow_strings
    )
    report = validate_tables(table)
    assert [(p.row, p.message) for p in report.warnings] == [
        (4, "title 'CLERK' is also used on row 3"),
        (5, "title 'buyer' is also used on row 2"),
    ]


def _ordinary_build(folder) -> nx.MultiDiGraph:
    """The graph built from the CSV rows with networkx's public add_node and
    add_edge, one call per row, typed as the data contract says."""
    ordinary = nx.MultiDiGraph()
    with (folder / "roles.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            data = {k: v.strip() for k, v in row.items() if v.strip()}
            data["level"] = int(data["level"])
            for column in ROLE_LIST_COLUMNS:
                if column in data:
                    data[column] = split_list(data[column])
            ordinary.add_node(data["id"], **data)
    with (folder / "edges.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            data = {k: v.strip() for k, v in row.items() if v.strip()}
            source, target = data.pop("source"), data.pop("target")
            if "typical_years" in data:
                data["typical_years"] = float(data["typical_years"])
            if "rank" in data:
                data["rank"] = int(data["rank"])
            ordinary.add_edge(source, target, key=data["type"], **data)
    return ordinary


@pytest.mark.parametrize(
    "make_folder",
    [
        # a synthetic catalogue: every relation type, many roles
        lambda tmp_path: write_catalogue(300, tmp_path) and tmp_path,
        # the bundled data: list columns, notes, every optional column
        lambda tmp_path: BUNDLED_DATA,
        # the O*NET catalogue: symmetric relations, drawn both ways
        lambda tmp_path: BUNDLED_CATALOGUES["onet"],
    ],
)
def test_bulk_build_equals_an_ordinary_networkx_build(tmp_path, make_folder):
    folder = make_folder(tmp_path)
    G, _ = load_graph(folder)
    ordinary = _ordinary_build(folder)
    assert dict(G.nodes(data=True)) == dict(ordinary.nodes(data=True))
    assert G.succ == ordinary.succ
    assert G.pred == ordinary.pred
    assert _in_order(G.succ) == _in_order(ordinary.succ)
    assert _in_order(G.pred) == _in_order(ordinary.pred)
    assert G.number_of_edges() == ordinary.number_of_edges() > 15
    assert relation_counts(G) == relation_counts(ordinary)  # counted, and walked
    for derived, expected in (
        (moves_graph(G), _public_digraph(G, folder, MOVE_TYPES, SYMMETRIC_TYPES)),
        (reporting_graph(G), _public_digraph(G, folder, (REPORTS_TO,))),
    ):
        assert list(derived) == list(expected)
        assert _in_order(derived.succ) == _in_order(expected.succ)
        assert _in_order(derived.pred) == _in_order(expected.pred)


@pytest.mark.parametrize(
    "ask",
    [
        # the views and degrees networkx's own code reads
        lambda G, r: (G.number_of_edges(), dict(G.in_degree), dict(G.out_degree)),
        lambda G, r: (G.has_edge(r[1], r[0]), G.has_edge(r[0], "nowhere"), "x" in G),
        # algorithms that walk the adjacency themselves
        lambda G, r: sorted(nx.ancestors(G, r[0])),
        lambda G, r: dict(nx.single_source_shortest_path_length(G, r[150])),
        lambda G, r: sorted(map(sorted, nx.weakly_connected_components(G))),
        lambda G, r: sorted(G.reverse(copy=False).successors(r[0])),
        # a subgraph view, and the copies users change
        lambda G, r: sorted(G.subgraph(r[:40]).edges(keys=True)),
        lambda G, r: nx.to_dict_of_dicts(G.copy()),
        # a pickled graph, as the build cache keeps it
        lambda G, r: list(pickle.loads(pickle.dumps(G)).edges(keys=True, data=True)),
    ],
)
def test_networkx_answers_on_a_built_graph_as_on_an_ordinary_one(tmp_path, ask):
    write_catalogue(300, tmp_path)
    G, _ = load_graph(tmp_path)
    ordinary = _ordinary_build(tmp_path)
    answer = ask(G, list(ordinary))
    assert answer == ask(ordinary, list(ordinary))
    assert answer not in ([], {}, ())  # the case asks something


@pytest.mark.parametrize(
    ("direction", "public"),
    [
        ("out", lambda D: D.out_degree),  # successors
        ("in", lambda D: D.in_degree),  # predecessors
        ("both", lambda D: D.degree),  # a digraph's degree counts both
    ],
)
def test_degrees_read_from_the_arrays_are_networkx_s(tmp_path, direction, public):
    write_catalogue(300, tmp_path)
    G, _ = load_graph(tmp_path)
    for D in (moves_graph(G), reporting_graph(G), nx.DiGraph(moves_graph(G))):
        expected = [degree for _, degree in public(D)]
        assert degree_counts(D, direction).tolist() == expected
        assert len(set(expected)) > 1  # roles differ: not one count for all


def test_a_built_graph_refuses_new_relations_and_a_copy_takes_them(ladder):
    # between two roles not yet joined: the neighbourhood is made on request,
    # so the change would be lost; it is refused, in both kinds of graph
    with pytest.raises(TypeError, match="relations are read-only: change G.copy"):
        ladder.add_edge("director", "clerk", key="lateral", type="lateral")
    with pytest.raises(TypeError, match="G.copy"):
        moves_graph(ladder).add_edge("director", "clerk")
    assert not ladder.has_edge("director", "clerk")
    edited = ladder.copy()
    edited.add_edge("director", "clerk", key="lateral", type="lateral")
    assert edited.has_edge("director", "clerk")


def _in_order(adjacency) -> list:
    """Each node's neighbours, and each edge's keys, in the order a query
    walks them (a dict comparison ignores it)."""
    return [
        (node, [(other, list(keyed)) for other, keyed in neighbours.items()])
        for node, neighbours in adjacency.items()
    ]


def _public_digraph(G, folder, types, both_ways=()) -> nx.DiGraph:
    """A derived index as networkx's add_edges_from would build it from the
    relations in the file's order: each relation's edge, then its reverse."""
    digraph = nx.DiGraph()
    digraph.add_nodes_from(G)
    with (folder / "edges.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            s, t, k = (row[key].strip() for key in ("source", "target", "type"))
            edges = [(s, t)] * (k in types) + [(t, s)] * (k in both_ways)
            digraph.add_edges_from(edges)
    return digraph


def test_derived_indexes_are_read_only(ladder):
    with pytest.raises(TypeError):
        moves_graph(ladder).nodes["clerk"]["x"] = 1
    edited = moves_graph(ladder).copy()  # a copy is an ordinary digraph
    edited.nodes["clerk"]["x"] = 1
    assert edited.nodes["clerk"] == {"x": 1}


def test_a_built_graph_shares_its_key_dicts_and_a_copy_can_change():
    roles = [{"id": r, "title": r, "family": "F", "level": 1} for r in "abc"]
    G = make_graph(
        roles,
        [("a", "b", "promotion"), ("b", "c", "promotion"), ("a", "b", "reports_to")],
    )
    # one type-only relation between two roles: one read-only key dict per type
    assert G.succ["b"]["c"] == {"promotion": {"type": "promotion"}}
    with pytest.raises(TypeError, match="G.copy"):
        G.remove_edge("b", "c", key="promotion")
    # a second relation between the same two roles gets a dict of its own
    assert sorted(G.succ["a"]["b"]) == ["promotion", "reports_to"]
    assert G._succ["a"]["b"] is G._pred["b"]["a"]  # as add_edge leaves them
    edited = G.copy()
    edited.remove_edge("b", "c", key="promotion")
    edited.add_edge("a", "c", key="promotion", type="promotion", rank=1)
    assert list(edited.edges("b")) == []
    assert list(G.edges("b", keys=True)) == [("b", "c", "promotion")]


def test_roles_are_read_only_and_a_copy_can_change(ladder):
    with pytest.raises(TypeError, match="G.copy"):
        ladder.nodes["clerk"]["level"] = 5
    with pytest.raises(TypeError, match="G.copy"):
        ladder.add_node("intern", title="Intern")
    edited = ladder.copy()  # ordinary dicts, as networkx's copy makes
    edited.nodes["clerk"]["level"] = 5
    edited.add_edge("intern", "clerk", key="promotion", type="promotion")
    assert edited.nodes["clerk"]["level"] == 5 and "intern" in edited
    assert ladder.nodes["clerk"]["level"] == 1 and "intern" not in ladder


def test_a_role_reads_like_the_dict_of_its_cells(ladder):
    clerk = ladder.nodes["clerk"]
    assert dict(clerk) == clerk.copy() == {**clerk}
    assert list(clerk)[:4] == ["id", "title", "family", "level"]
    assert json.loads(json.dumps(dict(clerk)))["level"] == 1
    assert "nope" not in clerk and clerk.get("nope", "-") == "-"
    assert pickle.loads(pickle.dumps(clerk)) == clerk  # a plain dict
    assert node_values(ladder, "level") == [ladder.nodes[r]["level"] for r in ladder]


def test_indexes_are_built_on_demand_for_a_graph_built_by_hand():
    G = nx.MultiDiGraph()
    G.add_node("a", title="A", family="F", level=1)
    G.add_node("b", title="B", family="F", level=2)
    G.add_edge("a", "b", key="promotion", type="promotion")
    G.add_edge("a", "b", key="reports_to", type="reports_to")
    assert shortest_move_path(G, "a", "b") == ["a", "b"]
    assert managers(G, "a") == ["b"]
    assert find_role(G, "A") == "a"


def test_relation_digraphs_of_a_graph_whose_roles_are_tuples():
    # any hashable may be a node: a tuple must not be unpacked into the arrays
    clerk, boss = ("ops", 1), ("ops", 2)
    G = nx.MultiDiGraph()
    G.add_edge(clerk, boss, key="promotion", type="promotion")
    G.add_edge(clerk, boss, key="reports_to", type="reports_to")
    assert list(moves_graph(G).edges) == [(clerk, boss)]
    assert list(reporting_graph(G).pred[boss]) == [clerk]


@given(st.lists(st.text(), min_size=1, max_size=30))
def test_roles_read_back_every_cell_as_written(titles):
    ids = [f"r{at}" for at in range(len(titles))]
    table = RoleTable(
        pd.DataFrame({"id": ids, "title": titles, "family": "F", "level": "1"})
    )
    assert [table[role].get("title", "") for role in ids] == titles
    assert table.column("title", "") == titles
    restored = pickle.loads(pickle.dumps(table))
    assert list(restored) == ids and restored[ids[-1]] == table[ids[-1]]


@given(
    st.integers(1, 8).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))),
        )
    )
)
def test_relations_in_arrays_read_as_add_edge_leaves_them(case):
    count, pairs = case
    index = RoleIndex([f"r{at}" for at in range(count)])
    ordinary = nx.DiGraph()
    ordinary.add_nodes_from(index.ids)
    for at, (source, target) in enumerate(pairs):
        if not ordinary.has_edge(index.ids[source], index.ids[target]):
            ordinary.add_edge(index.ids[source], index.ids[target], at=at)
    sources = np.array([s for s, _ in pairs], dtype=np.int32)
    targets = np.array([t for _, t in pairs], dtype=np.int32)
    first = first_pairs(sources, targets)
    pool = [{"at": at} for at in range(len(pairs))]
    succ, pred = adjacency_pair(index, sources[first], targets[first], (first, pool))
    assert _in_order(succ) == _in_order(ordinary.succ) and succ == ordinary.succ
    assert _in_order(pred) == _in_order(ordinary.pred) and pred == ordinary.pred
    restored, _ = pickle.loads(pickle.dumps((succ, pred)))
    assert _in_order(restored) == _in_order(succ)


@given(
    st.lists(
        st.lists(st.text('a,;"é\n', max_size=3), min_size=3, max_size=3),
        min_size=1,
        max_size=4,
    ),
    st.text(' \t\n\r\x0b\x1f,;"aé\xa0\u2003', max_size=3),
    st.integers(0, 11),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["\n", "\r\n"]),
)
def test_a_file_s_bytes_read_as_its_text(rows, any_cell, where, delimiter, line_end):
    # the parser reads uploaded bytes as they are, and text through a stream:
    # both must give the same table, stripped, and the same problems
    row, column = divmod(where, 3)
    rows[row % len(rows)][column] = any_cell
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end)
    writer.writerows([["id", "title", "notes"], *rows])
    text = out.getvalue()
    from_text, from_bytes = ValidationReport(), ValidationReport()
    expected = read_table(text, "roles.csv", from_text)
    table = read_table(text.encode(), "roles.csv", from_bytes)
    assert [str(p) for p in from_bytes.problems] == [str(p) for p in from_text.problems]
    if expected is None:
        assert table is None
    else:
        assert table.to_dict("index") == expected.to_dict("index")


def _rows_of_three(alphabet: str) -> st.SearchStrategy:
    """Up to five rows of three cells of up to four characters of ``alphabet``."""
    cells = st.lists(st.text(alphabet, max_size=4), min_size=3, max_size=3)
    return st.lists(cells, max_size=5)


@given(
    _rows_of_three(' \t\x0b\x1c\x85\xa0\u3000aé中;,"\n\r'),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["\n", "\r\n", "\r", ""]),
    st.sampled_from(["as typed", csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    st.sampled_from([0, 2, 4]),
)
def test_pyarrow_reads_a_file_as_pandas_does(
    rows, delimiter, line_end, quoting, ragged_width
):
    # rows of any width, quotes where they belong ("as typed": also where they
    # do not), line breaks in cells, blank lines, cells that need stripping,
    # no line break at the end: where pyarrow's parser gives up, pandas'
    # reports the problem, so both readings give the same table and problems
    header = ["source", "target", "type"]
    if rows and ragged_width:
        rows[-1] = rows[-1][:ragged_width] + ["x"] * (ragged_width - 3)
    if quoting == "as typed":
        text = (line_end or "\n").join(delimiter.join(r) for r in [header, *rows])
    else:
        out = io.StringIO()
        writer = csv.writer(
            out, delimiter=delimiter, lineterminator=line_end or "\n", quoting=quoting
        )
        writer.writerows([header, *rows])
        text = out.getvalue().removesuffix("\n" if not line_end else "")
    content = (text + (line_end if quoting == "as typed" else "")).encode()
    plain, arrow = ValidationReport(), ValidationReport()
    expected = read_table(content, "edges.csv", plain)
    table = read_table(content, "edges.csv", arrow, arrow_strings=True)
    assert [str(p) for p in arrow.problems] == [str(p) for p in plain.problems]
    if expected is None:
        assert table is None
    else:
        assert (table.dtypes == "str").all()
        assert table.astype(object).to_dict("index") == expected.to_dict("index")


@given(_rows_of_three(" \t\x1c\x85\xa0\u2003\u3000aé中;"))
def test_a_file_without_quotes_whose_rows_fit_is_read_by_pyarrow(rows):
    content = "".join(f"{','.join(cells)}\n" for cells in [["a", "b", "c"], *rows])
    table = reading._arrow_parsed(content.encode(), ",", ["a", "b", "c"])
    assert table is not None
    assert table.to_dict("list") == {
        name: [cells[at].strip() for cells in rows] for at, name in enumerate("abc")
    }


_UTF8_PIECES = st.sampled_from(
    [
        b"a",
        "é".encode(),
        "中".encode(),
        "😀".encode(),
        b"\xed\xa0\x80",  # a surrogate, which UTF-8 never holds
        b"\xc0\xaf",  # an overlong "/"
        b"\xf4\x90\x80\x80",  # past U+10FFFF
        b"\xe4\xb8",  # a character cut short
    ]
)


@given(st.lists(_UTF8_PIECES | st.binary(max_size=3), max_size=12))
def test_utf8_is_checked_as_python_decodes_it(pieces):
    content = b"".join(pieces)
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as error:
        expected = error.start
    else:
        expected = None
    assert reading._not_utf8_at(content) == expected


_HEADER_LINE = ROLES_HEADER + "\n"
_MANY_ROWS = "".join(f"r{n},Clerk {n},Ops,1\n" for n in range(6000))


@pytest.mark.parametrize(
    "text",
    [
        # a byte that is not UTF-8, far past the part decoded for the header
        _HEADER_LINE + _MANY_ROWS + "z,Caf\udce9,Ops,1\n",
        # a NUL byte far down
        _HEADER_LINE + _MANY_ROWS + "z,\x00,Ops,1\n",
    ],
)
@pytest.mark.parametrize("arrow_strings", [False, True])
def test_a_bad_byte_far_down_a_file_is_named_on_its_line(text, arrow_strings):
    content = text.encode("utf-8", "surrogateescape")
    report = ValidationReport()
    table = read_table(content, "roles.csv", report, arrow_strings=arrow_strings)
    assert table is None and len(report.errors) == 1
    # on the line after the header and 6,000 rows
    assert re.search(r"(row|line) 6002\b", str(report.errors[0]))


@pytest.mark.parametrize(
    "text",
    [
        # a header whose quote stays open into the next lines
        '"id,title\nx",family,level\n' + _MANY_ROWS,
        # blank lines longer than the part decoded, then the header
        "\n" * 70_000 + _HEADER_LINE + _MANY_ROWS,
        # only line breaks and spaces: empty
        "\n \r\n\u3000" * 30_000,
        # a BOM, then non-ASCII text throughout
        "\ufeff" + _HEADER_LINE + _MANY_ROWS.replace("Clerk", "Employé"),
    ],
)
@pytest.mark.parametrize("arrow_strings", [False, True])
def test_bytes_are_read_as_their_decoded_text_is(text, arrow_strings):
    from_bytes, from_text = ValidationReport(), ValidationReport()
    table = read_table(
        text.encode(), "roles.csv", from_bytes, arrow_strings=arrow_strings
    )
    expected = read_table(text, "roles.csv", from_text, arrow_strings=arrow_strings)
    assert [str(p) for p in from_bytes.problems] == [str(p) for p in from_text.problems]
    if expected is None:
        assert table is None
    else:
        assert table.equals(expected)


def test_the_spaces_stripped_are_python_s():
    spaces = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    assert reading.SPACES == spaces


def test_roles_are_checked_when_edges_csv_is_missing():
    with pytest.raises(InvalidData) as caught:
        load_sources(GOOD_ROLES.encode() + b"d,Temp,Ops,x\n", None)
    assert sorted(_located(caught.value.report)) == [
        ("edges.csv", None, None),
        ("roles.csv", 5, "level"),
    ]


def _located(report) -> list[tuple]:
    return [(p.file, p.row, p.column) for p in report.errors]


def _workbook(sheets: dict[str, list[list]]) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_ROLE_ROWS = [
    ["id", "title", "family", "level"],
    ["a", "A", "F", 1],
    ["b", "B", "F", 2],
]


@pytest.mark.parametrize(
    ("content", "expected", "message"),
    [
        # not a workbook at all
        (b"id,title\n", ("hr.xlsx", None, None), "not a readable .xlsx"),
        # the edges sheet is missing
        (_workbook({"Roles": _ROLE_ROWS}), ("hr.xlsx", None, None), "'edges' is miss"),
        # the roles sheet is missing
        (
            _workbook({"edges": [["source", "target", "type"]]}),
            ("hr.xlsx", None, None),
            "'roles' is missing",
        ),
        # a bad cell: named by workbook, sheet and Excel's row number
        (
            _workbook(
                {
                    "roles": [*_ROLE_ROWS, ["c", "C", "F", "high"]],
                    "edges": [["source", "target", "type"], ["a", "b", "promotion"]],
                }
            ),
            ("hr.xlsx sheet roles", 4, "level"),
            "not a whole number",
        ),
    ],
)
def test_each_workbook_error_names_its_place(content, expected, message):
    with pytest.raises(InvalidData, match=message) as caught:
        load_workbook(content, "hr.xlsx")
    assert expected in _located(caught.value.report)


def test_a_good_workbook_loads():
    content = _workbook(
        {
            "ROLES": _ROLE_ROWS,
            "Edges": [["source", "target", "type"], ["a", "b", "promotion"]],
        }
    )
    G, report = load_workbook(content, "hr.xlsx")
    assert report.ok and list(G.edges(keys=True)) == [("a", "b", "promotion")]


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ("level,name\n1,Entry\n1,Again\n", ("levels.csv", 3, "level")),  # twice
        ("level,name\n0,Nothing\n", ("levels.csv", 2, "level")),  # below 1
        ("level,name\n2,\n", ("levels.csv", 2, "name")),  # no name
        ("level\n2\n", ("levels.csv", 1, "name")),  # no name column
    ],
)
def test_a_bad_levels_file_names_its_row(tmp_path, levels, expected):
    folder = write_data(tmp_path, GOOD_ROLES, GOOD_EDGES)
    (folder / "levels.csv").write_text(levels, encoding="utf-8")
    with pytest.raises(InvalidData) as caught:
        load_graph(folder)
    assert expected in _located(caught.value.report)


def test_named_levels_are_read(tmp_path):
    folder = write_data(tmp_path, GOOD_ROLES, GOOD_EDGES)
    (folder / "levels.csv").write_text("level,name\n1,Entry\n", encoding="utf-8")
    G, _ = load_graph(folder)
    assert G.graph["levels"] == {1: {"name": "Entry", "description": ""}}


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Analyst", "analyst", "Buyer", "", "Ärztin"]),
            st.text("ab1", min_size=1, max_size=3),
        ),
        max_size=30,
        unique_by=lambda role: role[1],
    )
)
def test_roles_by_title_sort_as_titles_then_ids_would(roles):
    # titles equal but for case tie, and then the ids decide; in a graph built
    # by hand, and in a built catalogue (which has no empty title)
    G = nx.DiGraph()
    for title, role in roles:
        G.add_node(role, title=title)
    expected = [role for _, role in sorted((t.casefold(), r) for t, r in roles)]
    assert list(roles_by_title(G)) == expected
    if not roles:
        return  # a catalogue has a role
    titled = [(title or "-", role) for title, role in roles]
    built = make_graph(
        {"id": role, "title": title, "family": "F", "level": 1}
        for title, role in titled
    )
    expected = [role for _, role in sorted((t.casefold(), r) for t, r in titled)]
    assert list(roles_by_title(built)) == expected


@given(st.lists(st.integers(0, 2**40), max_size=60))
def test_distinct_is_numpy_s_unique_without_the_values(values):
    codes = np.array(values, dtype=np.int64)
    _, first, numbers, counts = np.unique(
        codes, return_index=True, return_inverse=True, return_counts=True
    )
    ours = distinct(codes)
    assert [a.tolist() for a in ours] == [
        first.tolist(),
        numbers.tolist(),
        counts.tolist(),
    ]


@given(st.lists(st.integers(0, 2**33), max_size=60), st.sampled_from([2, 2**16, 2**33]))
def test_stable_order_is_numpy_s_stable_sort(values, bound):
    positions = np.array(values, dtype=np.int64) % bound
    assert (
        stable_order(positions).tolist()
        == np.argsort(positions, kind="stable").tolist()
    )


@given(st.lists(st.text(max_size=5)), st.integers(0, 3))
def test_a_column_of_arrow_strings_is_read_from_its_bytes_as_its_cells(cells, skip):
    # the column may start inside its array, as a slice of a table does
    column = pd.Series(["x"] * skip + cells, dtype="str").iloc[skip:]
    assert _Texts.of_column(column).to_list() == column.tolist() == cells


@given(st.lists(st.text(max_size=5)))
def test_a_column_is_handed_to_pyarrow_as_its_cells(cells):
    assert _Texts(cells).as_arrow().to_pylist() == cells


def test_a_column_that_cannot_be_utf8_is_not_handed_to_pyarrow():
    assert _Texts(["a", "\ud800"]).as_arrow() is None


_CELLS = st.sampled_from(["", "Analyst", "analyst", "Ärztin", "中文", "x; y", "x;y"])


@given(st.lists(st.tuples(_CELLS, _CELLS), min_size=1, max_size=12))
def test_distinct_values_give_back_every_role_s_value(cells):
    # a built catalogue's columns hashed by pyarrow, a hand-built graph's in
    # Python: either way each role's code points to its value
    built = make_graph(
        {
            "id": f"r{number}",
            "title": title or "-",
            "family": "F",
            "level": 1,
            "aliases": aliases,
        }
        for number, (title, aliases) in enumerate(cells)
    )
    for G in (built, built.copy()):
        for column, default in (("title", ""), ("aliases", []), ("summary", None)):
            codes, values = distinct_values(G, column, default)
            assert [values[code] for code in codes] == node_values(G, column, default)
            if column == "title":
                assert len(set(values)) == len(values)


@given(st.text("ab ;\\\t"))
def test_a_list_cell_splits_as_its_items_are_written(cell):
    # the fast paths (one item; no escaped ";") split as the general one does
    items = (item.strip().replace("\\;", ";") for item in re.split(r"(?<!\\);", cell))
    assert split_list(cell) == [item for item in items if item]


@pytest.mark.parametrize(
    "layer_at_once",
    [
        1,  # every layer with numpy
        10**9,  # every node in Python
    ],
)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), max_size=30))
def test_nodes_left_by_kahn_s_sort_are_those_on_or_behind_a_cycle(layer_at_once, edges):
    lines = nx.DiGraph(edges)
    cycles = [c for c in nx.strongly_connected_components(lines) if len(c) > 1]
    on_cycles = set().union(*cycles)
    on_cycles |= {n for n, _ in nx.selfloop_edges(lines)}
    behind = on_cycles.union(*(nx.descendants(lines, n) for n in on_cycles))
    sources, targets = (np.array([e[i] for e in edges], dtype=np.int64) for i in (0, 1))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(validation, "_LAYER_AT_ONCE", layer_at_once)
        assert validation._nodes_on_or_behind_cycles(sources, targets) == behind


@pytest.mark.parametrize("catalogue", sorted(BUNDLED_CATALOGUES))
def test_arrow_strings_build_what_python_strings_build(catalogue):
    # the bundled files hold quotes, list cells and non-ASCII text: loading
    # reads them as Arrow-backed strings, validated_tables as Python strings
    roles, edges = read_folder(BUNDLED_CATALOGUES[catalogue])
    G, _ = load_sources(roles, edges)
    role_table, edge_table, _ = validated_tables(roles, edges)
    H = build_graph(role_table, edge_table)
    assert list(G.nodes(data=True)) == list(H.nodes(data=True))
    assert list(G.edges(keys=True, data=True)) == list(H.edges(keys=True, data=True))
