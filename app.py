"""Career-path explorer: ``streamlit run app.py [-- --data DIR]``."""

from __future__ import annotations

import sys

import streamlit as st

from graph import InvalidData
from graph.text import escape_markdown as md
from ui import views
from ui.data import data_folder, load_catalogue, load_uploaded
from ui.state import TABS, init_state, sync_url
from ui.your_data import custom_data, your_data_panel

st.set_page_config(page_title="Career paths", layout="wide")

folder = data_folder(sys.argv[1:])
try:
    catalogue = (
        load_uploaded(*custom_data()) if custom_data() else load_catalogue(folder)
    )
except InvalidData as error:
    views.data_problems(str(folder), error.report)
    st.stop()

init_state(catalogue)
for problem in st.session_state.pop("link_problems", []):
    st.warning(f"Link not understood, {md(problem)}")
views.sidebar(catalogue)
paths = views.planned_paths(catalogue)
highlighted = views.highlighted_path(paths)
view = views.current_view(catalogue, highlighted)

graph_column, card_column = st.columns([3, 2])
with graph_column:
    views.graph_panel(catalogue, view, highlighted)
with card_column:
    views.role_card(catalogue)

# Only the open tab is drawn: each tab's content costs a rerun's time and, for
# the org view, a second graph in the browser.
panels = {
    "Compare": lambda: views.compare_panel(catalogue),
    "Plan a path": lambda: views.planner_panel(catalogue, paths),
    "Reporting line": lambda: views.reporting_panel(catalogue),
    "Table view": lambda: views.table_panel(catalogue, view),
    "Your data": lambda: your_data_panel(catalogue),
}
active_tab = st.session_state["tab"]
for name, tab in zip(TABS, st.tabs(TABS, key="tab", on_change="rerun"), strict=True):
    if name == active_tab:
        with tab:
            panels[name]()

sync_url()
