"""Career-path explorer: ``streamlit run app.py [-- --data DIR] [--db URL]``."""

from __future__ import annotations

import sys

import streamlit as st

from graph import InvalidData
from graph.text import escape_markdown as md
from ui.catalogues import catalogue_params, current_catalogue, current_folder
from ui.data import app_options
from ui.fragments import end_whole_run, reconnect_guard, start_whole_run
from ui.memory import note_activity
from ui.panels import TABS
from ui.panels.explorer import current_view, explorer
from ui.panels.planner import highlighted_path, planned_paths
from ui.panels.sidebar import sidebar
from ui.panels.your_data import data_problems, empty_catalogue
from ui.state import init_state, sync_url
from ui.tabs import PanelContext
from ui.widgets import page_style, skipped_rows

note_activity()  # the server collects garbage only once runs stop
st.set_page_config(page_title="Career paths", layout="wide")
page_style()

try:
    options = app_options(sys.argv[1:])
except ValueError as error:  # a budget variable set to something not a number
    st.error(f"The app's settings are wrong: {md(error)}")
    st.stop()
try:
    catalogue = current_catalogue(options)
except InvalidData as error:
    data_problems(current_folder(options), error.report)
    st.stop()
if not len(catalogue.G):
    empty_catalogue(options, catalogue)
    st.stop()

start_whole_run()
init_state(catalogue)
for problem in st.session_state.pop("link_problems", []):
    st.warning(f"Link not understood, {md(problem)}")
if catalogue.skipped:
    skipped_rows(catalogue.skipped, "catalogue-skipped")
picker_slot = sidebar(catalogue, options)
paths = planned_paths(catalogue)
highlighted = highlighted_path(paths)
explorer(catalogue, highlighted, picker_slot, catalogue_params(catalogue))
reconnect_guard()

# Only the open tab is drawn: each tab's content costs a rerun's time and, for
# the org view, a second graph in the browser.
context = PanelContext(catalogue, options, current_view(catalogue, highlighted), paths)
open_tab = st.session_state["tab"]
containers = st.tabs([tab.name for tab in TABS], key="tab", on_change="rerun")
for tab, container in zip(TABS, containers, strict=True):
    if tab.name == open_tab:
        with container:
            tab.render(context)

sync_url(catalogue_params(catalogue))
end_whole_run()
