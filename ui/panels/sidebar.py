"""The sidebar: search, the selected role, relation toggles and filters."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from graph import RELATION_TYPES, node_values, search_roles, suggest_roles
from graph.render import LARGE_CATALOGUE
from graph.text import escape_markdown as md
from ui.catalogues import catalogue_picker
from ui.data import AppOptions, Catalogue
from ui.state import edge_toggle_key, select_role
from ui.widgets import skip_link

__all__ = ["sidebar", "shown_edge_types", "filtered_roles"]

#: Above this many job families, the family filter is a compact multiselect.
FAMILY_PILLS_LIMIT = 12


def sidebar(cat: Catalogue, options: AppOptions) -> DeltaGenerator:
    """The catalogue, search, filters and edge toggles; returns the place
    for the "Selected role" box."""
    G = cat.G
    with st.sidebar:
        skip_link()
        st.markdown("## Career paths")
        catalogue_picker(options, cat)
        st.caption(f"{len(G):,} roles · {cat.edge_count:,} relations")
        query = st.text_input(
            "Find a role",
            key="search",
            placeholder="Title, alias or typo: ops mgr, COO…",
        )
        if query:
            matches = search_roles(G, query, limit=8)
            if not matches:
                # a misspelt word finds no match, but its closest titles help
                # more than advice to type less
                matches = suggest_roles(G, query)
                st.caption(
                    f"No role matches “{md(query)}”"
                    + ("; did you mean:" if matches else ". Try another word.")
                )
            for role in matches:
                st.button(
                    md(cat.title(role)),
                    key=f"search-hit-{role}",
                    on_click=select_role,
                    args=(role,),
                    width="stretch",
                )
        # the explorer fragment draws the "Selected role" box here, so that
        # a click on the graph redraws it too
        picker_slot = st.empty()
        st.markdown("### Show")
        for edge_type in cat.relation_types:
            st.toggle(RELATION_TYPES[edge_type].label, key=edge_toggle_key(edge_type))
        if len(G) > LARGE_CATALOGUE:
            st.caption(
                f"This catalogue has {len(G):,} roles, so the graph shows the selected "
                "role's neighbourhood."
            )
        else:
            st.toggle("Only the selected role's neighbourhood", key="neighbourhood")
        if len(G) > LARGE_CATALOGUE or st.session_state["neighbourhood"]:
            st.slider("Neighbourhood depth", 1, 3, key="depth")
        st.markdown("### Filter")
        if len(cat.families) <= FAMILY_PILLS_LIMIT:
            st.pills(
                "Job families (none chosen: all)",
                cat.families,
                selection_mode="multi",
                key="families",
                format_func=md,
            )
        else:
            st.multiselect(
                "Job families",
                cat.families,
                key="families",
                placeholder="All families",
            )
        if cat.min_level < cat.max_level:
            st.slider("Levels", cat.min_level, cat.max_level, key="levels")
        st.caption(f"Data in use: {md(cat.source)}")
        if cat.report.warnings:
            st.caption(
                f"{len(cat.report.warnings)} data warning(s): see the Your data tab"
            )
    return picker_slot


def shown_edge_types(cat: Catalogue) -> tuple[str, ...]:
    """The catalogue's relation types that the sidebar's toggles show."""
    return tuple(t for t in cat.relation_types if st.session_state[edge_toggle_key(t)])


def filtered_roles(cat: Catalogue) -> set[str] | None:
    """The roles the family and level filters allow; ``None`` when they allow all."""
    families = set(st.session_state["families"]) or set(cat.families)
    low, high = st.session_state["levels"]
    if len(families) == len(cat.families) and (low, high) == (
        cat.min_level,
        cat.max_level,
    ):
        return None
    G = cat.G
    return {
        role
        for role, family, level in zip(
            G, node_values(G, "family"), node_values(G, "level"), strict=True
        )
        if family in families and low <= level <= high
    }
