"""Bring your own catalogue: template, upload, edit, export.

Uploaded and edited data lives in the session only; nothing is written to the
server's disk. A bad upload or edit shows the validation report and leaves the
data in use untouched.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from graph import InvalidData, ValidationReport
from graph.export import (
    HTML_MAX_ROLES,
    edges_table,
    export_graph,
    roles_table,
    safe_csv,
)
from graph.reading import read_workbook, workbook_file_names
from graph.schema import EDGES_FILE, ROLES_FILE
from graph.text import escape_markdown as md
from ui.data import Catalogue, load_uploaded
from ui.tabs import PanelContext
from ui.templates import TEMPLATE_DOWNLOADS

__all__ = [
    "MAX_UPLOAD_MB",
    "custom_data",
    "custom_catalogue",
    "upload_problems",
    "your_data_panel",
    "data_problems",
]

#: Largest file we accept, per file (Streamlit's own cap is in config.toml).
MAX_UPLOAD_MB = 10
#: Above this many roles the in-app editor would be too slow to be useful.
EDITOR_MAX_ROLES = 3000


def custom_data() -> tuple[bytes, bytes, str, tuple] | None:
    """The session's own catalogue (roles CSV, edges CSV, label, file names for
    problems), if any."""
    return st.session_state.get("custom_data")


def custom_catalogue() -> Catalogue | None:
    """The session's own catalogue, built once and cached (see ``load_uploaded``)."""
    data = custom_data()
    return load_uploaded(*data) if data else None


def _editable(table: pd.DataFrame) -> pd.DataFrame:
    """Every cell as text, empty cells as "" (what the CSV files hold)."""
    return table.map(lambda value: "" if pd.isna(value) else str(value))


def _is_edges_file(content: bytes) -> bool:
    first_line = content.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].lower()
    return b"target" in first_line


def _check_and_use(
    roles: bytes, edges: bytes, label: str, what: str, file_names: tuple = ()
) -> None:
    """Build the catalogue (cached, so later runs reuse it) and use it, or keep
    the data in use and show the report."""
    try:
        load_uploaded(roles, edges, label, file_names)
    except InvalidData as error:
        _reject(error.report, what)
        return
    st.session_state["custom_data"] = (roles, edges, label, file_names)
    st.session_state.pop("data_report", None)


def _reject(report: ValidationReport, what: str) -> None:
    st.session_state["data_report"] = (what, report)


def upload_problems(files: Sequence) -> ValidationReport:
    """What is wrong with a set of uploaded files (objects with ``name`` and
    ``size``) before any of them is read: sizes, and the mix of files."""
    report = ValidationReport()
    for file in files:
        if file.size > MAX_UPLOAD_MB * 1024 * 1024:
            report.error(
                file.name,
                None,
                None,
                f"file is {file.size / 2**20:.1f} MB; the limit is {MAX_UPLOAD_MB} MB",
            )
    workbooks = [f for f in files if _is_workbook(f)]
    csvs = [f for f in files if not _is_workbook(f)]
    if not files:
        report.error("upload", None, None, "no file chosen")
    elif workbooks and (csvs or len(workbooks) > 1):
        report.error(
            "upload", None, None, "upload one .xlsx workbook, or two CSV files"
        )
    elif csvs and len(csvs) != 2:
        report.error(
            "upload",
            None,
            None,
            f"{len(csvs)} CSV file(s) chosen; upload roles.csv and edges.csv together",
        )
    return report


def _is_workbook(file) -> bool:
    return file.name.lower().endswith(".xlsx")


def _load_upload() -> None:
    """Callback: validate the uploaded files; use them only if they are valid."""
    files = st.session_state.get("upload") or []
    report = upload_problems(files)
    if not report.ok:
        _reject(report, "Upload")
        return
    workbooks = [f for f in files if _is_workbook(f)]
    csvs = [f for f in files if not _is_workbook(f)]
    names = ", ".join(f.name for f in files)
    if workbooks:
        book = workbooks[0]
        texts = read_workbook(book.getvalue(), book.name, report)
        if texts is None:
            _reject(report, "Upload")
            return
        file_names = tuple(workbook_file_names(book.name).items())
        roles, edges = (texts[name].encode() for name in (ROLES_FILE, EDGES_FILE))
        _check_and_use(roles, edges, names, "Upload", file_names)
        return
    contents = [f.getvalue() for f in csvs]
    edges_first = _is_edges_file(contents[0]) and not _is_edges_file(contents[1])
    roles, edges = reversed(contents) if edges_first else contents
    _check_and_use(roles, edges, names, "Upload")


def _apply_edits(roles: pd.DataFrame, edges: pd.DataFrame) -> None:
    """Callback: validate the edited tables; use them only if they are valid."""
    roles_csv = roles.fillna("").astype(str).to_csv(index=False).encode()
    edges_csv = edges.fillna("").astype(str).to_csv(index=False).encode()
    _check_and_use(roles_csv, edges_csv, "your edits", "Edits")


def _back_to_bundled() -> None:
    st.session_state.pop("custom_data", None)
    st.session_state.pop("data_report", None)


def _show_report() -> None:
    what, report = st.session_state["data_report"]
    st.error(
        f"{what} not applied: {len(report.errors)} error(s), "
        f"{len(report.warnings)} warning(s). The data in use has not changed."
    )
    st.dataframe(
        report.to_frame(), hide_index=True, width="stretch", key="data_report_table"
    )


def _export_bytes(cat: Catalogue, fmt: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return export_graph(cat.G, fmt, Path(folder) / f"export.{fmt}").read_bytes()


def _exports(cat: Catalogue) -> None:
    st.markdown("##### 4. Download")
    # Each file is made only when its button is clicked (a callable as data).
    downloads = [
        ("roles.csv", lambda: safe_csv(roles_table(cat.G)), "roles.csv", "text/csv"),
        ("edges.csv", lambda: safe_csv(edges_table(cat.G)), "edges.csv", "text/csv"),
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


def your_data_panel(ctx: PanelContext) -> None:
    """Template, upload, edit and export, in that order."""
    cat = ctx.catalogue
    if custom_data():
        st.info(
            f"Using your data: {md(custom_data()[2])}. It lives in this browser "
            "session only."
        )
        st.button(
            "Back to the bundled data", key="data-back", on_click=_back_to_bundled
        )
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
    st.markdown("##### 1. Start from the template")
    for column, (label, data, name, mime) in zip(
        st.columns(len(TEMPLATE_DOWNLOADS)), TEMPLATE_DOWNLOADS, strict=True
    ):
        column.download_button(
            label, data, name, mime, key=f"template-{name}", on_click="ignore"
        )
    st.caption("The README's 'Data format' section explains every column.")
    st.markdown("##### 2. Upload")
    st.file_uploader(
        f"roles.csv and edges.csv together, or one .xlsx workbook with sheets "
        f"'roles' and 'edges' (at most {MAX_UPLOAD_MB} MB a file)",
        type=["csv", "xlsx"],
        accept_multiple_files=True,
        key="upload",
    )
    st.button(
        "Check and use these files",
        key="upload-load",
        on_click=_load_upload,
        type="primary",
    )
    if "data_report" in st.session_state:
        _show_report()
    st.markdown("##### 3. Edit")
    if len(cat.G) > EDITOR_MAX_ROLES:
        st.caption(
            f"{len(cat.G)} roles are too many to edit here (at most "
            f"{EDITOR_MAX_ROLES}); edit the CSV files and upload them."
        )
    else:
        st.caption(
            "Roles (add rows at the bottom; select rows and press Delete "
            "to remove them)"
        )
        roles = st.data_editor(
            _editable(roles_table(cat.G)),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            key=f"edit_roles_{cat.token}",
        )
        st.caption("Relations")
        edges = st.data_editor(
            _editable(edges_table(cat.G)),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            key=f"edit_edges_{cat.token}",
        )
        st.button(
            "Check and apply edits",
            key="edit-apply",
            on_click=_apply_edits,
            args=(roles, edges),
        )
        st.caption(
            "Row numbers in a report count as a spreadsheet does: the first "
            "table row is row 2."
        )
    _exports(cat)


def data_problems(source: str, report: ValidationReport) -> None:
    """The validation report, shown instead of the explorer."""
    st.error(
        f"The data in {md(source)} has {len(report.errors)} error(s) and "
        f"{len(report.warnings)} warning(s). Fix them and reload the page."
    )
    st.dataframe(report.to_frame(), hide_index=True, width="stretch", key="problems")
