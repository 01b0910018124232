"""Session state: one registry of keys and defaults, deep links in, and the URL
following the user out."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass

import streamlit as st

from graph import RELATION_TYPES, RoleNotFound, find_role
from ui.data import Catalogue
from ui.tabs import COMPARE, PLAN

__all__ = [
    "STATE_KEYS",
    "init_state",
    "select_role",
    "expand_role",
    "open_tab",
    "sync_url",
    "edge_toggle_key",
]


def edge_toggle_key(edge_type: str) -> str:
    return f"show_{edge_type}"


@dataclass(frozen=True)
class _Key:
    """A session-state key: its default, and whether it belongs to one catalogue
    (such keys are reset when the catalogue in use changes)."""

    name: str
    default: Callable[[Catalogue, MutableMapping], object]
    per_catalogue: bool = False


#: Every key the explorer keeps, in the order defaults are given (a default may
#: read keys above it).
STATE_KEYS: tuple[_Key, ...] = (
    _Key("role", lambda cat, state: cat.default_role, per_catalogue=True),
    _Key("families", lambda cat, state: [], per_catalogue=True),
    _Key(
        "levels",
        lambda cat, state: (cat.min_level, cat.max_level),
        per_catalogue=True,
    ),
    *(
        _Key(edge_toggle_key(edge_type), lambda cat, state: True)
        for edge_type in RELATION_TYPES
    ),
    _Key("depth", lambda cat, state: 1),
    # a role once per "+N more" click: the graph shows more of its relations
    _Key("expanded", lambda cat, state: [], per_catalogue=True),
    _Key("neighbourhood", lambda cat, state: False),
    _Key("compare_a", lambda cat, state: state["role"], per_catalogue=True),
    _Key("compare_b", lambda cat, state: None, per_catalogue=True),
    _Key("path_from", lambda cat, state: state["role"], per_catalogue=True),
    _Key("path_to", lambda cat, state: None, per_catalogue=True),
    _Key("path_k", lambda cat, state: 5),
    _Key("path_step_down", lambda cat, state: False),
    _Key("path_choice", lambda cat, state: 1, per_catalogue=True),
    _Key("tab", lambda cat, state: COMPARE),
)


def _resolve(cat: Catalogue, text: str, where: str) -> str | None:
    try:
        return find_role(cat.G, text)
    except RoleNotFound as error:
        st.session_state.setdefault("link_problems", []).append(f"{where}: {error}")
        return None


def init_state(cat: Catalogue) -> None:
    """Give every key a value; on a session's first run, read the deep link."""
    state = st.session_state
    first_run = "catalogue" not in state
    if state.get("catalogue") != cat.token:
        for key in STATE_KEYS:
            if key.per_catalogue:
                state.pop(key.name, None)
        state["catalogue"] = cat.token
    for key in STATE_KEYS:
        if key.name not in state:
            state[key.name] = key.default(cat, state)
    if first_run:
        _read_deep_link(cat)
    if state["role"] is None:  # the picker was cleared
        state["role"] = cat.default_role


def _read_deep_link(cat: Catalogue) -> None:
    params = st.query_params
    state = st.session_state
    if "role" in params and (role := _resolve(cat, params["role"], "role")):
        state.update(role=role, compare_a=role, path_from=role)
    if "from" in params and "to" in params:
        source = _resolve(cat, params["from"], "from")
        target = _resolve(cat, params["to"], "to")
        if source and target:
            state.update(path_from=source, path_to=target, tab=PLAN)
            if "role" not in params:
                state["role"] = source
    if "compare" in params:
        names = params["compare"].split(",")
        if len(names) != 2:
            state.setdefault("link_problems", []).append(
                "compare: give two roles separated by a comma, e.g. ?compare=a,b"
            )
        else:
            a, b = (_resolve(cat, name.strip(), "compare") for name in names)
            if a and b:
                state.update(compare_a=a, compare_b=b, tab=COMPARE)


def select_role(role: str) -> None:
    """Callback: make ``role`` the selected role everywhere (a new selection
    starts from its closest relations again)."""
    if st.session_state.get("role") != role:
        st.session_state["expanded"] = []
    st.session_state["role"] = role


def expand_role(role: str) -> None:
    """Callback: show more relations of ``role`` in the graph."""
    st.session_state["expanded"] = [*st.session_state.get("expanded", []), role]


def open_tab(tab: str, **values: object) -> None:
    """Callback: switch to ``tab`` after setting ``values`` in session state."""
    st.session_state.update(values)
    st.session_state["tab"] = tab


def sync_url(catalogue_params: dict[str, str]) -> None:
    """Make the URL describe the current view (and the catalogue, as
    ``catalogue_params`` name it), so it can be reloaded and shared."""
    state = st.session_state
    wanted = {**catalogue_params, "role": state["role"]}
    if state["path_from"] and state["path_to"]:
        wanted["from"], wanted["to"] = state["path_from"], state["path_to"]
    if state["compare_a"] and state["compare_b"]:
        wanted["compare"] = f"{state['compare_a']},{state['compare_b']}"
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
