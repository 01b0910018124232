"""The names of the explorer's tabs, and what each tab's panel is given.

The list of tabs and what each draws is :data:`ui.panels.TABS`; the names live
here so that session state and deep links can open a tab without importing
the panels.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph import CareerPath, View
from ui.data import AppOptions, Catalogue

__all__ = [
    "COMPARE",
    "PLAN",
    "PEOPLE",
    "SUCCESSION",
    "REPORTING",
    "TABLE",
    "YOUR_DATA",
    "TAB_SLUGS",
    "PanelContext",
]

COMPARE = "Compare"
PLAN = "Plan a path"
PEOPLE = "People"
SUCCESSION = "Succession"
REPORTING = "Reporting line"
TABLE = "Table view"
YOUR_DATA = "Your data"
#: How the URL names each tab (``?tab=plan``).
TAB_SLUGS = {
    COMPARE: "compare",
    PLAN: "plan",
    PEOPLE: "people",
    SUCCESSION: "succession",
    REPORTING: "reporting",
    TABLE: "table",
    YOUR_DATA: "data",
}


@dataclass(frozen=True)
class PanelContext:
    """What a run of the app has worked out, for the panel of the open tab."""

    catalogue: Catalogue
    #: The app's options: the data folder and the workspace database.
    options: AppOptions
    #: The roles the graph shows.
    view: View
    #: The planner's ranked paths (empty when no plan is asked for).
    paths: list[CareerPath]
