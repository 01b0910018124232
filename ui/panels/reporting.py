"""The Reporting line tab: the chain of command above a role and the team below."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph import (
    all_reports,
    reporting_chain,
    reporting_graph,
    select_view,
    view_payload,
)
from graph.schema import REPORTS_TO
from graph.text import escape_markdown as md
from ui.component import career_graph
from ui.tabs import PanelContext
from ui.widgets import graph_legend, on_graph_click, row_length

__all__ = ["reporting_panel"]

#: How many levels of the team below the org view shows.
ORG_DEPTH = 2
#: Roles without any reporting line named under the org view, at most.
_UNPLACED_SHOWN = 12


def reporting_panel(ctx: PanelContext) -> None:
    """The chain of command above the selected role and the team below it."""
    cat = ctx.catalogue
    G = cat.G
    role = st.session_state["role"]
    chain = reporting_chain(G, role)
    st.markdown(
        "**Chain of command:** " + " › ".join(md(cat.title(r)) for r in reversed(chain))
    )
    team = all_reports(G, role, depth=ORG_DEPTH)
    roles = set(chain) | set(team)
    view = select_view(G, roles=roles, focus=role, depth=len(chain) + ORG_DEPTH)
    if len(roles) > 1:
        top = len(chain) - 1
        tiers = {r: top - i for i, r in enumerate(chain)} | {
            r: top + depth for r, depth in team.items()
        }
        payload = view_payload(
            G, view, edge_types=(REPORTS_TO,), tiers=tiers, row_length=row_length()
        )
        career_graph(
            payload,
            key="org_graph",
            selected=role,
            legend=graph_legend(cat, payload, (REPORTS_TO,)),
            on_select=lambda: on_graph_click("org_graph", cat),
            height=380,
            note=f"Org view: {len(chain) - 1} above, {len(team)} below "
            f"(up to {ORG_DEPTH} levels down)",
            # every role of the org view is part of it: none is dimmed
            path=tuple(view.roles),
            narrow=st.session_state["narrow"],
        )
    else:
        st.info("No reporting lines recorded for this role.")
    lines = reporting_graph(G)
    unplaced = [r for r in cat.roles_by_title if lines.degree(r) == 0]
    if unplaced:
        st.caption(
            f"{len(unplaced)} role(s) have no reporting line in the data, above or "
            "below: "
            + ", ".join(md(cat.title(r)) for r in unplaced[:_UNPLACED_SHOWN])
            + (" …" if len(unplaced) > _UNPLACED_SHOWN else "")
        )
    if team:
        st.markdown(f"**Team below:** {len(team)} role(s) within {ORG_DEPTH} levels")
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
