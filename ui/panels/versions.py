"""The versions of the saved catalogue in use: list, compare, open, restore,
download, delete; and what a refused (conflicting) save shows."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from graph.export import catalogue_csv
from graph.loading import load_sources
from graph.schema import EDGES_FILE, ROLES_FILE
from graph.text import escape_markdown as md
from graph.text import safe_file_name
from graph.workspace import Changes, VersionConflict, VersionInfo, WorkspaceError
from ui.catalogues import open_folder, open_saved
from ui.data import AppOptions, workspace
from ui.tabs import PanelContext

__all__ = ["versions_section", "conflict_notice", "changes_tables"]


def changes_tables(changes: Changes) -> None:
    """The roles and relations a change touched, as two tables."""
    roles = (
        [("added", r, "") for r in changes.roles_added]
        + [("removed", r, "") for r in changes.roles_removed]
        + [("changed", r, ", ".join(f)) for r, f in changes.roles_changed.items()]
    )
    relations = (
        [("added", *r, "") for r in changes.relations_added]
        + [("removed", *r, "") for r in changes.relations_removed]
        + [("changed", *r, ", ".join(f)) for r, f in changes.relations_changed.items()]
    )
    if not roles and not relations:
        st.caption("No differences.")
        return
    if roles:
        st.dataframe(
            pd.DataFrame(roles, columns=["Change", "Role id", "Fields"]),
            hide_index=True,
            width="stretch",
            key="diff_roles",
        )
    if relations:
        st.dataframe(
            pd.DataFrame(
                relations, columns=["Change", "From", "To", "Relation", "Fields"]
            ),
            hide_index=True,
            width="stretch",
            key="diff_relations",
        )


def conflict_notice(
    options: AppOptions, message: str, name: str, based_on: int, latest: int
) -> None:
    """A save refused because another version came first: say so, show what
    that version changed, offer to open it."""
    st.error(message)
    st.markdown(f"**What changed from version {based_on} to {latest}:**")
    changes_tables(workspace(options.db).diff(name, based_on, latest))
    st.button(
        f"Open version {latest} (your unsaved edits are dropped)",
        key="conflict-open",
        on_click=_open_after_conflict,
        args=(name, latest),
    )


def _open_after_conflict(name: str, number: int) -> None:
    st.session_state.pop("data_conflict", None)
    open_saved(name, number)


def _version_label(info: VersionInfo) -> str:
    when = info.created_at.strftime("%Y-%m-%d %H:%M")
    return f"Version {info.number} ({when})" + (f": {info.note}" if info.note else "")


def _restore(options: AppOptions, name: str, number: int, based_on: int) -> None:
    state = st.session_state
    try:
        info = workspace(options.db).restore(name, number, based_on=based_on)
    except VersionConflict as error:
        state["data_conflict"] = (str(error), name, based_on, error.latest.number)
        return
    except WorkspaceError as error:
        state["data_error"] = f"Not restored: {error}"
        return
    open_saved(name, info.number)
    state["data_saved"] = (
        f"Restored version {number} of {name!r} as version {info.number}."
    )


def _delete(options: AppOptions, name: str) -> None:
    try:
        count = workspace(options.db).delete(name)
    except WorkspaceError as error:  # deleted by someone else meanwhile
        st.session_state["data_error"] = f"Not deleted: {error}"
        return
    open_folder()
    st.session_state["data_saved"] = f"Deleted {name!r} and its {count} version(s)."


def _version_csv(db: str | None, name: str, number: int, file: str) -> str:
    """One file of a saved version, as the Download step writes it: made when
    its button is clicked, not on every run that draws the button (that
    validated and built the whole version each time)."""
    saved = workspace(db).load(name, number)
    G, _ = load_sources(saved.roles_csv, saved.edges_csv)
    return catalogue_csv(G, file)


def _version_downloads(options: AppOptions, name: str, number: int) -> None:
    stem = safe_file_name(f"{name}-v{number}")
    for column, file in zip(st.columns(2), (ROLES_FILE, EDGES_FILE), strict=True):
        column.download_button(
            f"Version {number}: {file}",
            partial(_version_csv, options.db, name, number, file),
            f"{stem}-{file}",
            "text/csv",
            key=f"version-download-{file}",
            on_click="ignore",
        )


def versions_section(ctx: PanelContext) -> None:
    """Only for a saved catalogue: its versions and what can be done with them."""
    cat, options = ctx.catalogue, ctx.options
    if cat.saved is None:
        return
    name, open_number = cat.saved.catalogue, cat.saved.number
    versions = workspace(options.db).versions(name)
    by_number = {v.number: v for v in versions}
    latest = versions[-1]
    st.markdown(f"#### Versions of {md(name)}")
    if latest.number > open_number:
        st.warning(
            f"A newer version exists: {md(_version_label(latest))}. Saving from "
            f"version {open_number} would be refused."
        )
        st.button(
            f"Open version {latest.number}",
            key="open-latest",
            on_click=open_saved,
            args=(name, latest.number),
        )
    st.dataframe(
        pd.DataFrame(
            {
                "Version": [v.number for v in versions],
                "Open": ["●" if v.number == open_number else "" for v in versions],
                "Saved (UTC)": [
                    v.created_at.strftime("%Y-%m-%d %H:%M") for v in versions
                ],
                "Note": [v.note for v in versions],
                "What changed": [v.changes_text for v in versions],
                "Roles": [v.role_count for v in versions],
                "Relations": [v.relation_count for v in versions],
            }
        ).iloc[::-1],
        hide_index=True,
        width="stretch",
        key="versions_table",
    )
    numbers = list(reversed(by_number))
    pick, compare_with = st.columns(2)
    chosen = pick.selectbox(
        "Version",
        numbers,
        index=numbers.index(open_number),
        format_func=lambda n: _version_label(by_number[n]),
        # keyed by the open version too: opening another one starts from it
        key=f"version_pick_{name}_{open_number}",
    )
    # the version before the chosen one; for the oldest, the one after it
    position = numbers.index(chosen)
    other = compare_with.selectbox(
        "Compare it with",
        numbers,
        index=position + 1 if position + 1 < len(numbers) else max(position - 1, 0),
        format_func=lambda n: _version_label(by_number[n]),
        key=f"version_other_{name}_{open_number}",
    )
    actions = st.columns(3)
    actions[0].button(
        f"Open version {chosen}",
        key="version-open",
        on_click=open_saved,
        args=(name, chosen),
        disabled=chosen == open_number,
    )
    actions[1].button(
        f"Restore version {chosen} as the newest",
        key="version-restore",
        on_click=_restore,
        args=(options, name, chosen, latest.number),
        disabled=chosen == latest.number,
        help="Adds a new version with this content; nothing is overwritten.",
    )
    if chosen != other:
        old, new = sorted((chosen, other))
        st.markdown(f"**From version {old} to version {new}:**")
        changes_tables(workspace(options.db).diff(name, old, new))
    _version_downloads(options, name, chosen)
    with st.expander(f"Delete {md(name)}"):
        confirmed = st.checkbox(
            f"Yes, delete {md(name)} and all {len(versions)} of its versions for good",
            key=f"confirm_delete_{name}",
        )
        st.button(
            "Delete catalogue",
            key="catalogue-delete",
            on_click=_delete,
            args=(options, name),
            disabled=not confirmed,
            type="primary",
        )
