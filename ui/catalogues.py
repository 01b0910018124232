"""Which catalogue a session looks at: the read-only folder the app was started
on, or a version saved in the workspace; and switching between them."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from graph.text import escape_markdown as md
from graph.workspace import WorkspaceError
from ui.data import (
    AppOptions,
    Catalogue,
    folder_choices,
    folder_title,
    load_catalogue,
    load_saved,
    workspace,
)

__all__ = [
    "CATALOGUE_KEYS",
    "current_catalogue",
    "open_saved",
    "open_folder",
    "catalogue_params",
    "catalogue_picker",
    "current_folder",
]

#: The session's choice: a saved catalogue's name (``None``: a read-only
#: folder), the version open, and which folder (a key of
#: :func:`ui.data.folder_choices`). Declared here, once; the URL carries them.
CATALOGUE_KEYS = ("catalogue_name", "catalogue_version", "catalogue_folder")


def open_saved(name: str, version: int) -> None:
    """Callback: look at version ``version`` of saved catalogue ``name``."""
    st.session_state["catalogue_name"] = name
    st.session_state["catalogue_version"] = version


def open_folder(folder: str = "") -> None:
    """Callback: look at a read-only folder catalogue (by default the one the
    app was started on)."""
    st.session_state["catalogue_name"] = None
    st.session_state["catalogue_version"] = None
    st.session_state["catalogue_folder"] = folder


def _link_problem(text: str) -> None:
    st.session_state.setdefault("link_problems", []).append(text)


def _read_link(options: AppOptions) -> None:
    """A session's first run: open what the URL names, or say why not."""
    state = st.session_state
    open_folder()
    folder = st.query_params.get("data")
    if folder:
        if folder in folder_choices(options):
            open_folder(folder)
        else:
            _link_problem(
                f"data: there is no bundled catalogue {folder!r}; showing "
                f"{folder_title(options.data)}"
            )
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
            return load_saved(options.db, name, version, options.cache)
        except WorkspaceError as error:
            _link_problem(f"catalogue: {error}")
            open_folder()
    return load_catalogue(
        current_folder(options),
        skip_invalid=state.get("skip_invalid", False),
        cache=options.cache,
    )


def current_folder(options: AppOptions) -> Path:
    """The read-only folder this session looks at (when no saved version)."""
    return folder_choices(options)[st.session_state.get("catalogue_folder", "")]


def catalogue_params(cat: Catalogue) -> dict[str, str]:
    """The URL parameters that name the catalogue in use."""
    if cat.saved is not None:
        return {"catalogue": cat.saved.catalogue, "version": str(cat.saved.number)}
    folder = st.session_state.get("catalogue_folder")
    return {"data": folder} if folder else {}


def catalogue_picker(options: AppOptions, cat: Catalogue) -> None:
    """Sidebar: choose a read-only catalogue (the bundled ones, or the folder
    the app was started on) or a saved one (its latest version)."""
    ws = workspace(options.db)
    folders = folder_choices(options)
    saved = {c.name: c.latest.number for c in ws.catalogues()}
    # Choices are "folder:KEY" and "saved:NAME", so a saved catalogue may
    # carry any name, a bundled one's included.
    choices = [f"folder:{key}" for key in folders] + [f"saved:{n}" for n in saved]
    if cat.saved:
        current = f"saved:{cat.saved.catalogue}"
    else:
        current = f"folder:{st.session_state['catalogue_folder']}"
    if current not in choices:  # deleted by someone else meanwhile
        choices.append(current)

    def label(choice: str) -> str:
        kind, name = choice.split(":", 1)
        if kind == "saved":
            return f"{name} (saved)"
        return f"{folder_title(folders[name])} (bundled, read-only)"

    def choose() -> None:
        kind, name = st.session_state["catalogue_choice"].split(":", 1)
        if kind == "folder":
            open_folder(name)
        else:
            open_saved(name, saved.get(name, 1))

    st.session_state["catalogue_choice"] = current
    st.selectbox(
        "Catalogue",
        choices,
        key="catalogue_choice",
        format_func=label,
        on_change=choose,
    )
    if cat.attribution:
        st.caption(md(cat.attribution))
    st.caption(f"Workspace: {md(ws.display_name)}")
