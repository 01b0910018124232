"""Saving an upload or an edit as a new version, for the panels that offer it.

The outcome lands in session state (``data_saved``, ``data_report``,
``data_conflict``, ``data_error``), and the Your data panel shows it.
"""

from __future__ import annotations

import streamlit as st

from graph import InvalidData, ValidationReport
from graph.workspace import VersionConflict, WorkspaceError
from ui.catalogues import open_saved
from ui.data import AppOptions, workspace

__all__ = ["save_version", "reject"]


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
    for key in ("data_report", "data_conflict", "data_error"):
        state.pop(key, None)
    try:
        info = workspace(options.db).save(
            name,
            roles,
            edges,
            note=note,
            based_on=based_on,
            file_names=dict(file_names),
        )
    except InvalidData as error:
        reject(error.report, what)
    except VersionConflict as error:
        state["data_conflict"] = (str(error), name, based_on, error.latest.number)
    except WorkspaceError as error:
        state["data_error"] = f"{what} not saved: {error}"
    else:
        open_saved(info.catalogue, info.number)
        state["data_saved"] = (
            f"Saved {info.catalogue!r} version {info.number}: {info.changes_text}."
        )
