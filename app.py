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

compare_tab, plan_tab, reporting_tab, table_tab, data_tab = st.tabs(
    TABS, key="tab", on_change="rerun"
)
with compare_tab:
    views.compare_panel(catalogue)
with plan_tab:
    views.planner_panel(catalogue, paths)
with reporting_tab:
    views.reporting_panel(catalogue)
with table_tab:
    views.table_panel(catalogue, view)
with data_tab:
    your_data_panel(catalogue)

sync_url()
