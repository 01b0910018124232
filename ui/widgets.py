"""Pieces several panels share: the clickable graph's legend and click
handling, the page's style."""

from __future__ import annotations

from urllib.parse import parse_qsl

import streamlit as st

from graph import RELATION_TYPES
from graph.export import safe_csv
from graph.loading import skipped_frame
from graph.render import MORE_PREFIX, ROW_LENGTH
from ui.catalogues import open_folder, open_saved
from ui.component import clicked_role, history_move, reported_narrow
from ui.data import Catalogue
from ui.state import expand_role, select_role

__all__ = [
    "page_style",
    "skip_link",
    "role_card_anchor",
    "graph_legend",
    "on_graph_click",
    "on_history_move",
    "on_narrow_change",
    "row_length",
    "skipped_rows",
]


def graph_legend(cat: Catalogue, payload: dict, edge_types: tuple[str, ...]) -> dict:
    """Colours and shapes of the families the payload shows, and the relation
    line styles."""
    shown = sorted({node["family"] for node in payload["nodes"] if "family" in node})
    return {
        "families": [[family, *cat.colours[family]] for family in shown],
        "edges": [
            [
                t,
                RELATION_TYPES[t].label,
                RELATION_TYPES[t].legend_dashes,
                RELATION_TYPES[t].colour,
            ]
            for t in edge_types
        ],
        "inferred": any(edge.get("inferred") for edge in payload["edges"]),
    }


def on_graph_click(key: str, cat: Catalogue, expanded_key: str = "expanded") -> None:
    """Callback of a graph component: select the clicked role, or show more
    relations of the role whose "+N more" node was clicked (the graph keeps
    its opened roles under ``expanded_key``)."""
    role = clicked_role(key)
    if role in cat.G:
        select_role(role)
    elif role and role.startswith(MORE_PREFIX) and role[len(MORE_PREFIX) :] in cat.G:
        expand_role(role[len(MORE_PREFIX) :], expanded_key)


#: Boxes side by side in a row of the graph on a phone.
NARROW_ROW_LENGTH = 2


def row_length() -> int:
    """How many boxes a row of the graph holds: fewer on a phone, so that
    labels stay readable without zooming."""
    return NARROW_ROW_LENGTH if st.session_state["narrow"] else ROW_LENGTH


def on_narrow_change(key: str) -> None:
    """Callback of the main graph: the browser found it as narrow as a phone's
    (or no longer)."""
    narrow = reported_narrow(key)
    if narrow is not None:
        st.session_state["narrow"] = narrow


def on_history_move(key: str) -> None:
    """Callback of the main graph: the browser went Back or Forward, so show
    the view (and the catalogue) that address names."""
    search = history_move(key)
    if search is None:
        return
    params = dict(parse_qsl(search.lstrip("?")))
    if params.get("catalogue"):
        version = params.get("version", "")
        open_saved(params["catalogue"], int(version) if version.isdigit() else 1)
    else:
        open_folder(params.get("data", ""))
    # the address shown is this one already: the run that replays it must
    # not write it again as a new history entry
    st.session_state["url_shown"] = params
    st.session_state["pending_link"] = params


def skipped_rows(skipped, key: str) -> None:
    """Rows left out by lenient loading: how many, each one, and a download."""
    st.warning(
        f"{len(skipped)} row(s) with errors were left out; everything else is "
        "loaded. Fix them in your files and load again to bring them back."
    )
    table = skipped_frame(list(skipped))
    with st.expander("Rows left out"):
        st.dataframe(table, hide_index=True, width="stretch", key=f"{key}-table")
    st.download_button(
        "Download the rows left out (CSV)",
        data=safe_csv(table),
        file_name="rows-left-out.csv",
        mime="text/csv",
        key=f"{key}-download",
    )


#: The app's own style rules:
#: - text from the data may hold words wider than any column: they wrap
#:   anywhere rather than push the layout sideways;
#: - captions darker than Streamlit's faded text (2.7:1 on white; WCAG AA
#:   asks 4.5:1), at 6.4:1;
#: - the tab bar wraps onto a second line instead of scrolling out of sight
#:   on a phone;
#: - on a phone the role card comes before the graph;
#: - the skip link stays out of sight until it has the keyboard focus.
_PAGE_STYLE = """<style>
[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"],
[data-testid="stAlertContentInfo"] { overflow-wrap: anywhere; }
[data-testid="stCaptionContainer"] { opacity: 1; color: #5f5e5c; }
[data-testid="stTabs"] [role="tablist"] { flex-wrap: wrap; row-gap: 4px; }
@media (max-width: 640px) {
  .st-key-explorer [data-testid="stHorizontalBlock"] { flex-direction: column; }
  .st-key-explorer [data-testid="stColumn"]:last-child { order: -1; }
  .st-key-explorer [data-testid="stColumn"] [data-testid="stColumn"] { order: 0; }
}
.skip-link { position: absolute; left: -10000px; }
.skip-link:focus { position: static; display: inline-block; padding: 4px 8px;
  outline: 2px solid #0072B2; background: #fff; color: #0b4f8a; }
</style>"""

#: Where the skip link leads: the top of the role card, focusable so that
#: the keyboard goes on from there.
ROLE_CARD_ANCHOR = "role-details"


def page_style() -> None:
    """The app's few style rules (a style-only ``st.html`` draws nothing)."""
    st.html(_PAGE_STYLE)


def skip_link() -> None:
    """A link past the sidebar's controls to the role card, for the keyboard."""
    st.html(
        f'<a class="skip-link" href="#{ROLE_CARD_ANCHOR}">Skip to the role details</a>'
    )


def role_card_anchor() -> None:
    """The place :func:`skip_link` leads to."""
    st.html(f'<span id="{ROLE_CARD_ANCHOR}" tabindex="-1"></span>')
