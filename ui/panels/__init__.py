"""The explorer's panels, one module each, and the registry of its tabs.

:data:`TABS` is the one list of tabs: ``app.py`` draws the tab bar from it and
runs the open tab's panel from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from ui.panels.compare import compare_panel
from ui.panels.people import people_panel
from ui.panels.planner import planner_panel
from ui.panels.reporting import reporting_panel
from ui.panels.succession import succession_panel
from ui.panels.table import table_panel
from ui.panels.your_data import your_data_panel
from ui.tabs import (
    COMPARE,
    PEOPLE,
    PLAN,
    REPORTING,
    SUCCESSION,
    TABLE,
    YOUR_DATA,
    PanelContext,
)

__all__ = ["Tab", "TABS", "rerun_after_selection"]


@dataclass(frozen=True)
class Tab:
    """A tab of the explorer and the panel it draws when open."""

    name: str
    render: Callable[[PanelContext], None]
    #: Whether the panel shows the selected role, so that a new selection
    #: redraws it (and the whole page) too.
    follows_selection: bool = False


TABS: tuple[Tab, ...] = (
    Tab(COMPARE, compare_panel),
    Tab(PLAN, planner_panel),
    Tab(PEOPLE, people_panel),
    Tab(SUCCESSION, succession_panel, follows_selection=True),
    Tab(REPORTING, reporting_panel, follows_selection=True),
    Tab(TABLE, table_panel, follows_selection=True),
    Tab(YOUR_DATA, your_data_panel),
)


def rerun_after_selection() -> None:
    """From the callback of a widget in the explorer fragment that changed the
    selected role (or what the graph shows of it): the fragment's own rerun
    redraws what shows it, unless the open tab shows it too; then the whole
    page reruns (:mod:`ui.fragments`)."""
    open_tab = next(tab for tab in TABS if tab.name == st.session_state["tab"])
    if open_tab.follows_selection:
        st.rerun()
