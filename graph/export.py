"""Writing things out: career plans as Markdown and CSV."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from graph.paths import CareerPath
from graph.queries import role_title
from graph.text import escape_markdown, neutralise_formula

__all__ = ["plan_table", "plan_markdown", "safe_csv"]


def plan_table(G: nx.MultiDiGraph, paths: list[CareerPath]) -> pd.DataFrame:
    """One row per step of each path: what the move is and what changes."""
    rows = []
    for number, path in enumerate(paths, start=1):
        for step_number, step in enumerate(path.steps, start=1):
            rows.append(
                {
                    "path": number,
                    "step": step_number,
                    "from": role_title(G, step.source),
                    "to": role_title(G, step.target),
                    "move": step.type,
                    "level_change": step.level_change,
                    "typical_years": step.typical_years,
                    "family_change": " → ".join(step.family_change)
                    if step.family_change
                    else "",
                    "skills_to_gain": "; ".join(step.skills_to_gain),
                    "scope_after": step.scope,
                    "authority_after": step.decision_authority,
                    "note": step.note,
                }
            )
    return pd.DataFrame(rows)


def safe_csv(table: pd.DataFrame) -> str:
    """CSV text of ``table`` with formula-like cells neutralised for Excel.

    Examples
    --------
    >>> print(safe_csv(pd.DataFrame({"title": ["=1+1", "Clerk"]})), end="")
    title
    '=1+1
    Clerk
    """
    cleaned = table.copy()
    for column in cleaned.columns:
        if cleaned[column].dtype == object or pd.api.types.is_string_dtype(
            cleaned[column]
        ):
            cleaned[column] = cleaned[column].map(neutralise_formula)
    return cleaned.to_csv(index=False)


def plan_markdown(G: nx.MultiDiGraph, paths: list[CareerPath]) -> str:
    """A career plan as Markdown, every piece of data text escaped.

    Examples
    --------
    >>> from graph.loading import make_graph
    >>> from graph.paths import career_paths
    >>> G = make_graph(
    ...     [{"id": "a", "title": "Clerk", "family": "F", "level": 1},
    ...      {"id": "b", "title": "Boss", "family": "F", "level": 2}],
    ...     [("a", "b", "promotion")])
    >>> print(plan_markdown(G, career_paths(G, "a", "b")))
    # Career plan: Clerk → Boss
    <BLANKLINE>
    ## Option 1: 1 step
    <BLANKLINE>
    1. **Clerk → Boss** (promotion, level +1)
    """
    if not paths:
        return "# Career plan\n\nNo path found.\n"
    start, end = paths[0].roles[0], paths[0].roles[-1]
    md = escape_markdown
    lines = [f"# Career plan: {md(role_title(G, start))} → {md(role_title(G, end))}"]
    for number, path in enumerate(paths, start=1):
        steps = len(path.steps)
        years = path.known_years
        timing = f", about {years:g} years" if years is not None else ""
        lines += [
            "",
            f"## Option {number}: {steps} step{'s' * (steps > 1)}{timing}",
            "",
        ]
        for index, step in enumerate(path.steps, start=1):
            move = f"{step.type}, level {step.level_change:+d}"
            if step.typical_years is not None:
                move += f", typically {step.typical_years:g} years"
            lines.append(
                f"{index}. **{md(role_title(G, step.source))} → "
                f"{md(role_title(G, step.target))}** ({move})"
            )
            if step.skills_to_gain:
                skills = ", ".join(md(s) for s in step.skills_to_gain)
                lines.append(f"   - Skills to gain: {skills}")
            if step.scope:
                lines.append(f"   - Scope after the move: {md(step.scope)}")
            if step.decision_authority:
                lines.append(
                    f"   - Authority after the move: {md(step.decision_authority)}"
                )
            if step.note:
                lines.append(f"   - Note: {md(step.note)}")
    return "\n".join(lines)
