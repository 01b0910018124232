"""The command line, run as a user would: ``python -m graph ...``."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from tests.conftest import REPO


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graph", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_path_from_assistant_to_coo_shows_coordinator_and_director():
    result = run_cli("path", "Operations Assistant", "Chief Operating Officer")
    assert result.returncode == 0, result.stderr
    assert "Operations Assistant -> Operations Coordinator" in result.stdout
    assert "Director of Operations -> Chief Operating Officer" in result.stdout
    assert result.stdout.startswith("Option 1: 2 steps\n")


def test_path_json_for_scripts():
    result = run_cli("path", "ops assistant", "COO", "-k", "2", "--json")
    data = json.loads(result.stdout)
    assert [p["roles"][-1] for p in data["paths"]] == ["chief-operating-officer"] * 2


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("validate",), "13 roles, 20 relations"),  # the bundled data is clean
        (("role", "ops lead"), "Reports to: Operations Manager"),  # alias lookup
        (("chain", "Operations Lead"), "Chief Executive Officer\n  Chief Operating"),
        (("compare", "Operations Lead", "Operations Manager"), "* Budget oversight"),
        (("path", "COO", "Operations Assistant"), "No career path"),  # downwards
    ],
)
def test_commands_succeed(args, expected):
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout


def test_unknown_role_exits_1_with_suggestions():
    result = run_cli("role", "Operations Manger Lead")
    assert result.returncode == 1
    assert "did you mean" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_data_gets_one_message_per_problem(data_copy):
    roles = data_copy / "roles.csv"
    lines = roles.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",2,", ",two,", 1)  # coordinator's level
    lines.append(lines[1])  # the assistant again: a duplicate id
    roles.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with (data_copy / "edges.csv").open("a", encoding="utf-8") as edges:
        edges.write("operations-lead,nobody,promotion,,,,\n")
    result = run_cli("validate", "--data", str(data_copy))
    assert result.returncode == 1
    assert result.stdout == ""  # errors go to stderr, like every other error
    assert "3 error(s)" in result.stderr
    assert "roles.csv, row 3, column 'level': level 'two'" in result.stderr
    assert "roles.csv, row 15, column 'id': duplicate id" in result.stderr
    assert (
        "edges.csv, row 22, column 'target': unknown role id 'nobody'" in result.stderr
    )
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_folder_is_a_clear_error(tmp_path):
    result = run_cli("validate", "--data", str(tmp_path / "absent"))
    assert result.returncode == 1
    assert "roles.csv: file is missing" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("frobnicate",),  # an unknown command
        ("path", "only-one-role"),  # a missing argument
        ("path", "a", "b", "-k", "0"),  # no paths asked for
        ("synth", "--roles", "5", "--out", "x"),  # below the synth minimum
        ("export", "--format", "pdf", "--out", "x"),  # an unknown format
    ],
)
def test_bad_usage_exits_2(args):
    result = run_cli(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "key", "expected"),
    [
        # an unknown role: the message and the suggestions
        (("role", "Operations Manger Lead"), "suggestions", "operations-manager"),
        # invalid data: every problem with file, row and column
        (("validate", "--data", "{absent}"), "problems", "roles.csv"),
        # an unwritable output file
        (("export", "--format", "csv", "--out", "{absent}/x.csv"), "error", "No such"),
    ],
)
def test_json_errors_are_json_on_stderr(tmp_path, args, key, expected):
    absent = str(tmp_path / "absent")
    result = run_cli(*(a.format(absent=absent) for a in args), "--json")
    assert result.returncode == 1
    assert result.stdout == ""
    error = json.loads(result.stderr)
    assert error["ok"] is False and error["error"]
    assert expected in json.dumps(error[key])


def test_readme_documents_every_command():
    from graph.cli import COMMANDS

    help_text = run_cli("--help").stdout
    assert all(command in help_text for command in COMMANDS)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"python -m graph {command}" in readme, command


@pytest.mark.parametrize("fmt", ["graphml", "json", "html"])
def test_export_writes_each_format(tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    result = run_cli("export", "--format", fmt, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "operations-manager" in out.read_text(encoding="utf-8")


def test_csv_export_is_a_data_folder_with_roles_and_relations(tmp_path):
    out = tmp_path / "exported"
    result = run_cli("export", "--format", "csv", "--out", str(out))
    assert result.returncode == 0, result.stderr
    again = run_cli("validate", "--data", str(out))
    assert "13 roles, 20 relations" in again.stdout


def test_export_to_a_missing_folder_is_a_clear_error(tmp_path):
    result = run_cli("export", "--format", "csv", "--out", str(tmp_path / "no" / "x"))
    assert result.returncode == 1
    assert "No such file or directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_synth_is_deterministic_and_valid(tmp_path):
    for name in ("a", "b"):
        result = run_cli("synth", "--roles", "1000", "--out", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
    for file in ("roles.csv", "edges.csv"):
        assert (tmp_path / "a" / file).read_bytes() == (
            tmp_path / "b" / file
        ).read_bytes()
    from graph import load_graph

    G, report = load_graph(tmp_path / "a")
    assert report.ok and len(G) == 1000
    assert 4 <= G.number_of_edges() / len(G) <= 6
    assert {"reports_to", "promotion", "lateral"} == {k for *_, k in G.edges(keys=True)}
    assert len({G.nodes[n]["family"] for n in G}) >= 3


@pytest.fixture
def one_bad_row(tmp_path):
    """The bundled data with the Coordinator's level misspelt: one bad row
    that also orphans the Coordinator's two promotions."""
    roles = (REPO / "data" / "roles.csv").read_text(encoding="utf-8")
    edges = (REPO / "data" / "edges.csv").read_text(encoding="utf-8")
    bad = roles.replace(
        "Operations Coordinator,Operations,2,", "Operations Coordinator,Operations,two,"
    )
    assert bad != roles
    (tmp_path / "roles.csv").write_text(bad, encoding="utf-8")
    (tmp_path / "edges.csv").write_text(edges, encoding="utf-8")
    return tmp_path


def test_strict_loading_stays_the_default(one_bad_row):
    result = run_cli("role", "COO", "--data", str(one_bad_row))
    assert result.returncode == 1
    assert "row 3, column 'level'" in result.stderr


def test_skip_invalid_loads_the_rest_and_lists_what_it_left_out(one_bad_row, tmp_path):
    out = tmp_path / "left-out.csv"
    result = run_cli(
        "validate",
        "--data",
        str(one_bad_row),
        "--skip-invalid",
        "--skipped-out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert "12 roles" in result.stdout
    assert "Left out 3 row(s) with errors" in result.stderr
    assert "roles.csv, row 3: level: level 'two' is not a whole number" in result.stderr
    left_out = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert left_out[0][:5] == ["file", "row", "problem", "id", "title"]
    assert [line[:2] for line in left_out[1:]] == [
        ["roles.csv", "3"],
        ["edges.csv", "2"],
        ["edges.csv", "4"],
    ]


def test_skip_invalid_cannot_skip_a_missing_column(tmp_path):
    (tmp_path / "roles.csv").write_text("id,title,level\na,A,1\n", encoding="utf-8")
    (tmp_path / "edges.csv").write_text("source,target,type\n", encoding="utf-8")
    result = run_cli("validate", "--data", str(tmp_path), "--skip-invalid")
    assert result.returncode == 1
    assert "column 'family': required column is missing" in result.stderr


def test_data_accepts_a_bundled_catalogue_by_name():
    result = run_cli("role", "--data", "onet", "Registered Nurses")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Registered Nurses (29-1141.00)")
