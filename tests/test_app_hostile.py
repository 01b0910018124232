"""The app on hostile and odd data, driven through AppTest: anything that
validates is drawn in every tab without an exception; links carry any id;
nothing from data or from what people typed is rendered as Markdown."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import streamlit as st
from hypothesis import HealthCheck, given, settings
from streamlit.testing.v1 import AppTest

from graph.export import edges_table, roles_table, safe_csv
from tests.test_app import APP, all_text, fresh_caches, run_app, run_app_on_data
from tests.test_hostile_input import catalogues
from ui.state import MAX_LINK_VALUE
from ui.tabs import TAB_SLUGS

__all__ = ["fresh_caches"]  # the autouse fixture, used here too

EMPTY_ROLES = "id,title,family,level\n"
EMPTY_EDGES = "source,target,type\n"


def test_a_header_only_catalogue_gets_an_empty_state(tmp_path, monkeypatch):
    # once: "max() arg is an empty sequence" and a traceback
    at = run_app_on_data(tmp_path, monkeypatch, EMPTY_ROLES, EMPTY_EDGES)
    assert "holds no roles yet" in all_text(at)
    assert at.button(key="empty-back") is not None
    assert at.button(key="upload-load") is not None


def test_compare_links_carry_ids_with_commas(tmp_path, monkeypatch):
    roles = (
        'id,title,family,level\n"r&d, lab",Research Lead,R,2\n'
        '"ops%2C",Ops Clerk,Ops,1\n'
    )
    edges = 'source,target,type\n"ops%2C","r&d, lab",promotion\n'
    at = run_app_on_data(tmp_path, monkeypatch, roles, edges)
    at.session_state["compare_a"] = "ops%2C"
    at.session_state["compare_b"] = "r&d, lab"
    at.run()
    link = at.query_params["compare"]
    if isinstance(link, list):
        (link,) = link
    assert link == "ops%252C,r&d%2C lab"
    # the link the app wrote opens the same pair
    st.cache_resource.clear()
    again = AppTest.from_file(APP, default_timeout=60)
    again.query_params["compare"] = link
    again.run()
    assert not again.exception
    assert again.session_state["compare_a"] == "ops%2C"
    assert again.session_state["compare_b"] == "r&d, lab"


def test_an_over_long_link_value_is_refused_not_searched():
    at = run_app(role="x" * 100_000)
    text = all_text(at)
    assert f"more than a link may give \\({MAX_LINK_VALUE}\\)" in text
    assert "x" * 1000 not in text
    assert at.session_state["role"] == "operations-manager"


def test_a_bad_budget_variable_is_a_message_not_a_traceback(monkeypatch):
    monkeypatch.setenv("CAREER_GRAPH_MAX_ROWS", "lots")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert "CAREER\\_GRAPH\\_MAX\\_ROWS" in at.error[0].value


def test_names_people_typed_are_shown_as_text(monkeypatch):
    at = run_app(tab="data")
    at.session_state["data_saved"] = "Saved '![i](https://x.invalid/a.png)' version 1"
    at.run()
    (message,) = at.success
    # no image, and no bare link either: a word joiner splits "https://"
    assert "\\!\\[i\\]\\(https\\:\u2060//x.invalid/a.png\\)" in message.value


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(G=catalogues())
def test_any_valid_catalogue_draws_every_tab(G, monkeypatch):
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "roles.csv").write_text(safe_csv(roles_table(G)))
        (Path(folder) / "edges.csv").write_text(safe_csv(edges_table(G)))
        monkeypatch.setattr(sys, "argv", ["app.py", "--data", folder])
        st.cache_resource.clear()
        for slug in TAB_SLUGS.values():
            at = AppTest.from_file(APP, default_timeout=60)
            at.query_params["tab"] = slug
            at.run()
            assert not at.exception, (slug, at.exception)
            assert at.session_state["role"] in G


def test_unsaved_edits_are_flagged_to_the_page(monkeypatch):
    from tests.test_app import graph_data, show_tab

    at = run_app()
    show_tab(at, "Your data")
    assert graph_data(at)["unsaved_in_tab"] is None
    at.session_state[f"edit_roles_{at.session_state['catalogue']}"] = {
        "edited_rows": {0: {"title": "Ops Assistant I"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    # the page asks before a tab switch or a reload drops them
    assert graph_data(at)["unsaved_in_tab"] == "Your data"
    assert "Your edits are not saved yet" in "\n".join(w.value for w in at.warning)


def test_the_planner_says_when_a_path_is_longer_than_it_looks(tmp_path, monkeypatch):
    # once: "no career path", though one exists past the 12-move cap
    roles = "id,title,family,level\n" + "".join(
        f"r{i},Role {i},Ops,{i + 1}\n" for i in range(20)
    )
    edges = "source,target,type\n" + "".join(
        f"r{i},r{i + 1},promotion\n" for i in range(19)
    )
    folder = tmp_path / "chain"
    folder.mkdir()
    (folder / "roles.csv").write_text(roles)
    (folder / "edges.csv").write_text(edges)
    monkeypatch.setattr(sys, "argv", ["app.py", "--data", str(folder)])
    at = run_app(**{"from": "r0", "to": "r19"})
    (warning,) = at.warning
    assert "takes 19 moves; the planner looked for paths of at most 12" in warning.value
    at.button(key="path_raise_moves").click().run()
    assert "Option 1: 19 steps" in all_text(at)
    # the raised limit is part of the link, so a reload keeps it
    assert at.query_params["moves"] == "19"
    at = run_app(**{"from": "r0", "to": "r19", "moves": "19"})
    assert "Option 1: 19 steps" in all_text(at)
    at = run_app(**{"from": "r0", "to": "r19", "moves": "9999"})
    assert any("is not a number of moves from 1 to 500" in w.value for w in at.warning)


def test_a_catalogue_the_cache_lets_go_is_freed(tmp_path):
    # The server runs no garbage collection after each run, and a built graph
    # holds reference cycles: without a collection when the cache lets it go,
    # its memory would stay taken until Python's own schedule came round,
    # which may not happen while the server is idle. Automatic collection is
    # off here, so only that collection can free it.
    import gc
    import time
    import weakref

    from tests.conftest import write_data
    from ui.data import load_catalogue

    def catalogue(number: int):
        folder = write_data(
            tmp_path / f"c{number}",
            f"id,title,family,level\nr{number},Role {number},F,1\n",
            EMPTY_EDGES,
        )
        return load_catalogue(folder)

    gc.disable()
    try:
        first = catalogue(0)
        first.G.edges  # noqa: B018 (networkx keeps this view, which points back)
        freed = weakref.ref(first.G)
        del first
        assert freed() is not None, "still held by the cache"
        for number in range(1, 6):  # past the cache's four entries
            catalogue(number)
        deadline = time.monotonic() + 10
        while freed() is not None:
            assert time.monotonic() < deadline, "the graph let go was never freed"
            time.sleep(0.05)
    finally:
        gc.enable()
