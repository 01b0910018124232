"""The build cache: warm loads give the same catalogue without validating
again, and never a catalogue other files, options or code would not give."""

from __future__ import annotations

import json
import pickle

import pytest

import graph.loading
import graph.workspace.records
from graph import InvalidData, find_role, load_graph
from graph.bulk import SharedData
from graph.cache import BuildCache
from graph.limits import Limits
from graph.workspace import open_workspace
from tests.conftest import BUNDLED_DATA, write_data
from tests.test_cli import run_cli

ROLES = "id,title,family,level,aliases\na,Clerk,Ops,1,Junior Clerk\nb,Boss,Ops,2,\n"
EDGES = "source,target,type,note\na,b,promotion,\nb,a,lateral,rare\n"


@pytest.fixture
def cache(tmp_path):
    return BuildCache(tmp_path / "cache")


@pytest.fixture
def folder(tmp_path):
    return write_data(tmp_path / "data", ROLES, EDGES)


def _no_validation(*args, **kwargs):
    raise AssertionError("a warm load validated the files again")


def test_a_warm_load_gives_the_same_catalogue_without_validating(
    folder, cache, monkeypatch
):
    cold, cold_report = load_graph(folder, cache=cache)
    monkeypatch.setattr(graph.loading, "load_sources", _no_validation)
    warm, warm_report = load_graph(folder, cache=cache)
    assert warm is not cold
    assert dict(warm.nodes(data=True)) == dict(cold.nodes(data=True))
    assert warm.succ == cold.succ
    assert warm.graph["moves"].succ == cold.graph["moves"].succ
    assert warm_report == cold_report
    assert "lookup" in warm.graph  # ready for searches by name
    assert find_role(warm, "junior clerk") == "a"


@pytest.mark.parametrize(
    ("change", "expected_title"),
    [
        # a changed cell: built again from the new files
        (
            lambda f: (f / "roles.csv").write_text(ROLES.replace("Boss", "Chief")),
            "Chief",
        ),
        # a file added beside them (named levels): built again too
        (lambda f: (f / "levels.csv").write_text("level,name\n1,Entry\n"), "Boss"),
    ],
)
def test_changed_files_are_built_again(folder, cache, change, expected_title):
    load_graph(folder, cache=cache)
    change(folder)
    G, _ = load_graph(folder, cache=cache)
    assert G.nodes["b"]["title"] == expected_title
    assert len(list(cache.folder.glob("*.pickle"))) == 2


def test_stricter_options_validate_again(folder, cache):
    load_graph(folder, cache=cache)
    with pytest.raises(InvalidData, match="more than 1 rows"):
        load_graph(folder, cache=cache, limits=Limits(rows=1))


def test_a_corrupt_entry_is_built_again_and_replaced(folder, cache):
    load_graph(folder, cache=cache)
    (entry,) = cache.folder.glob("*.pickle")
    entry.write_bytes(b"\x80\x05 torn")
    G, _ = load_graph(folder, cache=cache)
    assert G.nodes["a"]["title"] == "Clerk"
    assert pickle.loads(entry.read_bytes())[0].nodes["a"]["title"] == "Clerk"


def test_an_unwritable_cache_never_fails_a_load(folder, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    G, _ = load_graph(folder, cache=BuildCache(blocked / "cache"))
    assert len(G) == 2


def test_the_least_recently_used_entries_are_let_go(tmp_path, cache):
    small = BuildCache(cache.folder, max_bytes=1)  # room for the newest only
    for title in ("One", "Two", "Three"):
        data = write_data(tmp_path / title, ROLES.replace("Boss", title), EDGES)
        load_graph(data, cache=small)
    (kept,) = small.folder.glob("*.pickle")
    assert pickle.loads(kept.read_bytes())[0].nodes["b"]["title"] == "Three"


def test_a_saved_version_is_built_once(tmp_path, cache, monkeypatch):
    ws = open_workspace(f"sqlite:///{tmp_path / 'ws.db'}")
    ws.save("c", ROLES.encode(), EDGES.encode())
    cold, _ = ws.load("c").load(cache)
    monkeypatch.setattr(graph.workspace.records, "load_validated", _no_validation)
    warm, _ = ws.load("c").load(cache)
    assert warm.succ == cold.succ
    assert find_role(warm, "Boss") == "b"


def test_relations_that_carry_only_a_type_share_read_only_data(folder):
    G, _ = load_graph(folder)
    promotion = G["a"]["b"]["promotion"]
    assert isinstance(promotion, SharedData)
    assert json.loads(json.dumps(promotion)) == {"type": "promotion"}
    with pytest.raises(TypeError, match=r"change G.copy\(\) instead"):
        promotion["weight"] = 2
    assert G["b"]["a"]["lateral"] == {"type": "lateral", "note": "rare"}
    G["b"]["a"]["lateral"]["weight"] = 2  # data of its own stays a plain dict
    edited = G.copy()
    edited["a"]["b"]["promotion"]["weight"] = 2
    assert G["a"]["b"]["promotion"] == {"type": "promotion"}


def test_the_command_line_uses_the_cache_and_names_a_bad_size(tmp_path, monkeypatch):
    monkeypatch.setenv("CAREER_GRAPH_CACHE", str(tmp_path / "cli-cache"))
    assert run_cli("validate", "--data", str(BUNDLED_DATA)).returncode == 0
    assert len(list((tmp_path / "cli-cache").glob("*.pickle"))) == 1
    monkeypatch.setenv("CAREER_GRAPH_CACHE_MB", "lots")
    result = run_cli("validate", "--data", str(BUNDLED_DATA))
    assert result.returncode != 0
    assert "CAREER_GRAPH_CACHE_MB='lots': give a whole number from 1" in result.stderr
    assert "Traceback" not in result.stderr
