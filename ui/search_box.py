"""The role picker: a search box that finds roles as the sidebar's search
does (ids, titles, aliases, abbreviations, word order, typos), live as the
user types.

A Streamlit custom component (v2) draws it: ``role_search.js`` in the
installed component package's asset folder, served as a file. The typed text
comes back as the component's ``query`` state; the box sits in a fragment of
its own, so each pause in typing reruns only the box, which searches and sends
back the hits. A pick sets the session-state key the picker owns, as a
``st.selectbox`` with that key would.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import streamlit as st

from graph import search_roles, suggest_roles
from ui.component import reported
from ui.data import Catalogue

__all__ = ["BROWSE_LIMIT", "HITS_SHOWN", "role_search", "search_hits"]

#: Catalogues up to this many roles list every role to browse when the box
#: is clicked; bigger ones are searched.
BROWSE_LIMIT = 60
#: How many hits the box lists.
HITS_SHOWN = 12


@functools.cache
def _component():
    """Registered on first use: Streamlit finds installed components' asset
    folders when its runtime starts, not at import."""
    return st.components.v2.component(
        "career-graph-component.role_search",
        js="role_search.js",
        css="role_search.css",
    )


@st.cache_data(max_entries=512, show_spinner=False)
def search_hits(_cat: Catalogue, token: str, query: str) -> tuple[list[str], bool]:
    """The roles a box lists for ``query`` in the catalogue ``token`` names,
    and whether they are only suggestions (nothing matched; the closest
    spellings). Cached per catalogue and query: every keystroke's rerun
    searches again otherwise."""
    found = search_roles(_cat.G, query, limit=HITS_SHOWN)
    if found:
        return found, False
    return suggest_roles(_cat.G, query)[:HITS_SHOWN], True


def _box_key(key: str) -> str:
    return f"{key}-search"


def _typed(key: str) -> str:
    query = reported(_box_key(key), "query")
    return query.get("text", "") if isinstance(query, dict) else ""


def _on_pick(cat: Catalogue, key: str, then: Callable[[], None] | None) -> None:
    """Callback: the box picked a role (or was emptied): set ``key``, then
    call ``then``, or rerun the whole page, which shows the pick."""
    choice = reported(_box_key(key), "picked")
    if not isinstance(choice, dict):
        return
    if choice.get("query"):  # Enter before the hits of the text came back
        hits, _ = search_hits(cat, cat.token, str(choice["query"]))
        role = hits[0] if hits else st.session_state.get(key)
    else:
        role = choice.get("id")
    if role is not None and role not in cat.G:
        return
    st.session_state[key] = role
    if then is not None:
        then()
    st.rerun()


def role_search(
    cat: Catalogue,
    label: str,
    key: str,
    *,
    placeholder: str,
    on_pick: Callable[[], None] | None = None,
) -> None:
    """A search box picking a role into ``st.session_state[key]``.

    ``on_pick`` runs after a pick; without it, or when it returns, the whole
    page reruns.
    """
    _search_fragment(cat, label, key, placeholder, on_pick)


@st.fragment
def _search_fragment(
    cat: Catalogue,
    label: str,
    key: str,
    placeholder: str,
    on_pick: Callable[[], None] | None,
) -> None:
    query = _typed(key)
    hits, suggested = (
        search_hits(cat, cat.token, query) if query.strip() else ([], False)
    )
    current = st.session_state.get(key)
    browse = cat.roles_by_title if len(cat.G) <= BROWSE_LIMIT else ()
    _component()(
        key=_box_key(key),
        data={
            "label": label,
            "placeholder": placeholder,
            "value_label": cat.picker_label(current) if current in cat.G else "",
            "query": query,
            "hits": [[role, cat.picker_label(role)] for role in hits],
            "suggested": suggested,
            "browse": [[role, cat.picker_label(role)] for role in browse],
        },
        on_query_change=lambda: None,  # a rerun of this fragment searches
        on_picked_change=lambda: _on_pick(cat, key, on_pick),
    )
