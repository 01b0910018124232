"""The clickable graph: a Streamlit custom component (v2) around vis-network.

The script is vis-network as shipped inside the pyvis package, then the edge
routes' drawing shared with the HTML export (``graph/templates/routes.js``),
then our module (``career_graph.js``). The component is installed
(``ui/graph_component``, a requirement), so Streamlit serves that script and
the style sheet from the package's asset folder as files the browser caches,
instead of sending 570 KB of script inside every rerun's message. The bundle
is written there when it is missing or out of date; where the folder cannot
be written, the script goes inline as before.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path

import pyvis
import streamlit as st
from career_graph_component import ASSETS

from graph.render import ROUTES_JS

__all__ = [
    "NARROW_PX",
    "career_graph",
    "clicked_role",
    "history_move",
    "reported",
    "reported_narrow",
    "script_bundle",
]

#: A graph narrower than this (CSS px) is on a phone: rows of two boxes.
NARROW_PX = 520

_HERE = Path(__file__).resolve().parent
_VIS_JS = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"
_SCRIPTS = (_VIS_JS, ROUTES_JS, _HERE / "career_graph.js")
_BUNDLE = "career_graph.bundle.js"
_STYLE = "career_graph.css"
_log = logging.getLogger(__name__)


def script_bundle() -> str:
    """The component's whole script: vis-network, the routes, our module."""
    return "\n".join(path.read_text(encoding="utf-8") for path in _SCRIPTS)


def _served_bundle() -> str:
    """The bundle as a file of the asset folder (its name, for Streamlit to
    serve), or the script itself where the folder cannot be written."""
    script = script_bundle()
    target = ASSETS / _BUNDLE
    try:
        if not target.exists() or target.read_text(encoding="utf-8") != script:
            partial = target.with_suffix(".tmp")
            partial.write_text(script, encoding="utf-8")
            partial.replace(target)  # whole or not at all, for a server reading it
    except OSError as error:
        _log.warning("Graph script sent inline: cannot write %s (%s)", target, error)
        return script
    return _BUNDLE


@functools.cache
def _component():
    """The component, registered on first use: Streamlit finds installed
    components' asset folders when its runtime starts, not at import."""
    return st.components.v2.component(
        "career-graph-component.career_graph", js=_served_bundle(), css=_STYLE
    )


def career_graph(
    payload: dict,
    *,
    key: str,
    selected: str | None,
    legend: dict,
    on_select: Callable[[], None],
    height: int = 560,
    max_height: int = 760,
    note: str = "",
    path: tuple[str, ...] = (),
    expose: str | None = None,
    on_history: Callable[[], None] | None = None,
    scroll_to_tabs: int = 0,
    unsaved_in_tab: str | None = None,
    narrow: bool = False,
    on_narrow: Callable[[], None] | None = None,
    export_name: str | None = None,
    dim: bool = True,
) -> None:
    """Draw ``payload`` (from :func:`graph.view_payload`) and report clicks.

    A click stores ``{"id": role, "click": n}`` under the component's
    ``selected`` state and calls ``on_select``; read it with
    :func:`clicked_role`. The roles and relations away from the selection
    are dimmed (unless ``dim`` is false); ``path`` (role ids) stays undimmed.

    With ``on_history``, Back and Forward in the browser store
    ``{"search": "?...", "n": count}`` under ``history`` (read it with
    :func:`history_move`) and call it. Raising ``scroll_to_tabs`` scrolls the
    page to the tab bar, so a result opened from the card is in view. While
    ``unsaved_in_tab`` names a tab holding unsaved edits, the browser asks
    before leaving that tab or the page.

    The canvas is ``height`` pixels tall, or up to ``max_height`` where that
    draws the layout readably. ``narrow`` (a phone) draws the whole layout
    at a readable size, as tall as it needs, and lets a swipe scroll the page
    instead of panning the graph; with ``on_narrow``, the browser stores
    whether the graph is narrower than :data:`NARROW_PX` under ``narrow``
    (read it with :func:`reported_narrow`) and calls it when that differs.
    ``expose`` names the window property that holds the vis-network
    instance, for tests. With ``export_name``, a "PNG" button saves the view as shown as
    ``{export_name}.png``.

    Only a new payload rebuilds the network in the browser; a new
    ``selected`` just moves the highlight, so zoom and pan stay.
    """
    graph_key = hashlib.sha1(
        json.dumps(payload, sort_keys=True, default=str).encode()
    ).hexdigest()
    _component()(
        key=key,
        data={
            **payload,
            "graph_key": graph_key,
            "selected": selected,
            "legend": legend,
            "height": height,
            "max_height": max_height,
            "note": note,
            "path": list(path),
            "expose": expose,
            "history": on_history is not None,
            # a count: each new value scrolls the page to the tabs once
            "scroll_to_tabs": scroll_to_tabs,
            "unsaved_in_tab": unsaved_in_tab,
            "narrow": narrow,
            "narrow_px": NARROW_PX if on_narrow else None,
            "export_name": export_name,
            "dim": dim,
        },
        on_selected_change=on_select,
        **({"on_history_change": on_history} if on_history else {}),
        **({"on_narrow_change": on_narrow} if on_narrow else {}),
    )


def reported(key: str, name: str) -> object:
    """What the browser last stored under ``name`` in the state of the
    component (this one or another v2 component) stored under ``key``
    (None before it stored anything)."""
    state = st.session_state.get(key) or {}
    return state.get(name) if hasattr(state, "get") else None


def clicked_role(key: str) -> str | None:
    """The role id last clicked in the component stored under ``key``."""
    click = reported(key, "selected")
    return click.get("id") if isinstance(click, dict) else None


def reported_narrow(key: str) -> bool | None:
    """Whether the browser found the graph stored under ``key`` narrower than
    :data:`NARROW_PX` (None before it said)."""
    narrow = reported(key, "narrow")
    return narrow if isinstance(narrow, bool) else None


def history_move(key: str) -> str | None:
    """The address (``?...``) the browser moved to with Back or Forward, as
    reported by the component stored under ``key``."""
    move = reported(key, "history")
    return move.get("search") if isinstance(move, dict) else None
