"""Session state: one registry of keys and defaults, deep links in, and the URL
following the user out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from urllib.parse import unquote

import streamlit as st

from graph import RELATION_TYPES, RoleNotFound, find_role
from graph.paths import MAX_MOVES_LIMIT
from graph.queries import MAX_PATH_MOVES
from ui.data import Catalogue
from ui.tabs import COMPARE, PLAN, TAB_SLUGS

#: How many levels of the team below the org view shows at first.
ORG_DEPTH = 2

__all__ = [
    "ORG_DEPTH",
    "STATE_KEYS",
    "init_state",
    "apply_link",
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
    # the org view: levels shown below the role, and branches opened by hand
    # (a role once per "+N more" click)
    _Key("org_depth", lambda cat, state: ORG_DEPTH),
    _Key("org_expanded", lambda cat, state: [], per_catalogue=True),
    _Key("compare_a", lambda cat, state: state["role"], per_catalogue=True),
    _Key("compare_b", lambda cat, state: None, per_catalogue=True),
    _Key("path_from", lambda cat, state: state["role"], per_catalogue=True),
    _Key("path_to", lambda cat, state: None, per_catalogue=True),
    _Key("path_k", lambda cat, state: 5),
    _Key("path_step_down", lambda cat, state: False),
    _Key("path_max_moves", lambda cat, state: MAX_PATH_MOVES),
    _Key("path_choice", lambda cat, state: 1, per_catalogue=True),
    _Key("tab", lambda cat, state: COMPARE),
    # the browser's word: the graph is as narrow as a phone's
    _Key("narrow", lambda cat, state: False),
)


def _resolve(cat: Catalogue, text: str, where: str) -> str | None:
    try:
        return find_role(cat.G, text)
    except RoleNotFound as error:
        _link_problem(f"{where}: {error}")
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
        # Re-assigned every run: Streamlit forgets a widget's value in a run
        # that does not draw the widget (a closed tab), and a tab switch must
        # not lose the Compare pair or the planner's ends.
        state[key.name] = (
            state[key.name] if key.name in state else key.default(cat, state)
        )
    if first_run:
        apply_link(cat, st.query_params.to_dict())
    elif (replayed := state.pop("pending_link", None)) is not None:
        apply_link(cat, replayed, replay=True)
    if state["role"] is None:  # the picker was cleared
        state["role"] = cat.default_role


#: The keys a link sets; a link that leaves one out means its default.
_VIEW_KEYS = (
    "role",
    "compare_a",
    "compare_b",
    "path_from",
    "path_to",
    "path_choice",
    "path_max_moves",
    "tab",
)


def apply_link(
    cat: Catalogue, params: Mapping[str, str], *, replay: bool = False
) -> None:
    """Show what a link names: ``role``, ``compare=a,b``, ``from`` and ``to``,
    ``option``, ``moves`` (the planner's move limit) and ``tab``. With
    ``replay`` (Back or Forward), what the link leaves out goes back to its
    default, so the view is the one the link was written for."""
    state = st.session_state
    if replay:
        for key in STATE_KEYS:  # in order: a default may read the keys above
            if key.name in _VIEW_KEYS:
                state[key.name] = key.default(cat, state)
    params = _within_budget(params)
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
            _link_problem(
                "compare: give two roles separated by a comma, e.g. ?compare=a,b"
            )
        else:
            a, b = (_resolve(cat, unquote(name.strip()), "compare") for name in names)
            if a and b:
                state.update(compare_a=a, compare_b=b, tab=COMPARE)
    if "option" in params:
        if params["option"].isdigit() and int(params["option"]) >= 1:
            state["path_choice"] = int(params["option"])
        else:
            _link_problem(f"option: {params['option']!r} is not an option number")
    if "moves" in params:
        moves = params["moves"]
        if moves.isdigit() and 1 <= int(moves) <= MAX_MOVES_LIMIT:
            state["path_max_moves"] = int(moves)
        else:
            _link_problem(
                f"moves: {moves!r} is not a number of moves from 1 to {MAX_MOVES_LIMIT}"
            )
    if "tab" in params:
        tab = next((t for t, slug in TAB_SLUGS.items() if slug == params["tab"]), None)
        if tab is None:
            _link_problem(
                f"tab: no tab {params['tab']!r}; the tabs are "
                + ", ".join(TAB_SLUGS.values())
            )
        else:
            state["tab"] = tab


#: Characters a link's value may hold; ids and titles are far shorter, and a
#: longer value would be searched for (and shown) in full.
MAX_LINK_VALUE = 500


def _within_budget(params: Mapping[str, str]) -> dict[str, str]:
    """The link's parameters, without (and reporting) values over budget."""
    kept = {}
    for name, value in params.items():
        if len(value) > MAX_LINK_VALUE:
            _link_problem(
                f"{name}: the value is {len(value):,} characters long, more than "
                f"a link may give ({MAX_LINK_VALUE})"
            )
        else:
            kept[name] = value
    return kept


def compare_param(a: str, b: str) -> str:
    """The ``compare`` value of a link: two ids joined by a comma, with commas
    (and ``%``) inside an id encoded, so any id survives the round trip.

    Examples
    --------
    >>> compare_param("ops-lead", "R&D, lab")
    'ops-lead,R&D%2C lab'
    """
    return ",".join(role.replace("%", "%25").replace(",", "%2C") for role in (a, b))


def _link_problem(text: str) -> None:
    st.session_state.setdefault("link_problems", []).append(text)


def select_role(role: str) -> None:
    """Callback: make ``role`` the selected role everywhere (a new selection
    starts from its closest relations again)."""
    if st.session_state.get("role") != role:
        st.session_state["expanded"] = []
    st.session_state["role"] = role


def expand_role(role: str, key: str = "expanded") -> None:
    """Callback: show more relations of ``role`` in the graph whose opened
    roles are kept under ``key``."""
    st.session_state[key] = [*st.session_state.get(key, []), role]


def open_tab(tab: str, **values: object) -> None:
    """Callback: switch to ``tab`` after setting ``values`` in session state,
    and bring the tab into view (the graph scrolls the page to it)."""
    st.session_state.update(values)
    st.session_state["tab"] = tab
    st.session_state["scroll_to_tabs"] = st.session_state.get("scroll_to_tabs", 0) + 1


def sync_url(catalogue_params: dict[str, str]) -> None:
    """Make the URL describe the current view (and the catalogue, as
    ``catalogue_params`` name it), so it can be reloaded and shared."""
    state = st.session_state
    wanted = {**catalogue_params, "tab": TAB_SLUGS[state["tab"]], "role": state["role"]}
    if state["path_from"] and state["path_to"]:
        wanted["from"], wanted["to"] = state["path_from"], state["path_to"]
        wanted["option"] = str(state["path_choice"])
        if state["path_max_moves"] != MAX_PATH_MOVES:
            wanted["moves"] = str(state["path_max_moves"])
    if state["compare_a"] and state["compare_b"]:
        wanted["compare"] = compare_param(state["compare_a"], state["compare_b"])
    # Compared with the address the browser shows, which after Back or
    # Forward is not the one this server wrote last.
    shown = state.get("url_shown", st.query_params.to_dict())
    if shown != wanted:
        st.query_params.from_dict(wanted)
    state["url_shown"] = wanted
