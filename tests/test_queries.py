"""Queries, search, comparison and paths on a small hand-built ladder (and a
synthetic catalogue for the path search against networkx)."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graph import (
    RoleNotFound,
    all_reports,
    career_paths,
    compare_roles,
    direct_reports,
    feeders,
    find_role,
    load_graph,
    load_sources,
    make_graph,
    managers,
    moves_graph,
    nearest_reachable,
    next_moves,
    org_team,
    previous_roles,
    reporting_chain,
    search_roles,
    shortest_move_path,
)
from graph.paths import _MAX_DETOUR, _allowed_moves, _distances, _paths_by_length
from graph.queries import MAX_PATH_MOVES
from graph.synth import write_catalogue


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("clerk", "clerk"),  # the id
        ("SENIOR CLERK", "senior-clerk"),  # the title, any case
        ("ops clerk", "clerk"),  # an alias
        ("  Manager ", "manager"),  # stray whitespace
        ("Direktor", "director"),  # a typo
        ("sr clerk", "senior-clerk"),  # an abbreviation
    ],
)
def test_find_role(ladder, text, expected):
    assert find_role(ladder, text) == expected


def test_unknown_role_suggests_close_titles(ladder):
    with pytest.raises(
        RoleNotFound, match="No role 'Head Clerk'; did you mean"
    ) as caught:
        find_role(ladder, "Head Clerk")
    assert "clerk" in caught.value.suggestions


def test_ambiguous_name_is_not_guessed(ladder):
    with pytest.raises(RoleNotFound, match="'Clerk', 'Senior Clerk'"):
        find_role(ladder, "cler")


def test_search_ranks_exact_first(ladder):
    assert search_roles(ladder, "clerk")[0] == "clerk"
    assert set(search_roles(ladder, "clerk")) == {"clerk", "senior-clerk"}


def test_next_and_previous_moves(ladder):
    assert [(m.role, m.type) for m in next_moves(ladder, "manager")] == [
        ("director", "promotion"),
        ("planner", "lateral"),
    ]
    assert [m.role for m in previous_roles(ladder, "manager")] == [
        "senior-clerk",
        "clerk",
    ]
    assert next_moves(ladder, "manager", types=("reports_to",))[0].role == "director"


def test_unknown_id_raises(ladder):
    with pytest.raises(RoleNotFound, match="No role with id 'ghost'"):
        next_moves(ladder, "ghost")


def test_reporting_structure(ladder):
    assert reporting_chain(ladder, "clerk") == ["clerk", "manager", "director"]
    assert managers(ladder, "planner") == ["director"]
    assert direct_reports(ladder, "director") == ["manager", "planner"]
    assert all_reports(ladder, "director") == {
        "manager": 1,
        "planner": 1,
        "clerk": 2,
        "senior-clerk": 2,
    }


def test_feeders_within_k(ladder):
    assert feeders(ladder, "director", k=1) == {"manager": 1, "planner": 1}
    assert feeders(ladder, "director", k=2) == {
        "manager": 1,
        "planner": 1,
        "senior-clerk": 2,
        "clerk": 2,
    }


def test_paths_ranked_by_steps(ladder):
    paths = career_paths(ladder, "clerk", "director", k=5)
    assert [p.roles for p in paths] == [
        ("clerk", "manager", "director"),
        ("clerk", "senior-clerk", "manager", "director"),
        ("clerk", "manager", "planner", "director"),
        ("clerk", "senior-clerk", "manager", "planner", "director"),
    ]
    first_step = paths[0].steps[0]
    assert first_step.type == "promotion"
    assert first_step.level_change == 2
    assert first_step.skills_to_gain == ("Budgeting", "Leadership")
    assert first_step.scope == "Whole office"
    assert paths[2].steps[1].type == "lateral"
    assert paths[2].steps[1].family_change == ("Ops", "Planning")


def test_paths_with_known_years_rank_by_total_time():
    from graph import load_sources

    roles = b"id,title,family,level\na,A,F,1\nb,B,F,2\nc,C,F,2\nd,D,F,3\n"
    edges = (
        b"source,target,type,typical_years,reference\n"
        b"a,b,promotion,3,HR study\nb,d,promotion,3,HR study\n"
        b"a,c,promotion,1,HR study\nc,d,promotion,2,HR study\n"
    )
    G, _ = load_sources(roles, edges)
    paths = career_paths(G, "a", "d")
    assert [(p.roles, p.known_years) for p in paths] == [
        (("a", "c", "d"), 3.0),
        (("a", "b", "d"), 6.0),
    ]


def test_no_path_and_nearest_reachable(ladder):
    assert career_paths(ladder, "director", "clerk") == []
    assert nearest_reachable(ladder, "planner", "clerk") == ["director"]


def test_compare_structured_differences(ladder):
    c = compare_roles(ladder, "clerk", "manager")
    assert c.level_gap == 2
    assert c.same_family
    assert c.skills_only_a == ["Typing"]
    assert c.skills_only_b == ["Budgeting", "Leadership"]
    assert c.skills_shared == ["Filing"]
    assert c.reporting_relation == "Clerk reports to Manager"
    assert c.path_a_to_b == ["clerk", "manager"]
    assert c.path_b_to_a is None
    scope = next(r for r in c.rows if r.column == "scope")
    assert (scope.a, scope.b, scope.differs) == ("", "Whole office", True)


def test_compare_chain_relation_and_other_family(ladder):
    c = compare_roles(ladder, "director", "clerk")
    assert c.reporting_relation == "Director is above Clerk in the chain of command"
    assert not c.same_family
    c = compare_roles(ladder, "planner", "senior-clerk")
    assert c.reporting_relation == "No reporting line between them"


@pytest.fixture
def ranked():
    """start (level 2) and two targets: ``up`` (level 3), reached through a
    dip to ``low`` (level 1) or a longer way along the level; ranked
    relations to ``far`` (rank 10, 10) and ``near`` (rank 1, 1)."""
    return make_graph(
        [
            {"id": i, "title": i, "family": "F", "level": level}
            for i, level in [
                ("start", 2),
                ("low", 1),
                ("side", 2),
                ("side2", 2),
                ("up", 3),
                ("near", 2),
                ("far", 2),
                ("goal", 2),
            ]
        ],
        [
            ("start", "low", "lateral"),
            ("low", "up", "promotion"),
            ("start", "side", "lateral"),
            ("side", "side2", "lateral"),
            ("side2", "up", "promotion"),
        ],
    )


@pytest.mark.parametrize(
    ("allow", "expected"),
    [
        (False, ("start", "side", "side2", "up")),  # no step down: the long way
        (True, ("start", "low", "up")),  # allowed: the short dip comes first
    ],
)
def test_paths_to_a_senior_role_do_not_step_down(ranked, allow, expected):
    best = career_paths(ranked, "start", "up", k=1, allow_step_down=allow)[0]
    assert best.roles == expected


def test_closer_ranked_relations_come_first():
    roles = "id,title,family,level\n" + "".join(f"{i},{i},F,1\n" for i in "sabt")
    edges = (
        "source,target,type,rank\n"
        "s,a,related,10\na,t,related,10\ns,b,related,1\nb,t,related,1\n"
    )
    G, _ = load_sources(roles, edges)
    paths = career_paths(G, "s", "t")
    assert [p.roles for p in paths] == [("s", "b", "t"), ("s", "a", "t")]
    assert paths[0].cost == 2.0 and paths[1].cost == pytest.approx(2.9)


def test_compare_and_path_choose_the_same_path(ranked):
    from graph import compare_roles

    best = career_paths(ranked, "start", "up", k=1)[0]
    assert tuple(compare_roles(ranked, "start", "up").path_a_to_b) == best.roles


def test_a_related_occupation_is_a_move_both_ways():
    roles = "id,title,family,level\nnurse,Nurse,Care,4\nboss,Care Manager,Care,4\n"
    # only the manager lists the nurse: similar work is similar both ways
    G, _ = load_sources(roles, "source,target,type,rank\nboss,nurse,related,18\n")
    (path,) = career_paths(G, "nurse", "boss")
    assert path.roles == ("nurse", "boss")
    assert (
        path.steps[0].note
        == "Care Manager lists Nurse as a related occupation (rank 18)"
    )
    assert path.steps[0].rank == 18


@pytest.mark.parametrize(
    ("allow", "expected"),
    [
        (False, [("a", "side", "b")]),  # along the level only
        (True, [("a", "high", "b"), ("a", "side", "b")]),  # overshoot and back
    ],
)
def test_a_target_at_the_same_level_is_reached_without_overshooting(allow, expected):
    G = make_graph(
        [
            {"id": i, "title": i, "family": "F", "level": level}
            for i, level in [("a", 2), ("high", 3), ("side", 2), ("b", 2)]
        ],
        [
            ("a", "high", "promotion"),
            ("high", "b", "lateral"),
            ("a", "side", "lateral"),
            ("side", "b", "lateral"),
        ],
    )
    paths = career_paths(G, "a", "b", allow_step_down=allow)
    assert sorted(p.roles for p in paths) == expected


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic")
    write_catalogue(400, folder)
    G, _ = load_graph(folder)
    return G


@pytest.mark.parametrize(
    "rising_only",
    [
        # towards a senior role: no move steps down a level
        True,
        # steps down allowed
        False,
    ],
)
def test_pruned_path_search_finds_what_every_simple_path_would(synthetic, rising_only):
    """The search prunes with distances from half balls and walks the move
    graph's arrays; networkx's all_simple_paths over the public view must
    give the same paths, shortest first, in the same order."""
    G = synthetic
    rng = random.Random(3)
    roles = sorted(G)
    checked = 0
    for _ in range(40):
        source, target = rng.sample(roles, 2)
        shortest = shortest_move_path(G, source, target)
        if shortest is None or len(shortest) > 6:
            continue
        found = _paths_by_length(G, rising_only, source, target, 200, MAX_PATH_MOVES)
        allowed = _allowed_moves(G, rising_only)
        fewest = shortest_move_path(G, source, target, moves=allowed)
        if fewest is None:
            assert found == []
            continue
        horizon = len(fewest) - 1 + _MAX_DETOUR
        every = nx.all_simple_paths(allowed, source, target, cutoff=horizon)
        assert found == sorted(every, key=len)[:200]
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize(
    ("forward", "cutoff"),
    [
        (True, 3),  # over successors, a short way
        (False, 6),  # over predecessors: the moves into each role
        (True, 50),  # as far as the moves go
    ],
)
def test_distances_over_the_arrays_are_networkx_s(synthetic, forward, cutoff):
    moves = moves_graph(synthetic)
    adjacency, public = (
        (moves._succ, moves) if forward else (moves._pred, moves.reverse(copy=False))
    )
    ids = list(moves)
    for source in random.Random(cutoff).sample(ids, 25):
        found = _distances(adjacency, ids.index(source), cutoff, None, forward)
        reached = {ids[at]: int(d) for at, d in enumerate(found.tolist()) if d >= 0}
        assert reached == nx.single_source_shortest_path_length(public, source, cutoff)


@pytest.mark.parametrize(
    ("depth", "expanded", "team", "hidden"),
    [
        # one level: the CEO's two direct reports; the manager's wait
        (
            1,
            [],
            {"chief-operating-officer": 1, "operations-manager": 1},
            {"operations-manager": 2},
        ),
        # two levels: everyone, nothing hidden
        (
            2,
            [],
            {
                "chief-operating-officer": 1,
                "operations-manager": 1,
                "operations-assistant": 2,
                "operations-lead": 2,
            },
            {},
        ),
        # one level, the manager's branch opened by hand
        (
            1,
            ["operations-manager"],
            {
                "chief-operating-officer": 1,
                "operations-manager": 1,
                "operations-assistant": 2,
                "operations-lead": 2,
            },
            {},
        ),
        # no level: only what is below, counted
        (0, [], {}, {"chief-executive-officer": 2}),
    ],
)
def test_org_team_cuts_at_the_depth_and_opens_branches(
    bundled, depth, expanded, team, hidden
):
    G, _ = bundled
    assert org_team(G, "chief-executive-officer", depth, expanded) == (team, hidden)


def test_org_team_refuses_a_negative_depth_and_an_unknown_role(bundled):
    G, _ = bundled
    with pytest.raises(ValueError, match="depth must be 0 or more"):
        org_team(G, "chief-executive-officer", -1)
    with pytest.raises(RoleNotFound, match="No role"):
        org_team(G, "chief-nobody", 1)
