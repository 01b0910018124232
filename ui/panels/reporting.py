"""The Reporting line tab: the chain of command above a role and the team below."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import streamlit as st

from graph import View, org_team, reporting_chain, reporting_graph, view_payload
from graph.export import view_svg
from graph.indexes import roles_without_reporting_line
from graph.schema import REPORTS_TO
from graph.text import escape_markdown as md
from graph.text import safe_file_name
from ui.component import career_graph
from ui.data import Catalogue
from ui.state import select_role
from ui.tabs import PanelContext
from ui.widgets import graph_legend, on_graph_click, row_length

__all__ = ["reporting_panel"]

#: The most levels below a role the org view opens at once.
MAX_ORG_DEPTH = 6
#: Roles without any reporting line named under the org view, at most.
_UNPLACED_SHOWN = 12


def _org_tiers(
    G: nx.MultiDiGraph, chain: list[str], team: dict[str, int]
) -> dict[str, int]:
    """The row of each role of the org view: the chain of command above the
    role, one row each, and each member of the team one row below the lowest
    of its managers shown, so that a role reporting to two of them sits
    under both rather than beside one."""
    top = len(chain) - 1
    tiers = {r: top - i for i, r in enumerate(chain)}
    shown = reporting_graph(G).subgraph([chain[0], *team])
    for member in nx.topological_sort(shown.reverse(copy=False)):
        if member in team:
            tiers[member] = 1 + max(tiers[m] for m in shown.succ[member])
    return tiers


def _pick_unplaced() -> None:
    role = st.session_state["org_unplaced"]
    st.session_state["org_unplaced"] = None
    if role:
        select_role(role)


def _unplaced_roles(cat: Catalogue) -> None:
    """The roles with no reporting line at all, as a labelled group of their
    own (they have no place in any org chart); choosing one selects it."""
    unplaced = roles_without_reporting_line(cat.G)
    if not unplaced:
        return
    st.pills(
        f"No reporting line in the data, above or below ({len(unplaced)} roles)",
        unplaced[:_UNPLACED_SHOWN],
        format_func=lambda role: md(cat.title(role)),
        key="org_unplaced",
        on_change=_pick_unplaced,
    )
    if len(unplaced) > _UNPLACED_SHOWN:
        st.caption(f"… and {len(unplaced) - _UNPLACED_SHOWN} more (see Table view)")


def _collapse() -> None:
    st.session_state["org_expanded"] = []


def reporting_panel(ctx: PanelContext) -> None:
    """The chain of command above the selected role and the team below it."""
    cat = ctx.catalogue
    G = cat.G
    role = st.session_state["role"]
    chain = reporting_chain(G, role)
    st.markdown(
        "**Chain of command:** " + " › ".join(md(cat.title(r)) for r in reversed(chain))
    )
    depth_column, collapse_column, _ = st.columns(
        [1, 1, 2], vertical_alignment="bottom"
    )
    depth_column.number_input(
        "Levels shown below", min_value=1, max_value=MAX_ORG_DEPTH, key="org_depth"
    )
    depth = st.session_state["org_depth"]
    team, hidden = org_team(
        G, role, depth=depth, expanded=st.session_state["org_expanded"]
    )
    if st.session_state["org_expanded"]:
        collapse_column.button(
            f"Collapse to {depth} level{'s' * (depth > 1)}",
            key="org_collapse",
            on_click=_collapse,
        )
    if len(chain) + len(team) > 1:
        tiers = _org_tiers(G, chain, team)
        view = View(tuple(tiers), role, None, False, hidden)
        payload = view_payload(
            G, view, edge_types=(REPORTS_TO,), tiers=tiers, row_length=row_length()
        )
        name = safe_file_name(f"org-chart-{role}")
        note = f"Org view: {len(chain) - 1} above, {len(team)} below"
        if hidden:
            note += " · click “+N more” to open a branch"
        career_graph(
            payload,
            key="org_graph",
            selected=role,
            legend=graph_legend(cat, payload, (REPORTS_TO,)),
            on_select=lambda: on_graph_click("org_graph", cat, "org_expanded"),
            height=380,
            note=note,
            # every role of the org view is part of it: none is dimmed
            dim=False,
            expose="orgGraph",
            narrow=st.session_state["narrow"],
            export_name=name,
        )
        st.download_button(
            "Download the org view (SVG)",
            data=lambda: view_svg(payload, f"Org chart around {cat.title(role)}"),
            file_name=f"{name}.svg",
            mime="image/svg+xml",
            key="org_svg",
        )
    else:
        st.info("No reporting lines recorded for this role.")
    _unplaced_roles(cat)
    if team:
        st.markdown(f"**Team below:** {len(team)} role(s) shown")
        st.dataframe(
            pd.DataFrame(
                {
                    "Role": [cat.title(r) for r in team],
                    "Levels below": list(team.values()),
                    "Level": [G.nodes[r]["level"] for r in team],
                }
            ),
            hide_index=True,
            key="team_table",
        )
