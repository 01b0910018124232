"""Questions about one role: where it leads, who it reports to, who feeds it."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from graph.errors import RoleNotFound
from graph.indexes import moves_graph, reporting_graph
from graph.schema import MOVE_TYPES, RELATION_TYPES

__all__ = [
    "Move",
    "check_role",
    "role_title",
    "level_label",
    "next_moves",
    "previous_roles",
    "reporting_chain",
    "managers",
    "direct_reports",
    "all_reports",
    "org_team",
    "feeders",
    "reachable_roles",
    "shortest_move_path",
    "MAX_PATH_MOVES",
]

#: Longer chains of moves than this are not treated as a career path.
MAX_PATH_MOVES = 12


@dataclass(frozen=True)
class Move:
    """One relation seen from a role: the other role, the type and what we know."""

    role: str
    title: str
    type: str
    typical_years: float | None = None
    note: str = ""
    #: How close the relation is (1 = closest), where the data ranks it.
    rank: int | None = None
    #: The band its rank falls in, where the data names one.
    tier: str = ""


def check_role(G: nx.Graph, role_id: str) -> None:
    """Raise :class:`RoleNotFound` unless ``role_id`` is a role of ``G``.

    Examples
    --------
    >>> check_role(nx.Graph([("a", "b")]), "c")
    Traceback (most recent call last):
    ...
    graph.errors.RoleNotFound: No role with id 'c'.
    """
    if role_id not in G:
        raise RoleNotFound(f"No role with id {role_id!r}.")


def role_title(G: nx.Graph, role_id: str) -> str:
    """The title of a role, or its id when it has none."""
    return G.nodes[role_id].get("title", role_id)


def level_label(G: nx.Graph, level: int) -> str:
    """A level as people read it: its name too, where the catalogue names it.

    Examples
    --------
    >>> G = nx.Graph(levels={4: {"name": "Considerable preparation"}})
    >>> level_label(G, 4), level_label(G, 2)
    ('level 4 (Considerable preparation)', 'level 2')
    """
    named = G.graph.get("levels", {}).get(level)
    return f"level {level} ({named['name']})" if named else f"level {level}"


def _move(G: nx.Graph, other: str, data: dict) -> Move:
    return Move(
        role=other,
        title=role_title(G, other),
        type=data["type"],
        typical_years=data.get("typical_years"),
        note=data.get("note", ""),
        rank=data.get("rank"),
        tier=data.get("tier") or "",
    )


#: Moves are listed in the registry's order of relation types.
_TYPE_ORDER = {name: position for position, name in enumerate(RELATION_TYPES)}


def _sort_moves(G: nx.Graph, moves: list[Move]) -> list[Move]:
    return sorted(
        moves,
        # closest first where the data ranks relations, then the most senior
        key=lambda m: (
            _TYPE_ORDER[m.type],
            m.rank or 0,
            -G.nodes[m.role]["level"],
            m.title,
        ),
    )


def _moves_of(
    G: nx.MultiDiGraph, role_id: str, types: tuple[str, ...], *, outgoing: bool
) -> list[Move]:
    check_role(G, role_id)
    edges = G.out_edges if outgoing else G.in_edges
    moves = [
        _move(G, target if outgoing else source, data)
        for source, target, data in edges(role_id, data=True)
        if data["type"] in types
    ]
    return _sort_moves(G, moves)


def next_moves(
    G: nx.MultiDiGraph, role_id: str, types: tuple[str, ...] = MOVE_TYPES
) -> list[Move]:
    """Moves out of a role: by relation type (promotions, lateral moves,
    related occupations), ranked relations closest first.

    Examples
    --------
    >>> from graph.building import make_graph
    >>> G = make_graph(
    ...     [{"id": i, "title": i.upper(), "family": "F", "level": lvl}
    ...      for i, lvl in [("a", 1), ("b", 2), ("c", 2)]],
    ...     [("a", "b", "promotion"), ("a", "c", "lateral"), ("a", "b", "reports_to")])
    >>> [(m.role, m.type) for m in next_moves(G, "a")]
    [('b', 'promotion'), ('c', 'lateral')]
    """
    return _moves_of(G, role_id, types, outgoing=True)


def previous_roles(
    G: nx.MultiDiGraph, role_id: str, types: tuple[str, ...] = MOVE_TYPES
) -> list[Move]:
    """Roles whose moves lead into ``role_id`` (the feeders one step back).

    Examples
    --------
    >>> from graph.building import make_graph
    >>> G = make_graph(
    ...     [{"id": i, "title": i, "family": "F", "level": 1} for i in "abc"],
    ...     [("a", "c", "lateral"), ("b", "c", "lateral")])
    >>> [m.role for m in previous_roles(G, "c")]
    ['a', 'b']
    """
    return _moves_of(G, role_id, types, outgoing=False)


def managers(G: nx.MultiDiGraph, role_id: str) -> list[str]:
    """Roles that ``role_id`` reports to, nearest level first."""
    check_role(G, role_id)
    bosses = reporting_graph(G).succ[role_id]
    return sorted(bosses, key=lambda b: (G.nodes[b]["level"], b))


def reporting_chain(G: nx.MultiDiGraph, role_id: str) -> list[str]:
    """The chain of command from a role up to the top, the role first.

    Where a role reports to several roles, the chain follows the one at the
    lowest level (the nearest manager); ``managers`` lists all of them.

    Examples
    --------
    >>> from graph.building import make_graph
    >>> G = make_graph(
    ...     [{"id": i, "title": i, "family": "F", "level": lvl}
    ...      for i, lvl in [("clerk", 1), ("boss", 2), ("ceo", 3)]],
    ...     [("clerk", "boss", "reports_to"), ("boss", "ceo", "reports_to"),
    ...      ("clerk", "ceo", "reports_to")])
    >>> reporting_chain(G, "clerk")
    ['clerk', 'boss', 'ceo']
    """
    chain = [role_id]
    seen = {role_id}
    while bosses := [b for b in managers(G, chain[-1]) if b not in seen]:
        chain.append(bosses[0])
        seen.add(bosses[0])
    return chain


def direct_reports(G: nx.MultiDiGraph, role_id: str) -> list[str]:
    """Roles that report straight to ``role_id``, most senior first."""
    check_role(G, role_id)
    reports = reporting_graph(G).pred[role_id]
    return sorted(reports, key=lambda r: (-G.nodes[r]["level"], role_title(G, r)))


def all_reports(
    G: nx.MultiDiGraph, role_id: str, depth: int | None = None
) -> dict[str, int]:
    """Everyone below ``role_id`` in the reporting lines, with their depth,
    down to ``depth`` levels (all of them when ``None``).

    Examples
    --------
    >>> from graph.building import make_graph
    >>> G = make_graph(
    ...     [{"id": i, "title": i, "family": "F", "level": lvl}
    ...      for i, lvl in [("clerk", 1), ("boss", 2), ("ceo", 3)]],
    ...     [("clerk", "boss", "reports_to"), ("boss", "ceo", "reports_to")])
    >>> all_reports(G, "ceo"), all_reports(G, "ceo", depth=1)
    ({'boss': 1, 'clerk': 2}, {'boss': 1})
    """
    return _depths(reporting_graph(G).reverse(copy=False), role_id, depth)


def org_team(
    G: nx.MultiDiGraph, role_id: str, depth: int, expanded: Iterable[str] = ()
) -> tuple[dict[str, int], dict[str, int]]:
    """The team an org chart shows below ``role_id``: everyone down to
    ``depth`` levels, and below that the direct reports of each role in
    ``expanded`` (a branch opened by hand, one level per mention).

    Returns the team with each member's depth, and for each role shown whose
    direct reports are not all shown, how many are hidden.

    Examples
    --------
    >>> from graph.building import make_graph
    >>> G = make_graph(
    ...     [{"id": i, "title": i, "family": "F", "level": lvl}
    ...      for i, lvl in [("clerk", 1), ("aide", 1), ("boss", 2), ("ceo", 3)]],
    ...     [("clerk", "boss", "reports_to"), ("aide", "boss", "reports_to"),
    ...      ("boss", "ceo", "reports_to")])
    >>> org_team(G, "ceo", depth=1)
    ({'boss': 1}, {'boss': 2})
    >>> org_team(G, "ceo", depth=1, expanded=["boss"])
    ({'boss': 1, 'aide': 2, 'clerk': 2}, {})
    """
    check_role(G, role_id)
    if depth < 0:
        raise ValueError(f"depth must be 0 or more, not {depth}")
    opened = Counter(expanded)
    below = reporting_graph(G).pred
    team: dict[str, int] = {}
    cut: list[str] = []
    # breadth first, so a role under two managers gets its shallowest depth;
    # each entry: a role, its depth, and how many levels stay open below it
    # (the chart's own, or as many as the role was opened)
    queue = deque([(role_id, 0, depth)])
    while queue:
        role, at, room = queue.popleft()
        room = max(room, opened[role])
        if not room:
            cut.append(role)
            continue
        for report in sorted(below[role], key=lambda r: role_title(G, r)):
            if report != role_id and report not in team:
                team[report] = at + 1
                queue.append((report, at + 1, room - 1))
    # counted once the team is known: a report shown through another manager
    # is not hidden
    hidden = {
        role: count
        for role in cut
        if (count := sum(r not in team and r != role_id for r in below[role]))
    }
    return team, hidden


def feeders(G: nx.MultiDiGraph, target: str, k: int = 2) -> dict[str, int]:
    """Roles from which ``target`` can be reached in at most ``k`` moves.

    Examples
    --------
    >>> from graph.building import make_graph
    >>> G = make_graph(
    ...     [{"id": i, "title": i, "family": "F", "level": lvl}
    ...      for i, lvl in [("a", 1), ("b", 2), ("c", 3)]],
    ...     [("a", "b", "promotion"), ("b", "c", "promotion")])
    >>> feeders(G, "c"), feeders(G, "c", k=1)
    ({'b': 1, 'a': 2}, {'b': 1})
    """
    return _depths(moves_graph(G).reverse(copy=False), target, k)


def reachable_roles(G: nx.MultiDiGraph, source: str, k: int = 3) -> dict[str, int]:
    """Roles reachable from ``source`` in at most ``k`` moves, with distance."""
    return _depths(moves_graph(G), source, k)


def _depths(relations: nx.DiGraph, start: str, cutoff: int | None) -> dict[str, int]:
    """Distances from ``start`` (left out) up to ``cutoff`` edges away."""
    check_role(relations, start)
    depths = nx.single_source_shortest_path_length(relations, start, cutoff=cutoff)
    del depths[start]
    return depths


def shortest_move_path(
    G: nx.MultiDiGraph,
    source: str,
    target: str,
    max_moves: int = MAX_PATH_MOVES,
    *,
    moves: nx.DiGraph | None = None,
) -> list[str] | None:
    """The fewest promotion and lateral moves from ``source`` to ``target``.

    A breadth-first search from both ends, always growing the smaller side,
    that gives up after ``max_moves``: an unrelated pair costs two small
    searches, not a sweep of the whole catalogue. ``moves`` restricts the
    search to a part of the move graph (a view of :func:`moves_graph`).

    Examples
    --------
    >>> from graph.building import make_graph
    >>> G = make_graph(
    ...     [{"id": i, "title": i, "family": "F", "level": lvl}
    ...      for i, lvl in [("a", 1), ("b", 2), ("c", 3)]],
    ...     [("a", "b", "promotion"), ("b", "c", "promotion")])
    >>> shortest_move_path(G, "a", "c"), shortest_move_path(G, "c", "a")
    (['a', 'b', 'c'], None)
    >>> shortest_move_path(G, "a", "c", max_moves=1) is None
    True
    """
    check_role(G, source)
    check_role(G, target)
    moves = moves_graph(G) if moves is None else moves
    if source == target:
        return [source]
    forward: dict[str, str | None] = {source: None}
    backward: dict[str, str | None] = {target: None}
    forward_edge, backward_edge = [source], [target]
    for _ in range(max_moves):
        if not forward_edge or not backward_edge:
            return None
        grow_forward = len(forward_edge) <= len(backward_edge)
        edge = forward_edge if grow_forward else backward_edge
        parents, others = (forward, backward) if grow_forward else (backward, forward)
        adjacency = moves.succ if grow_forward else moves.pred
        new_edge = []
        for node in edge:
            for other in adjacency[node]:
                if other in parents:
                    continue
                parents[other] = node
                if other in others:
                    return _join(forward, backward, other)
                new_edge.append(other)
        if grow_forward:
            forward_edge = new_edge
        else:
            backward_edge = new_edge
    return None


def _join(forward: dict, backward: dict, meeting: str) -> list[str]:
    path = []
    node = meeting
    while node is not None:
        path.append(node)
        node = forward[node]
    path.reverse()
    node = backward[meeting]
    while node is not None:
        path.append(node)
        node = backward[node]
    return path
