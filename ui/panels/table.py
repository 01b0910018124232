"""The Table view tab: the graph's roles and relations as keyboard-friendly tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph import RELATION_TYPES
from graph.text import escape_markdown as md
from ui.state import select_role
from ui.tabs import PanelContext

__all__ = ["table_panel"]


def _on_table_select(roles: list[str]) -> None:
    rows = st.session_state["roles_table"].selection.rows
    if rows:
        select_role(roles[rows[0]])


def table_panel(ctx: PanelContext) -> None:
    """The roles the graph shows, and the selected role's relations, as tables:
    the accessible twin of the graph."""
    cat = ctx.catalogue
    G = cat.G
    shown = set(ctx.view.roles)
    roles = [r for r in cat.roles_by_title if r in shown]
    st.caption(
        f"The {len(roles)} roles the graph shows. Select a row to select the role; "
        "arrow keys move, space selects."
    )
    selected = st.session_state["role"]
    st.dataframe(
        pd.DataFrame(
            {
                # the selection made anywhere shows here too
                "Selected": ["◉ selected" if r == selected else "" for r in roles],
                "Title": [cat.title(r) for r in roles],
                "Family": [G.nodes[r]["family"] for r in roles],
                "Level": [G.nodes[r]["level"] for r in roles],
                "Also called": [
                    "; ".join(G.nodes[r].get("aliases", [])) for r in roles
                ],
                "Id": roles,
            }
        ),
        hide_index=True,
        width="stretch",
        key="roles_table",
        on_select=lambda: _on_table_select(roles),
        selection_mode="single-row",
    )
    role = st.session_state["role"]
    st.markdown(f"**Relations of {md(cat.title(role))}**")
    rows = [
        ("to", t, k, d.get("typical_years"), d.get("note", ""))
        for _, t, k, d in G.out_edges(role, keys=True, data=True)
    ] + [
        ("from", s, k, d.get("typical_years"), d.get("note", ""))
        for s, _, k, d in G.in_edges(role, keys=True, data=True)
    ]
    relations = pd.DataFrame(
        {
            "Direction": [r[0] for r in rows],
            "Other role": [cat.title(r[1]) for r in rows],
            "Relation": [RELATION_TYPES[r[2]].label for r in rows],
            "Typical years": [r[3] for r in rows],
            "Note": [r[4] for r in rows],
        }
    )
    st.dataframe(
        relations.dropna(axis="columns", how="all"),
        hide_index=True,
        width="stretch",
        key="relations_table",
    )
