"""What a new selection redraws: the explorer fragment, not the whole page.

A click on the graph changes the selected role. The explorer (graph, role
card, the sidebar's "Selected role" box and the URL) is one fragment, so a
click inside it reruns just that fragment, and the browser redraws just those
parts instead of every tab and sidebar widget. Measured in Chromium, a click
that also asked for a rerun from its callback (``st.rerun``) waited about
125 ms more on the server before the run started, so the explorer's own
widgets ask for none unless the open tab shows the selection too
(:data:`ui.panels.TABS` says which); then the whole page reruns.
"""

from __future__ import annotations

import streamlit as st

__all__ = [
    "EXPLORER",
    "start_whole_run",
    "end_whole_run",
    "in_whole_run",
    "rerun_explorer",
    "reconnect_guard",
]

#: The explorer fragment's key.
EXPLORER = "explorer"
_WHOLE_RUN = "whole_run"


def start_whole_run() -> None:
    """Mark, at the top of the page's script, that this run is the whole page."""
    st.session_state[_WHOLE_RUN] = True


def end_whole_run() -> None:
    """Mark, at the end of the page's script, that the whole-page run is over:
    runs from now on that do not start the script again are fragment runs."""
    st.session_state[_WHOLE_RUN] = False


def in_whole_run() -> bool:
    """Whether the page's whole script is running (not only a fragment)."""
    return bool(st.session_state.get(_WHOLE_RUN))


def rerun_explorer() -> None:
    """From the callback of a widget outside the explorer fragment (one the
    explorer draws in a fragment of its own): rerun the explorer alone."""
    st.rerun(EXPLORER)


@st.fragment(run_every="1h")
def reconnect_guard() -> None:
    """A fragment that draws nothing and reruns by itself once an hour.

    Its being on the page is what matters: a page with a fragment on a timer
    asks for a run of the whole script when it reconnects to the server.
    After a server restart the new session knows no fragments and drops the
    events of widgets inside one (a click on the graph) until a whole run has
    drawn them; without that run, the page's clicks would do nothing.
    """
