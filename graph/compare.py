"""Comparing two roles: side by side per dimension, and what differs."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import networkx as nx

from graph.paths import career_paths
from graph.queries import (
    check_role,
    level_label,
    managers,
    reporting_chain,
    role_title,
)
from graph.schema import DIMENSIONS, ROLE_COLUMNS
from graph.skills import skill_gap

__all__ = ["DimensionRow", "Comparison", "compare_roles"]

#: Rows of a comparison, in order: column -> label.
_COMPARED = {
    "family": "Job family",
    "level": "Level",
    "summary": "Summary",
    "responsibilities": "Responsibilities",
    "skills": "Skills",
    "education": "Education",
    "experience": "Experience",
    **DIMENSIONS,
}


@dataclass(frozen=True)
class DimensionRow:
    """One dimension of a comparison; ``differs`` when the two cells differ."""

    column: str
    label: str
    a: str
    b: str

    @property
    def differs(self) -> bool:
        return self.a.casefold() != self.b.casefold()


@dataclass
class Comparison:
    """Two roles side by side, plus the structured differences."""

    a: str
    b: str
    rows: list[DimensionRow]
    level_gap: int
    same_family: bool
    skills_only_a: list[str]
    skills_only_b: list[str]
    skills_shared: list[str]
    reporting_relation: str
    path_a_to_b: list[str] | None
    path_b_to_a: list[str] | None
    extra_rows: list[DimensionRow] = field(default_factory=list)


def _cell(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return "" if value is None else str(value)


def _reporting_relation(G: nx.MultiDiGraph, a: str, b: str) -> str:
    title_a, title_b = role_title(G, a), role_title(G, b)
    if b in managers(G, a):
        return f"{title_a} reports to {title_b}"
    if a in managers(G, b):
        return f"{title_b} reports to {title_a}"
    if b in reporting_chain(G, a):
        return f"{title_b} is above {title_a} in the chain of command"
    if a in reporting_chain(G, b):
        return f"{title_a} is above {title_b} in the chain of command"
    return "No reporting line between them"


def _best_path(G: nx.MultiDiGraph, a: str, b: str) -> list[str] | None:
    """The planner's first option, so a comparison and a plan agree."""
    paths = career_paths(G, a, b, k=1)
    return list(paths[0].roles) if paths else None


def compare_roles(G: nx.MultiDiGraph, a: str, b: str) -> Comparison:
    """Compare roles ``a`` and ``b``.

    Rows cover the family, level, summary, skills and every comparison
    dimension that at least one role fills; columns outside the data contract
    go to ``extra_rows``.

    Examples
    --------
    >>> from graph.building import make_graph
    >>> G = make_graph(
    ...     [{"id": "lead", "title": "Lead", "family": "Ops", "level": 3,
    ...       "budget_oversight": "Own project", "skills": "Focus"},
    ...      {"id": "mgr", "title": "Manager", "family": "Ops", "level": 4,
    ...       "budget_oversight": "Whole area", "skills": "Focus;Strategy"}],
    ...     [("lead", "mgr", "promotion"), ("lead", "mgr", "reports_to")])
    >>> c = compare_roles(G, "lead", "mgr")
    >>> c.level_gap, c.skills_only_b, c.reporting_relation, c.path_a_to_b
    (1, ['Strategy'], 'Lead reports to Manager', ['lead', 'mgr'])
    >>> [(r.label, r.a, r.b) for r in c.rows if r.column == "budget_oversight"]
    [('Budget oversight', 'Own project', 'Whole area')]
    """
    check_role(G, a)
    check_role(G, b)
    data_a, data_b = G.nodes[a], G.nodes[b]
    rows = [
        DimensionRow(
            column, label, _cell(data_a.get(column)), _cell(data_b.get(column))
        )
        for column, label in _COMPARED.items()
        if column in data_a or column in data_b
    ]
    if G.graph.get("levels"):  # named levels read better than numbers
        rows = [
            replace(
                row,
                a=level_label(G, data_a["level"]),
                b=level_label(G, data_b["level"]),
            )
            if row.column == "level"
            else row
            for row in rows
        ]
    extra_columns = sorted((set(data_a) | set(data_b)) - ROLE_COLUMNS)
    extra_rows = [
        DimensionRow(
            column, column, _cell(data_a.get(column)), _cell(data_b.get(column))
        )
        for column in extra_columns
    ]
    only_a, only_b, shared = skill_gap(G, a, b)
    return Comparison(
        a=a,
        b=b,
        rows=rows,
        level_gap=data_b["level"] - data_a["level"],
        same_family=data_a["family"] == data_b["family"],
        skills_only_a=only_a,
        skills_only_b=only_b,
        skills_shared=shared,
        reporting_relation=_reporting_relation(G, a, b),
        path_a_to_b=_best_path(G, a, b),
        path_b_to_a=_best_path(G, b, a),
        extra_rows=extra_rows,
    )
