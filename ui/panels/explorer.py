"""The explorer's two fixed panels: the graph and the selected role's card."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from graph import (
    RELATION_TYPES,
    View,
    direct_reports,
    level_label,
    managers,
    next_moves,
    previous_roles,
    select_view,
    view_payload,
)
from graph.render import LARGE_CATALOGUE, MAX_VIEW_NODES
from graph.schema import DIMENSIONS, ROLE_COLUMNS
from graph.skills import skill_label
from graph.text import escape_markdown as md
from ui.component import career_graph
from ui.data import Catalogue
from ui.fragments import EXPLORER, in_whole_run, rerun_explorer
from ui.memory import note_activity
from ui.panels import rerun_after_selection
from ui.panels.sidebar import filtered_roles, shown_edge_types
from ui.panels.your_data import unsaved_edits
from ui.search_box import role_search
from ui.state import open_tab, select_role, sync_url
from ui.tabs import COMPARE, PLAN, YOUR_DATA
from ui.widgets import (
    graph_legend,
    on_graph_click,
    on_history_move,
    on_narrow_change,
    role_card_anchor,
    row_length,
)

__all__ = ["current_view", "explorer", "graph_panel", "role_card"]

_RELATED_SHOWN = 12
#: Other names the card lists before "and N more": the rest are one click away.
_ALIASES_SHOWN = 8


def current_view(cat: Catalogue, path: tuple[str, ...]) -> View:
    """The roles the graph and the table view show, from the session's settings.

    A highlighted career path is always included, even outside a neighbourhood.
    """
    G = cat.G
    selected = st.session_state["role"]
    allowed = filtered_roles(cat)
    if allowed is not None:
        allowed.add(selected)
    neighbourhood = len(G) > LARGE_CATALOGUE or st.session_state["neighbourhood"]
    view = select_view(
        G,
        focus=selected,
        depth=st.session_state["depth"] if neighbourhood else None,
        roles=allowed,
        expanded=st.session_state["expanded"],
    )
    missing = [role for role in path if role not in set(view.roles)]
    return replace(view, roles=view.roles + tuple(missing)) if missing else view


@st.fragment(key=EXPLORER)
def explorer(
    cat: Catalogue,
    highlighted_path: tuple[str, ...],
    picker_slot: DeltaGenerator,
    url_params: dict[str, str],
) -> None:
    """The graph beside the selected role's card, the "Selected role" box in
    ``picker_slot`` (the sidebar's) and the URL (with the catalogue's
    ``url_params``): a fragment, so that a click on a role redraws these, not
    the whole page (:mod:`ui.fragments`)."""
    note_activity()
    view = current_view(cat, highlighted_path)
    with picker_slot.container():
        role_search(
            cat, "Selected role", "role", placeholder="Choose a role", on_pick=_picked
        )
    # keyed, so the page style can put the card first on a phone
    with st.container(key="explorer"):
        graph_column, card_column = st.columns([3, 2])
        with graph_column:
            graph_panel(cat, view, highlighted_path)
        with card_column:
            role_card(cat)
    if not in_whole_run():  # the whole page's run writes it at its end
        sync_url(url_params)


def _picked() -> None:
    """The "Selected role" box picked a role: the box reruns on its own, so
    rerun the explorer (or, for a cleared box, the page picks the default)."""
    if st.session_state["role"] is None:
        st.rerun()
    rerun_after_selection()
    rerun_explorer()


def _on_click(cat: Catalogue) -> None:
    on_graph_click("career_graph", cat)
    rerun_after_selection()


def _whole_page_after(callback: Callable[[], None]) -> Callable[[], None]:
    """``callback``, then a rerun of the whole page: from inside the explorer
    fragment, a widget would otherwise redraw just the fragment."""

    def run() -> None:
        callback()
        st.rerun()

    return run


def graph_panel(cat: Catalogue, view: View, highlighted_path: tuple[str, ...]) -> None:
    """The main graph: click a role to select it."""
    G = cat.G
    selected = st.session_state["role"]
    if view.is_neighbourhood:
        note = (
            f"Neighbourhood of {cat.title(selected)} ({view.depth} step"
            f"{'s' * (view.depth > 1)}): {len(view.roles)} of {len(G):,} roles"
        )
    else:
        note = f"{len(view.roles)} of {len(G):,} roles"
    if view.hidden:
        note += " · closest relations first: click “+N more” for the rest"
    if view.truncated:
        note += f" · capped at {MAX_VIEW_NODES}: narrow the filters or the depth"
    if highlighted_path:
        note += " · thick line: the chosen career path"
    if st.session_state["narrow"]:
        note += " · tap a role to select it"
    else:
        note += " · click a role to select it; scroll to zoom, drag to pan"
    edge_types = shown_edge_types(cat)
    payload = view_payload(
        G, view, edge_types=edge_types, path=highlighted_path, row_length=row_length()
    )
    career_graph(
        payload,
        key="career_graph",
        selected=selected,
        legend=graph_legend(cat, payload, edge_types),
        on_select=lambda: _on_click(cat),
        note=note,
        path=highlighted_path,
        expose="careerGraph",
        on_history=_whole_page_after(lambda: on_history_move("career_graph")),
        scroll_to_tabs=st.session_state.get("scroll_to_tabs", 0),
        unsaved_in_tab=YOUR_DATA if unsaved_edits(cat) else None,
        narrow=st.session_state["narrow"],
        on_narrow=_whole_page_after(lambda: on_narrow_change("career_graph")),
    )


def _pick_related(key: str) -> None:
    role = st.session_state[key]
    st.session_state[key] = None
    if role:
        select_role(role)
        rerun_after_selection()


def _related(cat: Catalogue, heading: str, items: list, section: str) -> None:
    """Related roles (moves or role ids) as chips; choosing one selects it."""
    if not items:
        st.caption(f"{heading}: none in the data")
        return
    shown = items[:_RELATED_SHOWN]
    labels = {}
    for item in shown:
        role = getattr(item, "role", item)
        label = md(cat.title(role))
        if hasattr(item, "type"):
            label = f"{RELATION_TYPES[item.type].icon} {label}"
            if item.typical_years is not None:
                label += f" ({item.typical_years:g} y)"
        labels[role] = label
    st.pills(
        heading,
        list(labels),
        key=f"related_{section}",
        format_func=labels.get,
        on_change=_pick_related,
        args=(f"related_{section}",),
    )
    if len(items) > _RELATED_SHOWN:
        st.caption(f"… and {len(items) - _RELATED_SHOWN} more (see Table view)")


def _next_moves(cat: Catalogue, moves: list) -> None:
    """Next moves, closest first; where the data bands its ranks into tiers,
    one group per tier (in the order of their closest move)."""
    heading = f"Next moves ({_move_legend(cat)})"
    tiers = list(dict.fromkeys(move.tier for move in moves))
    if tiers == [""] or not moves:
        _related(cat, heading, moves, "next")
        return
    st.markdown(f"**{heading}**")
    for number, tier in enumerate(tiers):
        members = [move for move in moves if move.tier == tier]
        _related(
            cat, f"{tier or 'Not ranked'} ({len(members)})", members, f"next{number}"
        )


def _move_legend(cat: Catalogue) -> str:
    moves = [RELATION_TYPES[t] for t in cat.relation_types if RELATION_TYPES[t].is_move]
    return ", ".join(f"{t.icon} {t.short_label}" for t in moves)


def role_card(cat: Catalogue) -> None:
    """Everything about the selected role, with links to the roles around it."""
    G = cat.G
    role = st.session_state["role"]
    data = G.nodes[role]
    # laid out to be read: no inner scroll box hiding the skills
    with st.container(border=True):
        role_card_anchor()
        # no anchor icon: a link with no text would be the next Tab stop
        st.subheader(md(data["title"]), anchor=False)
        level = md(level_label(G, data["level"]))
        st.caption(f"{md(data['family'])} · {level}")
        if data.get("summary"):
            st.markdown(md(data["summary"]))
        shortcuts = (
            ("Compare with…", COMPARE, {"compare_a": role}),
            ("Plan a path from here", PLAN, {"path_from": role}),
        )
        for column, (label, tab, values) in zip(
            st.columns(len(shortcuts)), shortcuts, strict=True
        ):
            column.button(
                label,
                key=f"card-{tab}",
                on_click=_whole_page_after(partial(open_tab, tab, **values)),
                width="stretch",
            )
        _next_moves(cat, next_moves(G, role))
        _related(cat, "Roles that lead here", previous_roles(G, role), "prev")
        _related(cat, "Reports to", managers(G, role), "boss")
        _related(cat, "Direct reports", direct_reports(G, role), "team")
        for column, label in (
            ("responsibilities", "Responsibilities"),
            ("skills", "Skills"),
        ):
            if data.get(column):
                items = data[column]
                if column == "skills":
                    items = map(skill_label, items)
                with st.expander(label, expanded=column == "skills"):
                    st.markdown("\n".join(f"- {md(item)}" for item in items))
        background = [
            (label, data[c])
            for c, label in (("education", "Education"), ("experience", "Experience"))
            if data.get(c)
        ]
        dimensions = [
            (label, data[c]) for c, label in DIMENSIONS.items() if data.get(c)
        ]
        extra = [(c, data[c]) for c in sorted(data) if c not in ROLE_COLUMNS]
        for heading, rows in (
            ("Education and experience", background),
            ("Role profile", dimensions),
            ("Other details", extra),
        ):
            if rows:
                with st.expander(heading):
                    st.markdown("\n".join(f"- **{md(k)}:** {md(v)}" for k, v in rows))
        if data.get("taxonomy"):
            st.caption("Belongs to: " + " › ".join(md(g) for g in data["taxonomy"]))
        aliases = data.get("aliases") or []
        if aliases:
            more = len(aliases) - _ALIASES_SHOWN
            first = ", ".join(md(a) for a in aliases[:_ALIASES_SHOWN])
            st.caption(f"Also called: {first}" + f", and {more} more" * (more > 0))
            if more > 0:  # O*NET lists over a hundred for some occupations
                with st.expander(f"All {len(aliases)} other names"):
                    st.markdown(", ".join(md(a) for a in aliases))
        if data.get("source"):
            st.caption(f"Source: {md(data['source'])}")
