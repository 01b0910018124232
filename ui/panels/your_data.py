"""Your data: start from a template, upload, edit, keep versions, download.

Uploads and edits are saved in the workspace as versions of a named
catalogue, so they survive a reload, a restart and a crash. Each is checked
first; a bad one shows every problem with its file, row and column and
changes nothing.
"""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from graph import InvalidData, ValidationReport
from graph.export import (
    HTML_MAX_ROLES,
    catalogue_csv,
    edges_table,
    export_graph,
    roles_table,
)
from graph.loading import read_folder, without_invalid_rows
from graph.schema import EDGES_FILE, ROLES_FILE
from graph.text import escape_markdown as md
from ui.catalogues import open_folder
from ui.data import AppOptions, Catalogue, folder_title
from ui.panels.upload import upload_section
from ui.panels.versions import conflict_notice, versions_section
from ui.saving import save_version, save_without_bad_rows
from ui.tabs import PanelContext
from ui.templates import TEMPLATE_DOWNLOADS
from ui.widgets import skipped_rows

__all__ = ["your_data_panel", "data_problems", "empty_catalogue", "unsaved_edits"]

#: Above this many roles the in-app editor would be too slow to be useful.
EDITOR_MAX_ROLES = 3000


def _editor(table: pd.DataFrame, key: str) -> pd.DataFrame:
    """An editable grid of ``table``, every cell as text and empty cells as ""
    (what the CSV files hold); returns the edited table."""
    return st.data_editor(
        table.map(lambda value: "" if pd.isna(value) else str(value)),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key=key,
    )


def _editor_keys(cat: Catalogue) -> tuple[str, str]:
    return f"edit_roles_{cat.token}", f"edit_edges_{cat.token}"


def unsaved_edits(cat: Catalogue) -> bool:
    """Whether the edit grids hold changes not yet saved (a tab switch or a
    reload drops them: Streamlit forgets a grid that is not drawn)."""
    for key in _editor_keys(cat):
        delta = st.session_state.get(key)
        if isinstance(delta, dict) and any(
            delta.get(part) for part in ("edited_rows", "added_rows", "deleted_rows")
        ):
            return True
    return False


def _apply_edits(
    options: AppOptions, cat: Catalogue, roles: pd.DataFrame, edges: pd.DataFrame
) -> None:
    """Callback: check the edited tables and save them as a version."""
    state = st.session_state
    roles_csv, edges_csv = (
        table.fillna("").astype(str).to_csv(index=False).encode()
        for table in (roles, edges)
    )
    # the bundled data is read-only: its edits start a catalogue of their own
    name, based_on = (
        (state.get("edit_name") or "", None)
        if cat.saved is None
        else (cat.saved.catalogue, cat.saved.number)
    )
    note = state.get("edit_note") or "Edited in the app"
    save_version(
        options, "Edits", name, roles_csv, edges_csv, note=note, based_on=based_on
    )


def _show_outcome(options: AppOptions) -> None:
    state = st.session_state
    # the messages quote names people typed and files they chose: plain text
    if message := state.pop("data_saved", None):
        st.success(md(message))
    if message := state.get("data_error"):
        st.error(md(message))
    if "data_conflict" in state:
        conflict_notice(options, *state["data_conflict"])
    if "data_report" in state:
        what, report = state["data_report"]
        st.error(
            f"{what} not saved: {report.error_count} error(s), "
            f"{len(report.warnings)} warning(s). The data in use has not changed."
        )
        st.dataframe(
            report.to_frame(), hide_index=True, width="stretch", key="data_report_table"
        )
    if "data_retry" in state:
        *_, skipped = state["data_retry"]
        st.button(
            f"Save without the {len(skipped)} row(s) with errors",
            key="data-skip-invalid",
            on_click=save_without_bad_rows,
            args=(options,),
            help="Relations of a role left out are left out too; the rows "
            "left out can be downloaded after saving.",
        )
    if skipped := state.get("data_skipped"):
        skipped_rows(skipped, "data-skipped")


def _export_bytes(cat: Catalogue, fmt: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return export_graph(cat.G, fmt, Path(folder) / f"export.{fmt}").read_bytes()


def _exports(cat: Catalogue) -> None:
    st.markdown("#### 4. Download")
    # Each file is made only when its button is clicked (a callable as data).
    downloads = [
        (file, partial(catalogue_csv, cat.G, file), file, "text/csv")
        for file in (ROLES_FILE, EDGES_FILE)
    ]
    formats = {"graphml": "application/xml", "json": "application/json"}
    if len(cat.G) <= HTML_MAX_ROLES:
        formats["html"] = "text/html"
    downloads += [
        (
            f"Graph as {fmt.upper()}",
            partial(_export_bytes, cat, fmt),
            f"career-graph.{fmt}",
            mime,
        )
        for fmt, mime in formats.items()
    ]
    for column, (label, data, name, mime) in zip(
        st.columns(len(downloads)), downloads, strict=True
    ):
        column.download_button(
            label, data, name, mime, key=f"export-{name}", on_click="ignore"
        )
    if len(cat.G) > HTML_MAX_ROLES:
        st.caption(f"An HTML page needs at most {HTML_MAX_ROLES} roles.")
    st.caption(
        "CSV cells that a spreadsheet would run as a formula (starting with = + - @) "
        "get a leading ' so Excel shows them as text. The HTML page works offline."
    )


def _in_use(ctx: PanelContext) -> None:
    cat = ctx.catalogue
    if cat.saved is None:
        st.info(
            f"In use: {md(cat.source)}. Upload or edit below to save your own "
            "catalogue in the workspace."
        )
        return
    info = cat.saved
    when = info.created_at.strftime("%Y-%m-%d %H:%M UTC")
    note = f" — {md(info.note)}" if info.note else ""
    st.info(
        f"In use: **{md(info.catalogue)}**, version {info.number} of "
        f"{when}{note}. Saved in the workspace: it stays after a reload or restart."
    )
    st.button("Open the bundled catalogue", key="data-back", on_click=open_folder)


def _edit_section(ctx: PanelContext) -> None:
    cat = ctx.catalogue
    st.markdown("#### 3. Edit")
    if len(cat.G) > EDITOR_MAX_ROLES:
        st.caption(
            f"{len(cat.G)} roles are too many to edit here (at most "
            f"{EDITOR_MAX_ROLES}); edit the CSV files and upload them."
        )
        return
    st.caption(
        "Roles (add rows at the bottom; select rows and press Delete to remove them)"
    )
    roles_key, edges_key = _editor_keys(cat)
    roles = _editor(roles_table(cat.G), roles_key)
    st.caption("Relations")
    edges = _editor(edges_table(cat.G), edges_key)
    if unsaved_edits(cat):
        st.warning(
            "Your edits are not saved yet. Switching tab or leaving the page "
            "drops them (the browser asks first); save them below."
        )
    name_column, note_column = st.columns(2)
    if cat.saved is None:
        name_column.text_input(
            "Save as a new catalogue named",
            key="edit_name",
            placeholder="The bundled catalogue is read-only",
            max_chars=200,
        )
        label = "Check and save as a new catalogue"
    else:
        name_column.caption(
            f"Saving adds version {cat.saved.number + 1} of "
            f"{md(cat.saved.catalogue)}; version {cat.saved.number} stays."
        )
        label = f"Check and save as version {cat.saved.number + 1}"
    note_column.text_input("What changed (a short note)", key="edit_note")
    st.button(
        label,
        key="edit-apply",
        on_click=_apply_edits,
        args=(ctx.options, cat, roles, edges),
    )
    st.caption(
        "Row numbers in a report count as a spreadsheet does: the first "
        "table row is row 2."
    )


def your_data_panel(ctx: PanelContext) -> None:
    """The catalogue in use; template, upload, edit, versions and downloads."""
    cat = ctx.catalogue
    _in_use(ctx)
    _show_outcome(ctx.options)
    versions_section(ctx)
    if cat.report.warnings:
        with st.expander(
            f"{len(cat.report.warnings)} warning(s) about the data in use "
            "(it loads, but check these)"
        ):
            st.dataframe(
                cat.report.to_frame(),
                hide_index=True,
                width="stretch",
                key="warnings_table",
            )
    _template_and_upload(ctx.options)
    _edit_section(ctx)
    _exports(cat)


def _template_and_upload(options: AppOptions) -> None:
    st.markdown("#### 1. Start from the template")
    for column, (label, data, name, mime) in zip(
        st.columns(len(TEMPLATE_DOWNLOADS)), TEMPLATE_DOWNLOADS, strict=True
    ):
        column.download_button(
            label, data, name, mime, key=f"template-{name}", on_click="ignore"
        )
    st.caption("The README's 'Data format' section explains every column.")
    upload_section(options)


def empty_catalogue(options: AppOptions, cat: Catalogue) -> None:
    """Shown instead of the explorer for a catalogue with no roles (a
    header-only roles.csv is valid): what to do next, not a blank graph."""
    _show_outcome(options)
    st.info(
        f"{md(cat.source)} holds no roles yet, so there is nothing to explore. "
        "Add rows to its roles.csv, or start from the template and upload a "
        "catalogue below."
    )
    st.button("Open the bundled catalogue", key="empty-back", on_click=open_folder)
    _template_and_upload(options)


def _load_without_bad_rows() -> None:
    st.session_state["skip_invalid"] = True


def data_problems(folder: Path, report: ValidationReport) -> None:
    """The validation report, shown instead of the explorer, with the offer to
    load the folder without its rows with errors where every error is in a row."""
    st.error(
        f"The data in {md(folder_title(folder))} has {report.error_count} error(s) "
        f"and {len(report.warnings)} warning(s). Fix them and reload the page."
    )
    st.dataframe(report.to_frame(), hide_index=True, width="stretch", key="problems")
    try:
        *_, skipped = without_invalid_rows(*read_folder(folder))
    except InvalidData:
        return  # a problem with a whole file: no row to leave out
    st.button(
        f"Load without the {len(skipped)} row(s) with errors",
        key="load-skip-invalid",
        on_click=_load_without_bad_rows,
        type="primary",
        help="Relations of a role left out are left out too. The rows left "
        "out are listed, and can be downloaded.",
    )
