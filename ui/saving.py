"""Saving an upload or an edit as a new version, for the panels that offer it.

The outcome lands in session state (``data_saved``, ``data_report``,
``data_conflict``, ``data_error``), and the Your data panel shows it.
"""

from __future__ import annotations

import streamlit as st

from graph import ValidationReport
from graph.workspace import VersionConflict, WorkspaceError
from graph.workspace.guarded import (
    CheckTooSlow,
    RejectedSave,
    SaveRequest,
    save_within,
)
from ui.catalogues import open_saved
from ui.data import AppOptions

__all__ = ["save_version", "reject", "save_without_bad_rows"]


def reject(report: ValidationReport, what: str) -> None:
    """Keep the data in use; show ``report`` for ``what``."""
    st.session_state["data_report"] = (what, report)


def save_version(
    options: AppOptions,
    what: str,
    name: str,
    roles: bytes,
    edges: bytes,
    *,
    note: str,
    based_on: int | None,
    file_names: tuple = (),
) -> None:
    """Check and save a new version, then open it; or keep everything as it is
    and say why (the report, a conflict, a bad name). ``what`` names the action
    in messages ("Upload", "Edits")."""
    state = st.session_state
    for key in (
        "data_report",
        "data_conflict",
        "data_error",
        "data_retry",
        "data_skipped",
    ):
        state.pop(key, None)
    request = SaveRequest(
        options.db,
        name,
        roles,
        edges,
        note=note,
        based_on=based_on,
        file_names=dict(file_names),
        limits=options.limits,
        cache=options.cache,
    )
    try:
        info = save_within(request, options.check_seconds)
    except RejectedSave as error:
        reject(error.report, what)
        if error.without_bad_rows is not None:
            kept_roles, kept_edges, skipped = error.without_bad_rows
            state["data_retry"] = (
                what,
                name,
                kept_roles.encode(),
                kept_edges.encode(),
                f"{note}; left out {len(skipped)} row(s) with errors",
                based_on,
                skipped,
            )
    except VersionConflict as error:
        state["data_conflict"] = (str(error), name, based_on, error.latest.number)
    except (WorkspaceError, CheckTooSlow) as error:
        state["data_error"] = f"{what} not saved: {error}"
    else:
        open_saved(info.catalogue, info.number)
        state["data_saved"] = (
            f"Saved {info.catalogue!r} version {info.number}: {info.changes_text}."
        )


def save_without_bad_rows(options) -> None:
    """Callback: save the last rejected files without their rows with errors;
    the rows left out stay listed (``data_skipped``) for download."""
    state = st.session_state
    what, name, roles, edges, note, based_on, skipped = state.pop("data_retry")
    save_version(options, what, name, roles, edges, note=note, based_on=based_on)
    if "data_saved" in state:
        state["data_skipped"] = skipped
