"""People on the graph: how ready a person is for a role, which roles suit
them, which path closes their gaps, and who could succeed into a role.

A person is rated on the skill scale (0 = not yet, 1-5 as in
:data:`graph.skills.SKILL_SCALE`). A role requires each of its skills at its
listed level, or at level 1 when it lists the name alone.

Readiness for a role is the share of the required levels the person has::

    readiness = 100 * sum(min(current, required)) / sum(required)

over the role's skills (synonyms are one skill). A rating above the required
level does not make up for another skill's gap. A role that lists no skills
has no readiness (``None``): nothing to measure against.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

from graph.indexes import moves_graph
from graph.paths import CareerPath, career_paths
from graph.queries import check_role, reachable_roles, role_title
from graph.skills import MAX_SKILL_LEVEL, canonical_skill, required_skills

__all__ = [
    "Person",
    "Gap",
    "Readiness",
    "Suggestion",
    "PersonPath",
    "Successor",
    "READY_NOW",
    "BANDS",
    "readiness",
    "suggest_roles",
    "paths_for_person",
    "successors",
    "bench_strength",
    "skill_overlap",
]

#: Readiness (percent) from which a person is "ready now" for a role.
READY_NOW = 80
#: Succession bands, best first.
BANDS = ("ready now", "ready after one move", "later")


@dataclass(frozen=True)
class Person:
    """A person being planned for: a display name and nothing more personal.

    ``ratings`` maps skill names to levels (0-5); ``targets`` are role ids.
    """

    name: str
    role: str
    ratings: Mapping[str, int] = field(default_factory=dict)
    targets: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class Gap:
    """One required skill the person is below: required and current level."""

    skill: str
    required: int
    current: int

    def __str__(self) -> str:
        return f"{self.skill} {self.current} → {self.required}"


@dataclass(frozen=True)
class Readiness:
    """How ready a person is for a role, and why."""

    role: str
    percent: int | None
    met: int
    total: int
    gaps: tuple[Gap, ...]

    @property
    def explanation(self) -> str:
        """The figure in words, e.g. "meets 4 of 6 skills; Budgeting 2 → 3"."""
        if self.percent is None:
            return "the role lists no skills, so readiness cannot be judged"
        text = f"meets {self.met} of {self.total} skill{'s' * (self.total != 1)}"
        if self.gaps:
            text += "; " + ", ".join(str(gap) for gap in self.gaps)
        return text


def _rating(G: nx.Graph, person: Person) -> dict[str, int]:
    """The person's ratings by skill key (canonical name, case-folded)."""
    ratings: dict[str, int] = {}
    for name, level in person.ratings.items():
        key = canonical_skill(G, name).casefold()
        ratings[key] = max(ratings.get(key, 0), int(level))
    return ratings


def _readiness(G: nx.Graph, ratings: Mapping[str, int], role: str) -> Readiness:
    needed = required_skills(G, role)
    have = want = met = 0
    gaps = []
    for key, (name, level) in needed.items():
        required = round(level) if level is not None else 1
        current = min(ratings.get(key, 0), MAX_SKILL_LEVEL)
        have += min(current, required)
        want += required
        if current >= required:
            met += 1
        else:
            gaps.append(Gap(name, required, current))
    gaps.sort(key=lambda g: (g.current - g.required, g.skill))
    percent = round(100 * have / want) if want else None
    return Readiness(role, percent, met, len(needed), tuple(gaps))


def readiness(G: nx.Graph, person: Person, role: str) -> Readiness:
    """How ready ``person`` is for ``role``: a percentage (see the module's
    formula), how many skills they meet, and each gap, largest first.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("lead", title="Lead", skills=["Leadership:4", "Budgeting:3",
    ...                                          "Excel"])
    >>> ready = readiness(G, Person("Sam", "clerk", {"budgeting": 2, "Excel": 3,
    ...                                              "Leadership": 4}), "lead")
    >>> ready.percent, ready.explanation
    (88, 'meets 2 of 3 skills; Budgeting 2 → 3')
    """
    check_role(G, role)
    return _readiness(G, _rating(G, person), role)


@dataclass(frozen=True)
class Suggestion:
    """A role a person could move to: how ready they are and how far it is."""

    role: str
    readiness: Readiness
    moves: int


def suggest_roles(
    G: nx.MultiDiGraph,
    person: Person,
    *,
    k: int = 3,
    families: Iterable[str] | None = None,
    levels: tuple[int, int] | None = None,
    n: int = 10,
) -> list[Suggestion]:
    """The roles within ``k`` moves of the person's role that they are most
    ready for, optionally only in ``families`` and between ``levels``: by
    readiness, then fewest moves, then title. Roles without skills are left
    out (no readiness to rank by).

    Examples
    --------
    >>> from graph.building import make_graph
    >>> G = make_graph(
    ...     [{"id": i, "title": i.title(), "family": "F", "level": lvl,
    ...       "skills": s} for i, lvl, s in [("clerk", 1, "Excel:2"),
    ...        ("lead", 2, "Excel:2;Leading:3"), ("boss", 3, "Leading:4")]],
    ...     [("clerk", "lead", "promotion"), ("lead", "boss", "promotion")])
    >>> sam = Person("Sam", "clerk", {"Excel": 3, "Leading": 2})
    >>> [(s.role, s.readiness.percent, s.moves) for s in suggest_roles(G, sam)]
    [('lead', 80, 1), ('boss', 50, 2)]
    """
    check_role(G, person.role)
    ratings = _rating(G, person)
    wanted = set(families) if families else None
    suggestions = []
    for role, moves in reachable_roles(G, person.role, k=k).items():
        data = G.nodes[role]
        if wanted is not None and data["family"] not in wanted:
            continue
        if levels is not None and not levels[0] <= data["level"] <= levels[1]:
            continue
        ready = _readiness(G, ratings, role)
        if ready.percent is not None:
            suggestions.append(Suggestion(role, ready, moves))
    suggestions.sort(
        key=lambda s: (-s.readiness.percent, s.moves, role_title(G, s.role))
    )
    return suggestions[:n]


@dataclass(frozen=True)
class PersonPath:
    """A career path seen from a person: the gaps each step closes (working
    in a role builds the skills it requires), and the target's gaps no step
    on the way closes."""

    path: CareerPath
    closes: tuple[tuple[Gap, ...], ...]
    remaining: tuple[Gap, ...]

    @property
    def remaining_levels(self) -> int:
        return sum(g.required - g.current for g in self.remaining)


def paths_for_person(
    G: nx.MultiDiGraph,
    person: Person,
    target: str,
    k: int = 3,
    *,
    allow_step_down: bool = False,
) -> list[PersonPath]:
    """Paths from the person's role to ``target``, ranked by the gap still to
    close on arrival (roles on the way build their skills), then by known
    time, then as :func:`graph.career_paths` ranks them.

    Examples
    --------
    >>> from graph.building import make_graph
    >>> G = make_graph(
    ...     [{"id": i, "title": i, "family": "F", "level": lvl, "skills": s}
    ...      for i, lvl, s in [("a", 1, ""), ("b", 2, "Sales:3"),
    ...                        ("c", 2, "Filing:2"), ("d", 3, "Sales:3")]],
    ...     [("a", "b", "promotion"), ("a", "c", "promotion"),
    ...      ("b", "d", "promotion"), ("c", "d", "promotion")])
    >>> best = paths_for_person(G, Person("Sam", "a"), "d")[0]
    >>> best.path.roles, [str(g) for g in best.closes[0]], best.remaining
    (('a', 'b', 'd'), ['Sales 0 → 3'], ())
    """
    ratings = _rating(G, person)
    ranked = []
    for path in career_paths(
        G, person.role, target, k=k * 3, allow_step_down=allow_step_down
    ):
        built = dict(ratings)
        closes = []
        for role in path.roles[1:]:
            closes.append(_readiness(G, built, role).gaps)
            built = _after_working_in(G, built, role)
        # what the last step had to close is what is left on arrival
        ranked.append(PersonPath(path, tuple(closes[:-1]) + ((),), closes[-1]))
    ranked.sort(
        key=lambda p: (
            p.remaining_levels,
            p.path.known_years is None,
            p.path.known_years or 0.0,
            round(p.path.cost, 9),
        )
    )
    return ranked[:k]


@dataclass(frozen=True)
class Successor:
    """A person who could step into a role, and when."""

    person: Person
    readiness: Readiness
    band: str


def successors(
    G: nx.MultiDiGraph, people: Iterable[Person], role: str
) -> list[Successor]:
    """People ranked for ``role``: "ready now" from :data:`READY_NOW` percent;
    "ready after one move" when one move from their role leads to a role from
    which ``role`` is one move away and working there would bring them to
    :data:`READY_NOW`; else "later". People whose role is not in ``G``, and
    those already in ``role``, are left out.

    Examples
    --------
    >>> from graph.building import make_graph
    >>> G = make_graph(
    ...     [{"id": i, "title": i, "family": "F", "level": lvl, "skills": s}
    ...      for i, lvl, s in [("a", 1, ""), ("b", 2, "Sales:3"),
    ...                        ("d", 3, "Sales:3;Lead:1")]],
    ...     [("a", "b", "promotion"), ("b", "d", "promotion")])
    >>> people = [Person("Ann", "b", {"Sales": 3, "Lead": 1}),
    ...           Person("Bo", "a", {"Lead": 1}), Person("Cy", "a")]
    >>> ranked = successors(G, people, "d")
    >>> [(s.person.name, s.readiness.percent, s.band) for s in ranked]
    [('Ann', 100, 'ready now'), ('Bo', 25, 'ready after one move'), ('Cy', 0, 'later')]
    """
    check_role(G, role)
    rated = [(p, _rating(G, p)) for p in people if p.role in G]
    return _ranked_successors(G, rated, role)


def _ranked_successors(
    G: nx.MultiDiGraph, rated: list[tuple[Person, dict[str, int]]], role: str
) -> list[Successor]:
    """:func:`successors` for people whose ratings are already keyed."""
    moves = moves_graph(G)
    # the roles from which ``role`` is one move away, as a set: the test
    # below runs once per person and their every move
    one_before = set(moves.pred[role])
    found = []
    for person, ratings in rated:
        if person.role == role:
            continue
        ready = _readiness(G, ratings, role)
        if ready.percent is None:
            continue
        if ready.percent >= READY_NOW:
            band = BANDS[0]
        elif any(
            (_readiness(G, _after_working_in(G, ratings, step), role).percent or 0)
            >= READY_NOW
            for step in moves.succ[person.role]
            if step in one_before
        ):
            band = BANDS[1]
        else:
            band = BANDS[2]
        found.append(Successor(person, ready, band))
    found.sort(key=lambda s: (BANDS.index(s.band), -s.readiness.percent, s.person.name))
    return found


def _after_working_in(
    G: nx.Graph, ratings: Mapping[str, int], role: str
) -> dict[str, int]:
    """The ratings once a spell in ``role`` has built the skills it requires
    up to their required levels."""
    built = dict(ratings)
    for gap in _readiness(G, ratings, role).gaps:
        built[canonical_skill(G, gap.skill).casefold()] = gap.required
    return built


def bench_strength(
    G: nx.MultiDiGraph, people: Iterable[Person], roles: Iterable[str] | None = None
) -> list[dict]:
    """For each role (default: every role), how many people are ready now
    and after one move: the succession risk across the catalogue.

    Examples
    --------
    >>> from graph.building import make_graph
    >>> G = make_graph(
    ...     [{"id": i, "title": i, "family": "F", "level": 1, "skills": "X:2"}
    ...      for i in "ab"], [("a", "b", "lateral")])
    >>> bench_strength(G, [Person("Ann", "a", {"X": 2})])
    [{'role': 'a', 'ready now': 0, 'ready after one move': 0, 'later': 0}, \
{'role': 'b', 'ready now': 1, 'ready after one move': 0, 'later': 0}]
    """
    rated = [(p, _rating(G, p)) for p in people if p.role in G]
    rows = []
    for role in G if roles is None else roles:
        counts = dict.fromkeys(BANDS, 0)
        for successor in _ranked_successors(G, rated, role):
            counts[successor.band] += 1
        rows.append({"role": role, **counts})
    return rows


def skill_overlap(G: nx.Graph, a: str, b: str) -> dict:
    """The skills two roles share, and those only one of them lists (synonyms
    are one skill), with the levels each requires, and the overlap as a
    percentage of all the skills either lists.

    Examples
    --------
    >>> G = nx.Graph(skill_vocabulary={"team leadership": "Leadership"})
    >>> G.add_node("a", skills=["Team leadership:3", "Excel"])
    >>> G.add_node("b", skills=["Leadership:4", "Budgeting:2"])
    >>> overlap = skill_overlap(G, "a", "b")
    >>> overlap["shared"], overlap["only_a"], overlap["only_b"], overlap["percent"]
    ([('Leadership', 3, 4)], ['Excel'], ['Budgeting'], 33)
    """
    skills_a, skills_b = required_skills(G, a), required_skills(G, b)

    def level(value: float | None) -> int | None:
        return round(value) if value is not None else None

    shared = [
        (name, level(need), level(skills_b[key][1]))
        for key, (name, need) in skills_a.items()
        if key in skills_b
    ]
    union = len(skills_a.keys() | skills_b.keys())
    return {
        "shared": shared,
        "only_a": [name for key, (name, _) in skills_a.items() if key not in skills_b],
        "only_b": [name for key, (name, _) in skills_b.items() if key not in skills_a],
        "percent": round(100 * len(shared) / union) if union else 0,
    }
