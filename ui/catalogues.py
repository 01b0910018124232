"""Which catalogue a session looks at: the read-only folder the app was started
on, or a version saved in the workspace; and switching between them."""

from __future__ import annotations

import streamlit as st

from graph.text import escape_markdown as md
from graph.workspace import WorkspaceError
from ui.data import AppOptions, Catalogue, load_catalogue, load_saved, workspace

__all__ = [
    "CATALOGUE_KEYS",
    "current_catalogue",
    "open_saved",
    "open_folder",
    "catalogue_params",
    "catalogue_picker",
]

#: The session's choice: a saved catalogue's name (``None``: the folder) and
#: the version open. Declared here, once; the URL carries both.
CATALOGUE_KEYS = ("catalogue_name", "catalogue_version")


def open_saved(name: str, version: int) -> None:
    """Callback: look at version ``version`` of saved catalogue ``name``."""
    st.session_state["catalogue_name"] = name
    st.session_state["catalogue_version"] = version


def open_folder() -> None:
    """Callback: look at the read-only folder catalogue again."""
    st.session_state["catalogue_name"] = None
    st.session_state["catalogue_version"] = None


def _link_problem(text: str) -> None:
    st.session_state.setdefault("link_problems", []).append(text)


def _read_link(options: AppOptions) -> None:
    """A session's first run: open what the URL names, or say why not."""
    state = st.session_state
    open_folder()
    name = st.query_params.get("catalogue")
    if not name:
        return
    try:
        versions = workspace(options.db).versions(name)
    except WorkspaceError:
        _link_problem(
            f"catalogue: there is no saved catalogue {name!r} in this workspace "
            "(it may have been deleted); showing the bundled catalogue"
        )
        return
    wanted = st.query_params.get("version")
    numbers = [v.number for v in versions]
    if wanted is not None and (not wanted.isdigit() or int(wanted) not in numbers):
        _link_problem(
            f"version: {name!r} has no version {wanted!r}; showing its latest, "
            f"version {numbers[-1]}"
        )
        wanted = None
    state["catalogue_name"] = name
    state["catalogue_version"] = int(wanted) if wanted else numbers[-1]


def current_catalogue(options: AppOptions) -> Catalogue:
    """The catalogue this session looks at (its first run reads the URL).

    Raises :class:`graph.InvalidData` when the folder's data has errors.
    """
    state = st.session_state
    if CATALOGUE_KEYS[0] not in state:
        _read_link(options)
    name, version = state["catalogue_name"], state["catalogue_version"]
    if name is not None:
        try:
            return load_saved(options.db, name, version)
        except WorkspaceError as error:
            _link_problem(f"catalogue: {error}")
            open_folder()
    return load_catalogue(options.data)


def catalogue_params(cat: Catalogue) -> dict[str, str]:
    """The URL parameters that name the catalogue in use."""
    if cat.saved is None:
        return {}
    return {"catalogue": cat.saved.catalogue, "version": str(cat.saved.number)}


def catalogue_picker(options: AppOptions, cat: Catalogue) -> None:
    """Sidebar: choose the folder's catalogue or a saved one (its latest version)."""
    ws = workspace(options.db)
    saved = {c.name: c.latest.number for c in ws.catalogues()}
    # "" stands for the folder (a saved name is never empty); a selectbox
    # would show None as "nothing chosen".
    names = ["", *saved]
    current = cat.saved.catalogue if cat.saved else ""
    if current not in names:  # deleted by someone else meanwhile
        names.append(current)
    folder_label = f"{options.data.name} (bundled, read-only)"

    def choose() -> None:
        chosen = st.session_state["catalogue_choice"]
        if not chosen:
            open_folder()
        else:
            open_saved(chosen, saved.get(chosen, 1))

    st.session_state["catalogue_choice"] = current
    st.selectbox(
        "Catalogue",
        names,
        key="catalogue_choice",
        format_func=lambda name: name or folder_label,
        on_change=choose,
    )
    st.caption(f"Workspace: {md(ws.display_name)}")
