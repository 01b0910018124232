"""The build cache: warm loads give the same catalogue without validating
again, and never a catalogue other files, options or code would not give."""

from __future__ import annotations

import json
import pickle
import threading

import pytest

import graph.cache
import graph.loading
import graph.workspace.records
from graph import InvalidData, find_role, load_graph
from graph.bulk import SharedData
from graph.cache import BuildCache, detached_graph, wait_for_writes
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


def _load(*args, **kwargs):
    """load_graph, then wait for its cache write: what the next load reads."""
    loaded = load_graph(*args, **kwargs)
    wait_for_writes()
    return loaded


def _no_validation(*args, **kwargs):
    raise AssertionError("a warm load validated the files again")


def test_a_warm_load_gives_the_same_catalogue_without_validating(
    folder, cache, monkeypatch
):
    cold, cold_report = _load(folder, cache=cache)
    monkeypatch.setattr(graph.loading, "load_sources", _no_validation)
    warm, warm_report = _load(folder, cache=cache)
    assert warm is not cold
    assert dict(warm.nodes(data=True)) == dict(cold.nodes(data=True))
    assert warm.succ == cold.succ
    assert warm.graph["moves"].succ == cold.graph["moves"].succ
    assert warm_report == cold_report
    # ready for searches by name, and for lists of roles by title
    assert {"lookup", "roles_by_title"} <= set(warm.graph)
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
    _load(folder, cache=cache)
    change(folder)
    G, _ = _load(folder, cache=cache)
    assert G.nodes["b"]["title"] == expected_title
    assert len(list(cache.folder.glob("*.pickle"))) == 2


def test_stricter_options_validate_again(folder, cache):
    _load(folder, cache=cache)
    with pytest.raises(InvalidData, match="more than 1 rows"):
        _load(folder, cache=cache, limits=Limits(rows=1))


def test_a_corrupt_entry_is_built_again_and_replaced(folder, cache):
    _load(folder, cache=cache)
    (entry,) = cache.folder.glob("*.pickle")
    entry.write_bytes(b"\x80\x05 torn")
    G, _ = _load(folder, cache=cache)
    assert G.nodes["a"]["title"] == "Clerk"
    assert pickle.loads(entry.read_bytes())[0].nodes["a"]["title"] == "Clerk"


def test_an_unwritable_cache_never_fails_a_load(folder, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    G, _ = _load(folder, cache=BuildCache(blocked / "cache"))
    assert len(G) == 2


def test_the_least_recently_used_entries_are_let_go(tmp_path, cache):
    small = BuildCache(cache.folder, max_bytes=1)  # room for the newest only
    for title in ("One", "Two", "Three"):
        data = write_data(tmp_path / title, ROLES.replace("Boss", title), EDGES)
        _load(data, cache=small)
    (kept,) = small.folder.glob("*.pickle")
    assert pickle.loads(kept.read_bytes())[0].nodes["b"]["title"] == "Three"


def test_a_saved_version_is_built_once(tmp_path, cache, monkeypatch):
    ws = open_workspace(f"sqlite:///{tmp_path / 'ws.db'}")
    ws.save("c", ROLES.encode(), EDGES.encode())
    cold, _ = ws.load("c").load(cache)
    wait_for_writes()
    monkeypatch.setattr(graph.workspace.records, "load_validated", _no_validation)
    warm, _ = ws.load("c").load(cache)
    assert warm.succ == cold.succ
    assert find_role(warm, "Boss") == "b"


def test_the_load_goes_on_while_the_cache_is_written(folder, cache, monkeypatch):
    writing, may_finish = threading.Event(), threading.Event()
    put = BuildCache.put

    def slow_put(self, key, value):
        writing.set()
        assert may_finish.wait(10)
        put(self, key, value)

    monkeypatch.setattr(BuildCache, "put", slow_put)
    G, _ = load_graph(folder, cache=cache)
    assert writing.wait(10)
    # the caller has its catalogue, and may use it, while the write waits
    assert find_role(G, "junior clerk") == "a"
    G.graph["family_colours"] = {"Ops": "#000"}  # a derived index added meanwhile
    assert G.graph["moves"].out_degree("a") == 1  # a view networkx caches in it
    assert not list(cache.folder.glob("*.pickle"))
    may_finish.set()
    wait_for_writes()
    (entry,) = cache.folder.glob("*.pickle")
    written, _ = pickle.loads(entry.read_bytes())
    assert "family_colours" not in written.graph
    assert "out_degree" not in vars(written.graph["moves"])
    assert written.succ == G.succ and "lookup" in written.graph


def test_a_value_that_cannot_be_written_costs_only_the_entry(cache, caplog):
    cache.put_later("k", {"a lock": threading.Lock()})
    wait_for_writes()
    assert "Could not store a built catalogue" in caplog.text
    assert cache.get("k") is None
    assert not graph.cache._writes


def test_a_detached_graph_pickles_as_the_graph(folder):
    G, _ = load_graph(folder)
    copy = pickle.loads(pickle.dumps(detached_graph(G)))
    assert type(copy) is type(G)
    assert dict(copy.nodes(data=True)) == dict(G.nodes(data=True))
    assert copy.succ == G.succ and copy.pred == G.pred
    # as networkx's own add_edge leaves it: one dict for _adj and _succ
    copy.add_edge("b", "a", key="lateral", type="lateral")
    assert list(copy.successors("b")) == ["a"] and list(copy.predecessors("a")) == ["b"]
    assert copy.graph.keys() == G.graph.keys()


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
