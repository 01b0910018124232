"""Session state: defaults, deep links in, and the URL following the user out."""

from __future__ import annotations

import streamlit as st

from graph import RoleNotFound, find_role
from graph.schema import EDGE_TYPES
from ui.data import Catalogue

__all__ = [
    "TABS",
    "init_state",
    "select_role",
    "open_tab",
    "sync_url",
    "edge_toggle_key",
]

TABS = ("Compare", "Plan a path", "Reporting line", "Table view", "Your data")
#: Keys whose values only make sense for one catalogue.
_PER_CATALOGUE = (
    "role",
    "families",
    "levels",
    "compare_a",
    "compare_b",
    "path_from",
    "path_to",
    "path_choice",
)


def edge_toggle_key(edge_type: str) -> str:
    return f"show_{edge_type}"


def _resolve(cat: Catalogue, text: str, where: str) -> str | None:
    try:
        return find_role(cat.G, text)
    except RoleNotFound as error:
        st.session_state.setdefault("link_problems", []).append(f"{where}: {error}")
        return None


def init_state(cat: Catalogue) -> None:
    """Give every key a value; on a session's first run, read the deep link."""
    first_run = "catalogue" not in st.session_state
    if st.session_state.get("catalogue") != cat.token:
        for key in _PER_CATALOGUE:
            st.session_state.pop(key, None)
        st.session_state["catalogue"] = cat.token
    st.session_state.setdefault("role", cat.default_role)
    st.session_state.setdefault("families", [])
    st.session_state.setdefault("levels", (cat.min_level, cat.max_level))
    for edge_type in EDGE_TYPES:
        st.session_state.setdefault(edge_toggle_key(edge_type), True)
    st.session_state.setdefault("depth", 1)
    st.session_state.setdefault("neighbourhood", False)
    st.session_state.setdefault("compare_a", st.session_state["role"])
    st.session_state.setdefault("compare_b", None)
    st.session_state.setdefault("path_from", st.session_state["role"])
    st.session_state.setdefault("path_to", None)
    st.session_state.setdefault("path_k", 5)
    st.session_state.setdefault("path_choice", 1)
    st.session_state.setdefault("tab", TABS[0])
    if first_run:
        _read_deep_link(cat)
    if st.session_state["role"] is None:  # the picker was cleared
        st.session_state["role"] = cat.default_role


def _read_deep_link(cat: Catalogue) -> None:
    params = st.query_params
    if "role" in params and (role := _resolve(cat, params["role"], "role")):
        st.session_state["role"] = role
        st.session_state["compare_a"] = role
        st.session_state["path_from"] = role
    if "from" in params and "to" in params:
        source = _resolve(cat, params["from"], "from")
        target = _resolve(cat, params["to"], "to")
        if source and target:
            st.session_state["path_from"], st.session_state["path_to"] = source, target
            st.session_state["tab"] = "Plan a path"
            if "role" not in params:
                st.session_state["role"] = source
    if "compare" in params:
        names = params["compare"].split(",")
        if len(names) != 2:
            st.session_state.setdefault("link_problems", []).append(
                "compare: give two roles separated by a comma, e.g. ?compare=a,b"
            )
        else:
            a, b = (_resolve(cat, name.strip(), "compare") for name in names)
            if a and b:
                st.session_state["compare_a"], st.session_state["compare_b"] = a, b
                st.session_state["tab"] = "Compare"


def select_role(role: str) -> None:
    """Callback: make ``role`` the selected role everywhere."""
    st.session_state["role"] = role


def open_tab(tab: str, **values: object) -> None:
    """Callback: switch to ``tab`` after setting ``values`` in session state."""
    st.session_state.update(values)
    st.session_state["tab"] = tab


def sync_url() -> None:
    """Make the URL describe the current view, so it can be shared."""
    state = st.session_state
    wanted = {"role": state["role"]}
    if state["path_from"] and state["path_to"]:
        wanted["from"], wanted["to"] = state["path_from"], state["path_to"]
    if state["compare_a"] and state["compare_b"]:
        wanted["compare"] = f"{state['compare_a']},{state['compare_b']}"
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
