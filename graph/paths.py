"""Career paths: ranked ways from one role to another over promotions and moves."""

from __future__ import annotations

import re
from dataclasses import dataclass

import networkx as nx
import numpy as np

from graph.adjacency import Adjacency
from graph.indexes import moves_graph, role_levels
from graph.queries import (
    MAX_PATH_MOVES,
    check_role,
    reachable_roles,
    role_title,
    shortest_move_path,
)
from graph.roletable import level_array
from graph.schema import MOVE_TYPES, RELATION_TYPES, SYMMETRIC_TYPES
from graph.skills import skill_gap, skill_name

__all__ = [
    "Step",
    "CareerPath",
    "career_paths",
    "fewest_moves",
    "MAX_MOVES_LIMIT",
    "nearest_reachable",
    "option_heading",
]

#: How many extra paths to look at when ranking paths of equal length by years.
_RANKING_POOL = 20
#: Paths longer than the shortest by more than this many moves are not offered.
_MAX_DETOUR = 4
#: The longest path a search may look for: the path search recurses once
#: per move, well inside Python's recursion limit.
MAX_MOVES_LIMIT = 500
#: 20 ranks cost about one move more: a close relation is worth a detour.
_RANKS_PER_MOVE = 20


@dataclass(frozen=True)
class Step:
    """One move on a path, and what changes with it."""

    source: str
    target: str
    type: str
    typical_years: float | None
    level_change: int
    family_change: tuple[str, str] | None
    skills_to_gain: tuple[str, ...]
    scope: str
    decision_authority: str
    note: str
    #: How close the relation is (1 = closest), where the data ranks it.
    rank: int | None = None

    @property
    def cost(self) -> float:
        """1 for a move; a ranked relation costs more the further down its
        role's list it is (rank 1: 1.0, rank 20: 1.95)."""
        return 1.0 if self.rank is None else 1.0 + (self.rank - 1) / _RANKS_PER_MOVE


@dataclass(frozen=True)
class CareerPath:
    """A path from ``roles[0]`` to ``roles[-1]``."""

    roles: tuple[str, ...]
    steps: tuple[Step, ...]

    @property
    def cost(self) -> float:
        """The sum of the steps' costs: what the ranking minimises first."""
        return sum(step.cost for step in self.steps)

    @property
    def known_years(self) -> float | None:
        """Total typical years, or ``None`` if any step's figure is unknown."""
        years = [step.typical_years for step in self.steps]
        return None if None in years else sum(years)


def option_heading(number: int, path: CareerPath) -> str:
    """How a ranked path is named wherever it is shown or written out.

    Examples
    --------
    >>> from graph.building import make_graph
    >>> G = make_graph(
    ...     [{"id": i, "title": i, "family": "F", "level": lvl}
    ...      for i, lvl in [("a", 1), ("b", 2), ("c", 3)]],
    ...     [("a", "b", "promotion"), ("b", "c", "promotion")])
    >>> option_heading(1, career_paths(G, "a", "c")[0])
    'Option 1: 2 steps'
    """
    steps = len(path.steps)
    years = path.known_years
    timing = f", about {years:g} years" if years is not None else ""
    return f"Option {number}: {steps} step{'s' * (steps != 1)}{timing}"


def _move_relation(G: nx.MultiDiGraph, source: str, target: str) -> tuple[str, dict]:
    """The relation a move from ``source`` to ``target`` takes: the first
    career move in the registry's order listed from ``source``, or else a
    symmetric one listed from ``target`` (its note then says so)."""
    stated = G.succ[source].get(target, {})
    for edge_type in MOVE_TYPES:
        if edge_type in stated:
            return edge_type, stated[edge_type]
    listed_back = G.succ[target][source]
    edge_type = next(t for t in SYMMETRIC_TYPES if t in listed_back)
    edge = dict(listed_back[edge_type])
    kind = RELATION_TYPES[edge_type].short_label
    edge["note"] = edge.get("note") or (
        f"{role_title(G, target)} lists {role_title(G, source)} as a {kind}"
        + (f" (rank {edge['rank']})" if edge.get("rank") is not None else "")
    )
    return edge_type, edge


def _step(G: nx.MultiDiGraph, source: str, target: str) -> Step:
    edge_type, edge = _move_relation(G, source, target)
    data_s, data_t = G.nodes[source], G.nodes[target]
    _, to_gain, _ = skill_gap(G, source, target)
    families = (data_s["family"], data_t["family"])
    return Step(
        source=source,
        target=target,
        type=edge_type,
        typical_years=edge.get("typical_years"),
        level_change=data_t["level"] - data_s["level"],
        family_change=families if families[0] != families[1] else None,
        skills_to_gain=tuple(to_gain),
        scope=data_t.get("scope", ""),
        decision_authority=data_t.get("decision_authority", ""),
        note=edge.get("note", ""),
        rank=edge.get("rank"),
    )


def _rising_only(
    G: nx.MultiDiGraph, source: str, target: str, allow_step_down: bool
) -> bool:
    """Whether a path may only use moves that do not step down a level:
    unless steps down are allowed, towards a target at the starting level or
    above (no dip down and up again, no overshoot and back)."""
    levels = role_levels(G)
    return not allow_step_down and levels[target] >= levels[source]


def _allowed_moves(G: nx.MultiDiGraph, rising_only: bool) -> nx.DiGraph:
    """The moves a path may use (see :func:`_rising_only`), as a view."""
    moves = moves_graph(G)
    if not rising_only:
        return moves
    levels = role_levels(G)
    return nx.subgraph_view(moves, filter_edge=lambda u, v: levels[v] >= levels[u])


def career_paths(
    G: nx.MultiDiGraph,
    source: str,
    target: str,
    k: int = 3,
    *,
    allow_step_down: bool = False,
    max_moves: int = MAX_PATH_MOVES,
) -> list[CareerPath]:
    """Up to ``k`` paths from ``source`` to ``target`` over career moves,
    cheapest first (a step costs 1, more for a distant ranked relation), then
    fewest steps, then shortest known total time.

    Unless ``allow_step_down``: towards a target at the starting level or
    above, no step goes down a level. An empty list means there is no path
    of at most ``max_moves`` moves (:func:`fewest_moves` tells whether a
    longer one exists).

    Examples
    --------
    >>> from graph.building import make_graph
    >>> G = make_graph(
    ...     [{"id": i, "title": i, "family": "F", "level": lvl}
    ...      for i, lvl in [("a", 1), ("b", 2), ("c", 2), ("d", 3)]],
    ...     [("a", "b", "promotion"), ("b", "d", "promotion"),
    ...      ("a", "c", "promotion"), ("c", "d", "promotion"), ("a", "d", "promotion")])
    >>> [p.roles for p in career_paths(G, "a", "d")]
    [('a', 'd'), ('a', 'b', 'd'), ('a', 'c', 'd')]
    >>> career_paths(G, "d", "a")
    []
    """
    check_role(G, source)
    check_role(G, target)
    if source == target:
        return []
    if not 1 <= max_moves <= MAX_MOVES_LIMIT:
        raise ValueError(f"max_moves must be from 1 to {MAX_MOVES_LIMIT}")
    rising_only = _rising_only(G, source, target, allow_step_down)
    candidates = _paths_by_length(
        G, rising_only, source, target, k + _RANKING_POOL, max_moves
    )
    paths = [
        CareerPath(
            tuple(p), tuple(_step(G, s, t) for s, t in zip(p, p[1:], strict=False))
        )
        for p in candidates
    ]
    paths.sort(
        key=lambda p: (
            round(p.cost, 9),
            len(p.steps),
            p.known_years is None,
            p.known_years or 0.0,
        )
    )
    return paths[:k]


def fewest_moves(
    G: nx.MultiDiGraph, source: str, target: str, *, allow_step_down: bool = False
) -> int | None:
    """The fewest moves from ``source`` to ``target`` under the rules of
    :func:`career_paths` but with no move limit; ``None`` when there is no way.

    Tells "no path within the limit" from "no path at all".

    Examples
    --------
    >>> from graph.building import make_graph
    >>> G = make_graph(
    ...     [{"id": f"r{i}", "title": f"r{i}", "family": "F", "level": i + 1}
    ...      for i in range(20)],
    ...     [(f"r{i}", f"r{i + 1}", "promotion") for i in range(19)])
    >>> career_paths(G, "r0", "r19"), fewest_moves(G, "r0", "r19")
    ([], 19)
    >>> fewest_moves(G, "r19", "r0") is None
    True
    """
    check_role(G, source)
    check_role(G, target)
    moves = _allowed_moves(G, _rising_only(G, source, target, allow_step_down))
    try:
        return nx.shortest_path_length(moves, source, target)
    except nx.NetworkXNoPath:
        return None


def _paths_by_length(
    G: nx.MultiDiGraph,
    rising_only: bool,
    source: str,
    target: str,
    limit: int,
    max_moves: int,
) -> list[list[str]]:
    """Up to ``limit`` simple paths, shortest first.

    Distances to the target (searched only inside the ball the source can
    reach) prune every branch that cannot arrive in time, so the work grows
    with the paths found, not with the size of the catalogue. The searches
    walk the move graph's own adjacency and check levels from a plain dict:
    through a filtered view, a ball over 100,000 roles took over a second.
    """
    moves = moves_graph(G)
    shortest = shortest_move_path(
        G, source, target, max_moves, moves=_allowed_moves(G, rising_only)
    )
    if shortest is None:
        return []
    levels = level_array(G) if rising_only else None
    horizon = len(shortest) - 1 + _MAX_DETOUR
    # Only roles on some path of at most `horizon` moves matter; each is
    # within half of it from one end. The ball from the source goes half way;
    # the search back from the target keeps a role when the ball shows it can
    # still be reached in time, or, not in the ball, when it is within half
    # way of the target. Two half balls, not a full one: on 100,000 roles a
    # full ball was most of the catalogue.
    # Both searches go over positions in the digraph's arrays
    # (graph.adjacency), a layer at a time: a dict per visited role cost two
    # thirds of a comparison's time on 100,000 roles.
    succ, pred = moves._succ, moves._pred
    position = succ.index.position
    start, end = position[source], position[target]
    from_source = _distances(succ, start, (horizon + 1) // 2, levels, True)
    to_target = _distances(pred, end, horizon, levels, False, (from_source, horizon))
    found: list[list[int]] = []
    path = [start]
    on_path = {start}

    def extend(remaining: int) -> None:
        here = path[-1]
        for other in succ.positions_after(here):
            if len(found) >= limit:
                return
            if levels is not None and levels[other] < levels[here]:
                continue
            if other == end:
                if remaining == 1:
                    found.append([*path, end])
                continue
            away = to_target[other]
            if other in on_path or away < 0 or away > remaining - 1:
                continue
            path.append(other)
            on_path.add(other)
            extend(remaining - 1)
            path.pop()
            on_path.discard(other)

    for length in range(len(shortest) - 1, horizon + 1):
        extend(length)
        if len(found) >= limit:
            break
    roles = succ.index.ids
    return [[roles[at] for at in positions] for positions in found]


def _distances(
    adjacency: Adjacency,
    start: int,
    cutoff: int,
    levels: np.ndarray | None,
    forward: bool,
    ellipse: tuple[np.ndarray, int] | None = None,
) -> np.ndarray:
    """Moves from the role at position ``start`` to each role at most
    ``cutoff`` away, by position; -1 for a role farther or out of reach
    (``forward`` over successors; else over predecessors, the moves *into*
    each role). With ``levels`` (by position), no move steps down a level.

    With ``ellipse = (ball, total)``, only roles that can lie on a path of at
    most ``total`` moves are kept: ``ball`` holds the exact distances from the
    other end up to half of ``total`` (-1 beyond); a role in it is kept when
    the two distances add up to at most ``total``, a role outside it when it
    is within half of ``total`` from ``start``.

    Examples
    --------
    >>> from graph.adjacency import adjacency_pair
    >>> from graph.roletable import RoleIndex
    >>> up, _ = adjacency_pair(RoleIndex(list("abc")), np.array([0, 1, 1]),
    ...                        np.array([1, 2, 0]), None)
    >>> _distances(up, 0, 5, None, True).tolist()
    [0, 1, 2]
    >>> _distances(up, 0, 5, np.array([1, 2, 1]), True).tolist()
    [0, 1, -1]
    """
    ball, total = ellipse if ellipse is not None else (None, cutoff)
    free_radius = total // 2 if ellipse is not None else cutoff
    distances = np.full(len(adjacency), -1, dtype=np.int16)
    distances[start] = 0
    layer = np.array([start])
    for distance in range(1, cutoff + 1):
        here, other = adjacency.edges_from(layer)
        keep = distances[other] < 0
        if levels is not None:
            rising = levels[other] >= levels[here]
            keep &= rising if forward else levels[other] <= levels[here]
        if ball is not None:
            other_way = ball[other]
            keep &= np.where(
                other_way < 0, distance <= free_radius, other_way + distance <= total
            )
        layer = np.unique(other[keep])
        if not len(layer):
            break
        distances[layer] = distance
    return distances


def nearest_reachable(
    G: nx.MultiDiGraph, source: str, target: str, n: int = 3
) -> list[str]:
    """Roles reachable from ``source`` that come closest to ``target``.

    Closest means the most alike in content: the share of skills in common
    plus the share of title words in common (each a Jaccard index, 0 to 1),
    with a bonus for the target's family; then the smallest level difference,
    then the fewest moves. For "no path exists" answers.

    Examples
    --------
    >>> from graph.building import make_graph
    >>> G = make_graph(
    ...     [{"id": i, "title": t, "family": f, "level": 1, "skills": s}
    ...      for i, t, f, s in [
    ...         ("a", "Clerk", "X", ["Filing"]),
    ...         ("b", "Sales Clerk", "X", ["Selling"]),
    ...         ("c", "Data Analyst", "Y", ["Statistics", "SQL"]),
    ...         ("z", "Senior Data Analyst", "X", ["Statistics", "SQL", "Lead"])]],
    ...     [("a", "b", "lateral"), ("b", "c", "lateral")])
    >>> nearest_reachable(G, "a", "z")  # the analyst, though in another family
    ['c', 'b']
    """
    check_role(G, target)
    goal = G.nodes[target]
    goal_skills, goal_words = _skill_set(goal), _title_words(goal)
    reachable = reachable_roles(G, source, k=len(G))
    reachable.pop(target, None)

    def closeness(role: str) -> tuple:
        data = G.nodes[role]
        likeness = (
            _jaccard(_skill_set(data), goal_skills)
            + _jaccard(_title_words(data), goal_words)
            + _SAME_FAMILY_BONUS * (data["family"] == goal["family"])
        )
        return (
            -round(likeness, 9),
            abs(data["level"] - goal["level"]),
            reachable[role],
            role_title(G, role),
        )

    return sorted(reachable, key=closeness)[:n]


#: Worth a quarter of an identical skill set: family breaks near-ties.
_SAME_FAMILY_BONUS = 0.25
#: Title words that say nothing about the work.
_FILLER_WORDS = frozenset({"and", "of", "the", "for", "in", "all", "other", "except"})


def _skill_set(data: dict) -> set[str]:
    return {skill_name(entry).casefold() for entry in data.get("skills") or ()}


def _title_words(data: dict) -> set[str]:
    words = re.findall(r"[a-z0-9]+", str(data.get("title", "")).casefold())
    return {word for word in words if word not in _FILLER_WORDS}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0
