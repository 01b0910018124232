"""The Compare tab: two roles side by side, differences shaded."""

from __future__ import annotations

import streamlit as st

from graph import compare_roles
from graph.people import skill_overlap
from graph.text import escape_markdown as md
from ui.search_box import role_search
from ui.tabs import PanelContext

__all__ = ["compare_panel"]


def _swap() -> None:
    state = st.session_state
    state.update(compare_a=state["compare_b"], compare_b=state["compare_a"])


def compare_panel(ctx: PanelContext) -> None:
    """Two roles side by side, differences highlighted."""
    cat = ctx.catalogue
    pick_a, swap, pick_b = st.columns([5, 1, 5], vertical_alignment="bottom")
    with pick_a:
        role_search(cat, "Role A", "compare_a", placeholder="Choose a role")
    with pick_b:
        role_search(cat, "Role B", "compare_b", placeholder="Choose a role to compare")
    swap.button("⇄", key="compare-swap", help="Swap A and B", on_click=_swap)
    a, b = st.session_state["compare_a"], st.session_state["compare_b"]
    if not a or not b:
        st.info("Choose two roles to compare them side by side.")
        return
    if a == b:
        st.info("Choose two different roles.")
        return
    c = compare_roles(cat.G, a, b)
    title_a, title_b = cat.title(a), cat.title(b)
    metrics = st.columns(3)
    metrics[0].metric("Level gap (B − A)", f"{c.level_gap:+d}")
    metrics[1].metric("Job family", "Same" if c.same_family else "Different")
    path = c.path_a_to_b
    metrics[2].metric("Moves from A to B", str(len(path) - 1) if path else "No path")
    st.markdown(f"**Reporting:** {md(c.reporting_relation)}")
    if path:
        st.markdown("**Path:** " + " → ".join(md(cat.title(r)) for r in path))
    overlap = skill_overlap(cat.G, a, b)
    st.markdown(
        f"**Skill overlap: {overlap['percent']}%** ({len(overlap['shared'])} shared, "
        f"{len(overlap['only_a'])} only in A, {len(overlap['only_b'])} only in B; "
        "synonyms count as one skill)"
    )
    skills = st.columns(3)
    shared = [
        name + (f" (A {need_a}, B {need_b})" if need_a != need_b else "")
        for name, need_a, need_b in overlap["shared"]
    ]
    for column, heading, items in (
        (skills[0], f"Skills to gain for {title_b}", overlap["only_b"]),
        (skills[1], "Shared skills (levels where they differ)", shared),
        (skills[2], f"Only in {title_a}", overlap["only_a"]),
    ):
        column.markdown(f"**{md(heading)}**")
        column.markdown("\n".join(f"- {md(s)}" for s in items) or "_None listed_")
    st.caption("Shaded dimensions differ between the two roles.")
    lines = [
        f"| Dimension | A: {md(title_a)} | B: {md(title_b)} |",
        "| --- | --- | --- |",
    ]
    for row in c.rows + c.extra_rows:
        label = md(row.label)
        if row.differs:
            label = f":orange-background[{label}]"
        lines.append(f"| {label} | {md(row.a) or '—'} | {md(row.b) or '—'} |")
    st.markdown("\n".join(lines))
