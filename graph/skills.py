"""Skills of roles and people: a plain name, or a name with a level on the
skill scale (``Leadership:4``), and an optional vocabulary that says when two
names are one skill.

The scale runs from 1 to 5 (:data:`SKILL_SCALE`); a plain name means "listed,
no level", and a person's rating of 0 means "not yet".
"""

from __future__ import annotations

import networkx as nx

from graph.indexes import derived

__all__ = [
    "SKILL_SCALE",
    "MAX_SKILL_LEVEL",
    "SKILL_LEVEL_NAMES",
    "skill_name",
    "skill_level",
    "skill_label",
    "parse_skill",
    "canonical_skill",
    "required_skills",
    "skill_gap",
]

#: The skill scale: level -> what it means. Roles require, people are rated.
SKILL_SCALE = {
    1: "Basic: knows the idea, needs guidance",
    2: "Working: does routine work alone",
    3: "Skilled: handles the usual cases well",
    4: "Advanced: handles hard cases, guides others",
    5: "Expert: sets the standard, teaches it",
}
MAX_SKILL_LEVEL = max(SKILL_SCALE)
#: A level may be written by its name too (``Leadership:Advanced``), so data
#: can say what its source says in words.
SKILL_LEVEL_NAMES = {
    text.split(":")[0].casefold(): level for level, text in SKILL_SCALE.items()
}


def parse_skill(entry: str) -> tuple[str, float | None]:
    """An entry's skill name and level (``None``: a plain name).

    Examples
    --------
    >>> parse_skill("Active Listening:4"), parse_skill("Budgeting")
    (('Active Listening', 4.0), ('Budgeting', None))
    >>> parse_skill("Leadership: advanced")  # a level by its name
    ('Leadership', 4.0)
    >>> parse_skill("Ratio: a:b")  # no level after the colon: all name
    ('Ratio: a:b', None)
    """
    name, colon, level = entry.rpartition(":")
    if colon and name.strip():
        named = SKILL_LEVEL_NAMES.get(level.strip().casefold())
        if named is not None:
            return name.strip(), float(named)
        try:
            return name.strip(), float(level)
        except ValueError:
            pass
    return entry.strip(), None


def skill_name(entry: str) -> str:
    """The skill an entry names, without its level.

    Examples
    --------
    >>> skill_name("Active Listening:4.1"), skill_name("Budgeting"), skill_name("a:b")
    ('Active Listening', 'Budgeting', 'a:b')
    """
    return parse_skill(entry)[0]


def skill_level(entry: str) -> float | None:
    """The level an entry gives, or ``None`` for a plain name."""
    return parse_skill(entry)[1]


def skill_label(entry: str) -> str:
    """An entry as people read it: the skill, and its level in words where
    the scale names it.

    Examples
    --------
    >>> skill_label("Leadership:Advanced"), skill_label("Writing:4")
    ('Leadership: advanced (4 of 5)', 'Writing: advanced (4 of 5)')
    >>> skill_label("Listening:3.6"), skill_label("Budgeting")
    ('Listening: 3.6 of 5', 'Budgeting')
    """
    name, level = parse_skill(entry)
    if level is None:
        return name
    named = SKILL_SCALE.get(int(level)) if level == int(level) else None
    if named is None:
        return f"{name}: {level:g} of {MAX_SKILL_LEVEL}"
    word = named.split(":")[0].lower()
    return f"{name}: {word} ({level:g} of {MAX_SKILL_LEVEL})"


def canonical_skill(G: nx.Graph, name: str) -> str:
    """The name the catalogue's skill vocabulary (``skills.csv``) gives
    ``name`` or one of its synonyms; else ``name`` itself.

    Examples
    --------
    >>> G = nx.Graph(skill_vocabulary={"team leadership": "Leadership"})
    >>> canonical_skill(G, "Team Leadership"), canonical_skill(G, "Excel")
    ('Leadership', 'Excel')
    """
    vocabulary = G.graph.get("skill_vocabulary") or {}
    return vocabulary.get(name.strip().casefold(), name.strip())


def required_skills(G: nx.Graph, role: str) -> dict[str, tuple[str, float | None]]:
    """A role's skills by key (the canonical name, case-folded): the name to
    show and the required level (``None``: listed, no level).

    Two entries that name one skill keep the higher level.

    Examples
    --------
    >>> G = nx.Graph(skill_vocabulary={"team leadership": "Leadership"})
    >>> G.add_node("a", skills=["Team leadership:3", "Leadership:4", "Excel"])
    >>> required_skills(G, "a")
    {'leadership': ('Leadership', 4.0), 'excel': ('Excel', None)}
    """
    # Parsed once per role and graph: readiness asks for the same roles often.
    memo = derived(G, "required_skills", lambda G: {})
    if role not in memo:
        memo[role] = _parse_required(G, role)
    return memo[role]


def _parse_required(G: nx.Graph, role: str) -> dict[str, tuple[str, float | None]]:
    skills: dict[str, tuple[str, float | None]] = {}
    for entry in G.nodes[role].get("skills") or ():
        name, level = parse_skill(entry)
        name = canonical_skill(G, name)
        key = name.casefold()
        if key in skills and level is not None:
            known = skills[key][1]
            level = max(level, known) if known is not None else level
        if key not in skills or level is not None:
            skills[key] = (name, level)
    return skills


def skill_gap(G: nx.Graph, a: str, b: str) -> tuple[list[str], list[str], list[str]]:
    """Skills only in ``a``, only in ``b``, and shared, by name (case, level
    and the vocabulary's synonyms aside).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", skills=["Excel", "Planning:3"])
    >>> G.add_node("b", skills=["planning:4", "Leadership"])
    >>> skill_gap(G, "a", "b")
    (['Excel'], ['Leadership'], ['Planning'])
    """
    skills_a, skills_b = required_skills(G, a), required_skills(G, b)
    return (
        [name for key, (name, _) in skills_a.items() if key not in skills_b],
        [name for key, (name, _) in skills_b.items() if key not in skills_a],
        [name for key, (name, _) in skills_a.items() if key in skills_b],
    )
