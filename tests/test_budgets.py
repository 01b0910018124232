"""Hostile and huge input, in small generated files: every budget is enforced
as an ordinary problem with file, row and column; data that validates never
crashes; text from data never reaches a terminal or XML raw."""

from __future__ import annotations

import csv
import io
import xml.dom.minidom

import networkx as nx
import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph import InvalidData, load_sources, load_workbook, make_graph, reading
from graph.export import export_graph, safe_csv
from graph.limits import DEFAULT_LIMITS, MAX_LEVEL, Limits, limits_from_env
from graph.loading import without_invalid_rows
from graph.reading import read_table
from graph.validation import ValidationReport
from tests.conftest import write_data
from tests.test_cli import run_cli

ROLES = "id,title,family,level\na,Clerk,Ops,1\nb,Boss,Ops,2\n"
EDGES = "source,target,type\na,b,promotion\n"


def problems_of(
    roles: str, edges: str, limits: Limits = DEFAULT_LIMITS
) -> ValidationReport:
    with pytest.raises(InvalidData) as caught:
        load_sources(roles, edges, limits=limits)
    return caught.value.report


@pytest.mark.parametrize(
    "roles, limits, where, message",
    [
        # a header wider than the budget is refused before any row is parsed
        (
            ",".join(f"c{i}" for i in range(300)) + "\n",
            Limits(),
            ("roles.csv", 1, None),
            "the header has 300 columns, more than 200",
        ),
        # a data row with far more cells than the header
        (
            "id,title,family,level\n" + ",".join(["x"] * 5000) + "\n",
            Limits(),
            ("roles.csv", 2, None),
            "the row has 5000 cells but the header has 4",
        ),
        # a cell longer than the budget
        (
            "id,title,family,level\na," + "W" * 51 + ",Ops,1\n",
            Limits(cell_chars=50),
            ("roles.csv", 2, "title"),
            "the cell holds 51 characters, more than 50",
        ),
        # more rows than the budget
        (
            "id,title,family,level\n" + "".join(f"r{i},T{i},F,1\n" for i in range(6)),
            Limits(rows=5),
            ("roles.csv", None, None),
            "more than 5 rows",
        ),
        # levels past the documented maximum, however they are written
        (
            f"id,title,family,level\na,A,F,{MAX_LEVEL + 1}\n",
            Limits(),
            ("roles.csv", 2, "level"),
            f"above {MAX_LEVEL}",
        ),
        # 2**53 + 1 would silently become 2**53 as a float
        (
            "id,title,family,level\na,A,F,9007199254740993\n",
            Limits(),
            ("roles.csv", 2, "level"),
            f"above {MAX_LEVEL}",
        ),
        (
            "id,title,family,level\na,A,F,1e20\n",
            Limits(),
            ("roles.csv", 2, "level"),
            f"above {MAX_LEVEL}",
        ),
    ],
)
def test_budgets_are_problems_with_a_place(roles, limits, where, message):
    report = problems_of(roles, "source,target,type\n", limits)
    (problem,) = report.errors
    assert (problem.file, problem.row, problem.column) == where
    assert message in problem.message


def test_errors_past_the_limit_are_counted_not_listed():
    edges = "source,target,type\n" + "".join(f"x{i},a,promotion\n" for i in range(50))
    report = problems_of(ROLES, edges, Limits(errors=10))
    assert len(report.errors) == 10
    assert report.error_count == 50
    assert report.summary().endswith("... and 40 more error(s) not listed")
    assert report.to_frame()["message"].iloc[-1].startswith("40 more error(s)")


def test_lenient_loading_still_leaves_out_every_bad_row_past_the_limit():
    edges = "source,target,type\n" + "".join(f"x{i},a,promotion\n" for i in range(30))
    _, kept_edges, skipped = without_invalid_rows(
        ROLES, edges + "a,b,promotion\n", limits=Limits(errors=5)
    )
    assert len(skipped) == 30
    assert kept_edges.splitlines()[1:] == ["a,b,promotion"]


def test_only_the_first_unknown_ids_get_a_suggestion():
    # 3,000 unknown ids once took minutes: a "did you mean" against every id
    roles = "id,title,family,level\n" + "".join(
        f"role-{i},T{i},F,1\n" for i in range(2000)
    )
    edges = "source,target,type\n" + "".join(
        f"rolx-{i},role-0,lateral\n" for i in range(3000)
    )
    report = problems_of(roles, edges, Limits(errors=5000))
    assert report.error_count == 3000
    hinted = [p for p in report.errors if p.hint.startswith("did you mean")]
    assert len(hinted) == 50
    assert hinted[0].hint == "did you mean 'role-0'?"


def _workbook(cells: dict[str, str], edges: bool = True) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "roles"
    for ref, value in cells.items():
        sheet[ref] = value
    if edges:
        book.create_sheet("edges")["A1"] = "source"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_spanning_every_column_is_refused_before_its_cells_are_read():
    # cells in A and XFD made every row 16,384 cells wide
    cells = {"A1": "id", "XFD1": "x"}
    cells.update({f"A{row}": "r" for row in range(2, 300)})
    cells.update({f"XFD{row}": "x" for row in range(2, 300)})
    with pytest.raises(InvalidData) as caught:
        load_workbook(_workbook(cells), "wide.xlsx")
    (problem,) = caught.value.report.errors
    assert problem.file == "wide.xlsx sheet roles"
    assert "spans 16,384 columns (to column XFD), more than 200" in problem.message


def test_a_workbook_that_unzips_past_the_budget_is_refused():
    content = _workbook({"A1": "id", "A2": "x" * 5000})
    with pytest.raises(InvalidData, match="unzips to .* bytes, more than 4,000"):
        load_workbook(content, "big.xlsx", limits=Limits(workbook_bytes=4000))


def test_an_extra_cell_in_a_workbook_row_is_an_error_not_a_shift():
    cells = {"A1": "id", "B1": "title", "C1": "family", "D1": "level"}
    cells.update({"A2": "a", "B2": "A", "C2": "F", "D2": "1", "E2": "extra"})
    with pytest.raises(InvalidData, match="row 2: the row has 5 cells"):
        load_workbook(_workbook(cells), "shifted.xlsx")


@pytest.mark.parametrize(
    "ids, expected",
    [
        # a zero-width space inside an id
        (
            ["ops", "o\u200bps"],
            ["holds invisible characters (U+200B)", "looks the same"],
        ),
        # two ids differing only in case
        (["Ops", "ops"], ["looks the same"]),
        # é precomposed and e + combining accent
        (["caf\u00e9", "cafe\u0301"], ["looks the same"]),
        # distinct ids: no warning
        (["ops", "ops-2"], []),
    ],
)
def test_lookalike_ids_are_warned(ids, expected):
    roles = "id,title,family,level\n" + "".join(
        f"{role_id},T{i},F,1\n" for i, role_id in enumerate(ids)
    )
    _, report = load_sources(roles, "source,target,type\n")
    messages = [p.message for p in report.warnings]
    assert len(messages) == len(expected)
    for message, phrase in zip(messages, expected, strict=True):
        assert phrase in message


def test_limits_come_from_the_environment():
    assert limits_from_env({"CAREER_GRAPH_MAX_COLUMNS": "12"}).columns == 12
    with pytest.raises(ValueError, match="CAREER_GRAPH_MAX_ROWS='-1'"):
        limits_from_env({"CAREER_GRAPH_MAX_ROWS": "-1"})


def test_read_table_refuses_a_million_columns_without_parsing_them():
    header = ",".join(f"c{i}" for i in range(1_000_000))
    report = ValidationReport()
    assert read_table(header + "\n", "roles.csv", report) is None
    assert "1,000,000 columns" in report.errors[0].message


# Exports and the terminal ---------------------------------------------------

CONTROL_TEXT = "Ops\x00\x01\x0b\x1b[31m Lead"


def test_graphml_with_control_characters_is_valid_xml(tmp_path):
    G = make_graph(
        [
            {"id": "a\x01", "title": CONTROL_TEXT, "family": "F", "level": 1},
            {"id": "b", "title": "Boss", "family": "F", "level": 2},
        ],
        [("a\x01", "b", "promotion")],
    )
    path = export_graph(G, "graphml", tmp_path / "g.graphml")
    xml.dom.minidom.parse(str(path))  # raises on characters XML cannot hold
    back = nx.read_graphml(path)
    assert back.nodes["a\\x01"]["title"] == "Ops\\x00\\x01\\x0b\\x1b[31m Lead"


def test_csv_export_quotes_separators_and_neutralises_headers():
    text = safe_csv(pd.DataFrame({"=col": ["Leadership;=2+3", "@SUM(1)"]}))
    # a reader splitting on ';' (Excel in many locales) keeps each cell whole
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows == [["'=col"], ["Leadership;=2+3"], ["'@SUM(1)"]]


def test_cli_escapes_terminal_controls_from_titles(tmp_path):
    folder = write_data(
        tmp_path,
        "id,title,family,level\na,\x1b[2J\x1b[31mClerk,Ops,1\nb,Boss\u202e,Ops,2\n",
        EDGES,
    )
    result = run_cli("role", "a", "--data", str(folder))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "\\x1b[2J\\x1b[31mClerk" in result.stdout
    assert "Boss\\u202e" in result.stdout


def test_chain_of_a_deep_line_prints_each_role_once_in_linear_space(tmp_path):
    depth = 3000
    roles = "id,title,family,level\n" + "".join(
        f"r{i},Role {i},F,{min(i + 1, MAX_LEVEL)}\n" for i in range(depth)
    )
    edges = "source,target,type\n" + "".join(
        f"r{i},r{i + 1},reports_to\n" for i in range(depth - 1)
    )
    result = run_cli("chain", "r0", "--data", str(write_data(tmp_path, roles, edges)))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == depth + 1  # every role once, then the depth note
    assert max(map(len, lines)) < 60
    assert lines[-1] == "(3000 levels, indented to the first 12)"


def test_a_path_past_the_move_limit_says_so_and_how_to_raise_it(tmp_path):
    roles = "id,title,family,level\n" + "".join(
        f"r{i},Role {i},F,{i + 1}\n" for i in range(20)
    )
    edges = "source,target,type\n" + "".join(
        f"r{i},r{i + 1},promotion\n" for i in range(19)
    )
    folder = str(write_data(tmp_path, roles, edges))
    result = run_cli("path", "r0", "r19", "--data", folder)
    assert result.returncode == 0, result.stderr
    assert "within 12 moves: the shortest takes 19" in result.stdout
    assert "--max-moves 19" in result.stdout
    raised = run_cli("path", "r0", "r19", "--data", folder, "--max-moves", "19")
    assert raised.stdout.startswith("Option 1: 19 steps")


def test_cli_budget_options_change_the_limits(tmp_path):
    folder = str(write_data(tmp_path, ROLES, EDGES))
    assert run_cli("validate", "--data", folder).returncode == 0
    result = run_cli("validate", "--data", folder, "--max-rows", "1")
    assert result.returncode == 1
    assert "more than 1 rows" in result.stderr


@given(
    st.binary(max_size=60).map(lambda b: b.replace(b"\x00", b"\n")), st.integers(1, 9)
)
def test_the_longest_line_is_found_across_chunks(content, chunk):
    # lines are measured a chunk at a time; a line may span chunks
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reading, "_LINE_CHUNK", chunk)
        expected = max(len(line) for line in content.split(b"\n"))
        assert reading._longest_line(content) == expected
