"""The explorer's panels, one module each, and the registry of its tabs.

:data:`TABS` is the one list of tabs: ``app.py`` draws the tab bar from it and
runs the open tab's panel from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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

__all__ = ["Tab", "TABS"]


@dataclass(frozen=True)
class Tab:
    """A tab of the explorer and the panel it draws when open."""

    name: str
    render: Callable[[PanelContext], None]


TABS: tuple[Tab, ...] = (
    Tab(COMPARE, compare_panel),
    Tab(PLAN, planner_panel),
    Tab(PEOPLE, people_panel),
    Tab(SUCCESSION, succession_panel),
    Tab(REPORTING, reporting_panel),
    Tab(TABLE, table_panel),
    Tab(YOUR_DATA, your_data_panel),
)
