"""Skills of roles: a plain name, or a name with a level (``Leadership:4``)."""

from __future__ import annotations

import networkx as nx

__all__ = ["skill_name", "skill_gap"]


def skill_name(entry: str) -> str:
    """The skill an entry names, without its level.

    Examples
    --------
    >>> skill_name("Active Listening:4.1"), skill_name("Budgeting"), skill_name("a:b")
    ('Active Listening', 'Budgeting', 'a:b')
    """
    name, colon, level = entry.rpartition(":")
    if colon and name.strip():
        try:
            float(level)
        except ValueError:
            return entry
        return name.strip()
    return entry


def skill_gap(G: nx.Graph, a: str, b: str) -> tuple[list[str], list[str], list[str]]:
    """Skills only in ``a``, only in ``b``, and shared, by name (case and level
    aside), named as each role lists them without their level.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", skills=["Excel", "Planning:3"])
    >>> G.add_node("b", skills=["planning:4", "Leadership"])
    >>> skill_gap(G, "a", "b")
    (['Excel'], ['Leadership'], ['Planning'])
    """
    names_a = {
        skill_name(s).casefold(): skill_name(s) for s in G.nodes[a].get("skills", [])
    }
    names_b = {
        skill_name(s).casefold(): skill_name(s) for s in G.nodes[b].get("skills", [])
    }
    return (
        [s for k, s in names_a.items() if k not in names_b],
        [s for k, s in names_b.items() if k not in names_a],
        [s for k, s in names_a.items() if k in names_b],
    )
