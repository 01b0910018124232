"""Arbitrary and hostile input: the loader reports or loads, never crashes;
exports round-trip and stay inert."""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile

import networkx as nx
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import InvalidData, load_graph, load_sources, make_graph
from graph.export import (
    edges_table,
    export_graph,
    plan_markdown,
    roles_table,
    safe_csv,
    standalone_html,
)
from graph.paths import career_paths
from tests.hostile import PAYLOADS, write_hostile_data

ROLE_COLUMNS = ["id", "title", "family", "level", "skills", "aliases"]
EDGE_COLUMNS = ["source", "target", "type", "typical_years", "reference"]


def _loads_or_reports(roles: bytes, edges: bytes) -> None:
    try:
        G, report = load_sources(roles, edges)
    except InvalidData as error:
        assert error.report.errors, "InvalidData always names a problem"
        for problem in error.report.errors:
            assert problem.file in ("roles.csv", "edges.csv")
            assert problem.message
    else:
        assert report.ok
        assert all(isinstance(level, int) for _, level in G.nodes(data="level"))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400), st.binary(max_size=400))
def test_arbitrary_bytes_load_or_report(roles, edges):
    _loads_or_reports(roles, edges)


cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "a",
            "b",
            "c",
            "1",
            "2",
            "0",
            "-3",
            "1.5",
            "promotion",
            "lateral",
            "reports_to",
            "",
            " ",
            '"',
            ";",
            "\n",
            "=1+1",
            "inf",
            "-inf",
            "nan",
            "1e400",
            "-0",
            "99999999999999999999",
            "1_000",
            "0x10",
            "\x00",
            "\ufeff",
            "\r",
        ]
    ),
)


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(cells, min_size=4, max_size=6), max_size=8),
    st.lists(st.lists(cells, min_size=3, max_size=5), max_size=8),
    st.permutations(ROLE_COLUMNS),
)
def test_arbitrary_tables_load_or_report(role_rows, edge_rows, role_header):
    roles = _csv(role_header[: max(map(len, role_rows), default=4)], role_rows)
    edges = _csv(EDGE_COLUMNS[: max(map(len, edge_rows), default=3)], edge_rows)
    _loads_or_reports(roles, edges)


@pytest.fixture(scope="module")
def bundled_graph():
    from tests.conftest import BUNDLED_DATA

    return load_graph(BUNDLED_DATA)[0]


def _same_graph(G, H):
    assert set(G) == set(H)
    assert sorted((s, t, k) for s, t, k in G.edges(keys=True)) == sorted(
        (s, t, k) for s, t, k in H.edges(keys=True)
    )


def test_graphml_round_trip(bundled_graph, tmp_path):
    H = nx.read_graphml(export_graph(bundled_graph, "graphml", tmp_path / "g.graphml"))
    _same_graph(bundled_graph, H)
    assert H.nodes["operations-manager"]["title"] == "Operations Manager"
    assert "Leadership" in H.nodes["operations-manager"]["skills"]


def test_json_round_trip(bundled_graph, tmp_path):
    data = json.loads(
        export_graph(bundled_graph, "json", tmp_path / "g.json").read_text()
    )
    H = nx.node_link_graph(data, edges="edges")
    _same_graph(bundled_graph, H)
    assert H.is_multigraph() and H.is_directed()


def test_html_has_no_remote_sources(bundled_graph, tmp_path):
    page = export_graph(bundled_graph, "html", tmp_path / "g.html").read_text()
    assert re.findall(r"""(?:src|href)\s*=\s*["']?https?://""", page) == []
    assert "vis.Network" in page and "operations-manager" in page


def test_html_never_switches_pyvis_to_html_tooltips(tmp_path):
    G, _ = load_graph(write_hostile_data(tmp_path / "data"))
    page = standalone_html(G)
    assert "popup.innerHTML" not in page
    assert "<script>window.__pwned" not in page  # only escaped inside JSON


def test_csv_exports_neutralise_formulas(tmp_path):
    G, _ = load_graph(write_hostile_data(tmp_path / "data"))
    for table in (roles_table(G), edges_table(G)):
        parsed = list(csv.reader(io.StringIO(safe_csv(table))))
        for cell in (c for row in parsed[1:] for c in row):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    exported = export_graph(G, "csv", tmp_path / "exported")
    assert "'=HYPERLINK" in (exported / "roles.csv").read_text()


def test_plan_markdown_escapes_payloads(tmp_path):
    G, _ = load_graph(write_hostile_data(tmp_path / "data"))
    ids = list(G)
    text = plan_markdown(G, career_paths(G, ids[0], ids[3]))
    assert re.findall(r"(?<!\\)[<\[]", text) == []  # every < and [ escaped
    assert "](javascript" not in text
    assert "\\<script\\>" in text


def test_every_payload_is_in_the_hostile_data(tmp_path):
    folder = write_hostile_data(tmp_path / "data")
    text = (folder / "roles.csv").read_text() + (folder / "edges.csv").read_text()
    for payload in PAYLOADS:
        assert payload.replace('"', '""') in text or payload in text


def _record_count(content: bytes) -> int:
    return len(list(csv.reader(io.StringIO(content.decode()))))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(cells, min_size=4, max_size=6), max_size=8),
    st.lists(st.lists(cells, min_size=3, max_size=5), max_size=8),
)
def test_reported_rows_exist_and_loads_keep_every_role(role_rows, edge_rows):
    roles = _csv(ROLE_COLUMNS[: max(map(len, role_rows), default=4)], role_rows)
    edges = _csv(EDGE_COLUMNS[: max(map(len, edge_rows), default=3)], edge_rows)
    records = {"roles.csv": _record_count(roles), "edges.csv": _record_count(edges)}
    try:
        G, _ = load_sources(roles, edges)
    except InvalidData as error:
        for problem in error.report.problems:
            # a reported row is the header (1) or one of the file's records
            assert problem.row is None or 1 <= problem.row <= records[problem.file]
    else:
        non_blank = [row for row in role_rows if any(cell.strip() for cell in row)]
        assert len(G) == len(non_blank)


_words = (
    st.text(alphabet="abcdefghij klmnop,.'\"()", min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)


@st.composite
def catalogues(draw):
    """Valid catalogues: unique ids, levels, list cells, every relation type,
    reporting lines that only go up the list (so never in a circle)."""
    count = draw(st.integers(1, 6))
    ids = [f"r{i}" for i in range(count)]
    roles = []
    for role_id in ids:
        role = {
            "id": role_id,
            "title": draw(_words),
            "family": draw(st.sampled_from(["Ops", "Finance", "HR"])),
            "level": draw(st.integers(1, 9)),
        }
        if draw(st.booleans()):
            role["skills"] = ";".join(draw(st.lists(_words, min_size=1, max_size=3)))
        if draw(st.booleans()):
            role["summary"] = draw(_words)
        roles.append(role)
    pairs = [(a, b) for a in range(count) for b in range(count) if a != b]
    edges = set()
    for a, b in draw(st.lists(st.sampled_from(pairs), max_size=8)) if pairs else []:
        kinds = ["promotion", "lateral"] + (["reports_to"] if a < b else [])
        edges.add((ids[a], ids[b], draw(st.sampled_from(kinds))))
    return make_graph(roles, sorted(edges))


def _canonical(roles: pd.DataFrame, edges: pd.DataFrame) -> tuple:
    role_rows = sorted(
        tuple(sorted((k, str(v)) for k, v in row.items() if str(v) not in ("", "nan")))
        for row in roles.to_dict("records")
    )
    edge_rows = sorted(
        (row["source"], row["target"], row["type"]) for row in edges.to_dict("records")
    )
    return role_rows, edge_rows


def _tables_of(H: nx.MultiDiGraph) -> tuple[pd.DataFrame, pd.DataFrame]:
    roles = pd.DataFrame([{"id": n, **d} for n, d in H.nodes(data=True)])
    edges = pd.DataFrame(
        [
            {"source": s, "target": t, "type": d["type"]}
            for s, t, d in H.edges(data=True)
        ],
        columns=["source", "target", "type"],
    )
    return roles, edges


@settings(max_examples=60, deadline=None)
@given(catalogues())
def test_every_export_round_trips_to_the_same_catalogue(G):
    expected = _canonical(roles_table(G), edges_table(G))
    with tempfile.TemporaryDirectory() as folder:
        graphml = nx.read_graphml(
            export_graph(G, "graphml", f"{folder}/g.graphml"), force_multigraph=True
        )
        as_json = nx.node_link_graph(
            json.loads(export_graph(G, "json", f"{folder}/g.json").read_text()),
            edges="edges",
        )
    from_csv, _ = load_sources(
        safe_csv(roles_table(G)).encode(), safe_csv(edges_table(G)).encode()
    )
    assert _canonical(*_tables_of(graphml)) == expected
    assert _canonical(*_tables_of(as_json)) == expected
    assert _canonical(roles_table(from_csv), edges_table(from_csv)) == expected
