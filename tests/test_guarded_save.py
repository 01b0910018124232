"""Saving off the request path: a child process checks and saves within a
time budget, and what it cannot finish is not saved at all."""

from __future__ import annotations

import pytest

from graph import InvalidData
from graph.cache import BuildCache
from graph.limits import Limits
from graph.workspace import VersionConflict, guarded, open_workspace, records
from graph.workspace.guarded import (
    MAX_CONCURRENT_CHECKS,
    CheckTooSlow,
    RejectedSave,
    SaveRequest,
    save_within,
)

ROLES = b"id,title,family,level\na,Clerk,Ops,1\nb,Boss,Ops,2\n"
EDGES = b"source,target,type\na,b,promotion\n"
BUDGET = 120  # seconds: far more than a check of two roles takes anywhere


def test_a_good_save_lands_in_the_workspace(workspace_url):
    info = save_within(SaveRequest(workspace_url, "ops", ROLES, EDGES), BUDGET)
    assert (info.catalogue, info.number, info.role_count) == ("ops", 1, 2)
    assert open_workspace(workspace_url).load("ops").info == info


def test_the_child_leaves_the_saved_version_built_in_the_cache(
    workspace_url, tmp_path, monkeypatch
):
    cache = BuildCache(tmp_path / "cache")
    save_within(SaveRequest(workspace_url, "ops", ROLES, EDGES, cache=cache), BUDGET)

    def build_again(*files):
        raise AssertionError("the server built a version the child had built")

    monkeypatch.setattr(records, "load_validated", build_again)
    G, _ = open_workspace(workspace_url).load("ops").load(cache)
    assert sorted(G.edges(keys=True)) == [("a", "b", "promotion")]


def test_bad_data_comes_back_as_the_report(workspace_url):
    request = SaveRequest(
        workspace_url, "ops", ROLES, b"source,target,type\na,x,lateral\n"
    )
    with pytest.raises(RejectedSave) as caught:
        save_within(request, BUDGET)
    (problem,) = caught.value.report.errors
    assert (problem.file, problem.row, problem.column) == ("edges.csv", 2, "target")
    assert open_workspace(workspace_url).catalogues() == []
    # worked out in the child as well: the files without the bad row
    kept_roles, kept_edges, skipped = caught.value.without_bad_rows
    assert kept_edges.splitlines() == ["source,target,type"]
    assert [(row.file, row.row) for row in skipped] == [("edges.csv", 2)]


def test_a_whole_file_problem_offers_no_rows_to_leave_out(workspace_url):
    request = SaveRequest(workspace_url, "ops", ROLES, b"source,type\na,lateral\n")
    with pytest.raises(RejectedSave, match="required column is missing") as caught:
        save_within(request, BUDGET)
    assert caught.value.without_bad_rows is None


def test_the_child_applies_the_limits_it_is_given(workspace_url):
    request = SaveRequest(workspace_url, "ops", ROLES, EDGES, limits=Limits(rows=1))
    with pytest.raises(InvalidData, match="more than 1 rows"):
        save_within(request, BUDGET)


def test_a_conflict_names_the_newer_version(workspace_url):
    save_within(SaveRequest(workspace_url, "ops", ROLES, EDGES), BUDGET)
    save_within(SaveRequest(workspace_url, "ops", ROLES, EDGES, based_on=1), BUDGET)
    stale = SaveRequest(workspace_url, "ops", ROLES, EDGES, based_on=1)
    with pytest.raises(VersionConflict) as caught:
        save_within(stale, BUDGET)
    assert caught.value.latest.number == 2


def test_past_the_budget_nothing_is_saved(tmp_path):
    url = f"sqlite:///{tmp_path / 'workspace.sqlite'}"
    open_workspace(url)  # migrated before the clock starts
    # a fresh interpreter alone takes longer than this to import the package
    with pytest.raises(CheckTooSlow, match="could not be checked within 0.05 s"):
        save_within(SaveRequest(url, "ops", ROLES, EDGES), 0.05)
    assert open_workspace(url).catalogues() == []


def test_a_check_that_waits_too_long_for_its_turn_says_the_server_is_busy(tmp_path):
    url = f"sqlite:///{tmp_path / 'workspace.sqlite'}"
    open_workspace(url)
    for _ in range(MAX_CONCURRENT_CHECKS):  # every slot taken by other checks
        guarded._slots.acquire()
    try:
        with pytest.raises(CheckTooSlow, match="busy checking other uploads"):
            save_within(SaveRequest(url, "ops", ROLES, EDGES), 0.05)
    finally:
        for _ in range(MAX_CONCURRENT_CHECKS):
            guarded._slots.release()
    assert open_workspace(url).catalogues() == []
