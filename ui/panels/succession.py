"""The Succession tab, for managers and HR: who could step into the selected
role and when, and which roles have nobody ready."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph.people import BANDS, READY_NOW, bench_strength, successors
from graph.skills import required_skills
from graph.text import escape_markdown as md
from ui.data import Catalogue
from ui.panels.people import people_here
from ui.tabs import PanelContext

__all__ = ["succession_panel"]


@st.cache_data(max_entries=16, show_spinner="Counting successors…")
def _bench(_cat: Catalogue, token: str, people: tuple) -> pd.DataFrame:
    """Bench strength of every role that lists skills; computed again only
    when the catalogue (``token``) or a person's revision changes."""
    G = _cat.G
    judged = [r for r in G if required_skills(G, r)]
    bench = pd.DataFrame(bench_strength(G, [p for p, _ in people], judged))
    bench.insert(1, "title", [_cat.title(r) for r in bench["role"]])
    bench.insert(2, "family", [G.nodes[r]["family"] for r in bench["role"]])
    bench = bench.sort_values(["ready now", "ready after one move", "title"])
    return bench.drop(columns=["role"])


def succession_panel(ctx: PanelContext) -> None:
    """People ranked for the selected role, and the bench across the catalogue."""
    cat = ctx.catalogue
    G = cat.G
    role = st.session_state["role"]
    here, _ = people_here(ctx.options, cat)
    people = [stored.person for stored in here]
    st.markdown(f"#### Successors for {md(cat.title(role))}")
    st.caption(
        f"Ready now: readiness {READY_NOW}% or more. Ready after one move: one "
        "move from their role leads to a role one move from this one, and "
        f"working there would bring them to {READY_NOW}%. Select another role in "
        "the graph to see its successors."
    )
    if not people:
        st.info("No people saved on this catalogue yet: add them in the People tab.")
        return
    if not required_skills(G, role):
        st.info("This role lists no skills, so readiness cannot be judged.")
        return
    ranked = successors(G, people, role)
    counts = st.columns(len(BANDS))
    for column, band in zip(counts, BANDS, strict=True):
        column.metric(band.capitalize(), sum(s.band == band for s in ranked))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "person": s.person.name,
                    "now": cat.title(s.person.role),
                    "readiness %": s.readiness.percent,
                    "band": s.band,
                    "why": s.readiness.explanation,
                }
                for s in ranked
            ],
            columns=["person", "now", "readiness %", "band", "why"],
        ),
        hide_index=True,
        width="stretch",
        key="successors",
    )
    st.markdown("#### Bench strength across the catalogue")
    st.caption(
        "Roles that list skills, fewest ready successors first; sort by any column."
    )
    bench = _bench(cat, cat.token, tuple((s.person, s.revision) for s in here))
    st.dataframe(
        bench,
        hide_index=True,
        width="stretch",
        key="bench",
    )
