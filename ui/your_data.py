"""Bring your own catalogue: template, upload, edit, export.

Uploaded and edited data lives in the session only; nothing is written to the
server's disk. A bad upload or edit shows the validation report and leaves the
data in use untouched.
"""

from __future__ import annotations

import io
import tempfile
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from graph import InvalidData, ValidationReport, load_sources, load_workbook
from graph.export import (
    HTML_MAX_ROLES,
    edges_table,
    export_graph,
    roles_table,
    safe_csv,
)
from graph.schema import EDGE_OPTIONAL, EDGE_REQUIRED, ROLE_OPTIONAL, ROLE_REQUIRED
from ui.data import Catalogue

__all__ = ["MAX_UPLOAD_MB", "custom_data", "your_data_panel"]

#: Largest file we accept, per file (Streamlit's own cap is in config.toml).
MAX_UPLOAD_MB = 10
#: Above this many roles the in-app editor would be too slow to be useful.
EDITOR_MAX_ROLES = 3000


def _table(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        [[row.get(c, "") for c in columns] for row in rows], columns=columns
    )


_TEMPLATE_ROLES = _table(
    [
        {
            "id": "support-assistant",
            "title": "Support Assistant",
            "family": "Support",
            "level": "1",
            "aliases": "Support Asst",
            "summary": "Answers first-line requests.",
            "skills": "Communication;Ticketing tools",
        },
        {
            "id": "support-lead",
            "title": "Support Lead",
            "family": "Support",
            "level": "2",
            "aliases": "",
            "summary": "Leads the support team.",
            "skills": "Communication;Coaching;Prioritising",
        },
    ],
    [*ROLE_REQUIRED, *ROLE_OPTIONAL],
)
_TEMPLATE_EDGES = _table(
    [
        {
            "source": "support-assistant",
            "target": "support-lead",
            "type": "promotion",
            "note": "The usual next step",
        },
        {"source": "support-assistant", "target": "support-lead", "type": "reports_to"},
    ],
    [*EDGE_REQUIRED, *EDGE_OPTIONAL],
)


def custom_data() -> tuple[bytes, bytes, str] | None:
    """The session's own catalogue (roles CSV, edges CSV, label), if any."""
    return st.session_state.get("custom_data")


def _template_workbook() -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        _TEMPLATE_ROLES.to_excel(writer, sheet_name="roles", index=False)
        _TEMPLATE_EDGES.to_excel(writer, sheet_name="edges", index=False)
    return buffer.getvalue()


def _editable(table: pd.DataFrame) -> pd.DataFrame:
    """Every cell as text, empty cells as "" (what the CSV files hold)."""
    return table.map(lambda value: "" if pd.isna(value) else str(value))


def _is_edges_file(content: bytes) -> bool:
    first_line = content.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].lower()
    return b"target" in first_line


def _use(roles: bytes, edges: bytes, label: str) -> None:
    st.session_state["custom_data"] = (roles, edges, label)
    st.session_state.pop("data_report", None)


def _reject(report: ValidationReport, what: str) -> None:
    st.session_state["data_report"] = (what, report)


def _load_upload() -> None:
    """Callback: validate the uploaded files; use them only if they are valid."""
    files = st.session_state.get("upload") or []
    report = ValidationReport()
    for file in files:
        if file.size > MAX_UPLOAD_MB * 1024 * 1024:
            report.error(
                file.name,
                None,
                None,
                f"file is {file.size / 2**20:.1f} MB; the limit is {MAX_UPLOAD_MB} MB",
            )
    workbooks = [f for f in files if f.name.lower().endswith(".xlsx")]
    csvs = [f for f in files if not f.name.lower().endswith(".xlsx")]
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
    if not report.ok:
        _reject(report, "Upload")
        return
    names = ", ".join(f.name for f in files)
    try:
        if workbooks:
            G, _ = load_workbook(workbooks[0].getvalue(), workbooks[0].name)
            _use(
                roles_table(G).to_csv(index=False).encode(),
                edges_table(G).to_csv(index=False).encode(),
                names,
            )
            return
        contents = [f.getvalue() for f in csvs]
        edges_first = _is_edges_file(contents[0]) and not _is_edges_file(contents[1])
        roles, edges = reversed(contents) if edges_first else contents
        load_sources(roles, edges)
    except InvalidData as error:
        _reject(error.report, "Upload")
        return
    _use(roles, edges, names)


def _apply_edits(roles: pd.DataFrame, edges: pd.DataFrame) -> None:
    """Callback: validate the edited tables; use them only if they are valid."""
    roles_csv = roles.fillna("").astype(str).to_csv(index=False).encode()
    edges_csv = edges.fillna("").astype(str).to_csv(index=False).encode()
    try:
        load_sources(roles_csv, edges_csv)
    except InvalidData as error:
        _reject(error.report, "Edits")
        return
    _use(roles_csv, edges_csv, "your edits")


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


def your_data_panel(cat: Catalogue) -> None:
    """Template, upload, edit and export, in that order."""
    if custom_data():
        st.info(
            f"Using your data: {custom_data()[2]}. It lives in this browser "
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
    templates = (
        (
            "roles.csv template",
            _TEMPLATE_ROLES.to_csv(index=False),
            "roles.csv",
            "text/csv",
        ),
        (
            "edges.csv template",
            _TEMPLATE_EDGES.to_csv(index=False),
            "edges.csv",
            "text/csv",
        ),
        (
            "Excel template",
            _template_workbook,
            "career-graph-template.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    )
    for column, (label, data, name, mime) in zip(
        st.columns(len(templates)), templates, strict=True
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
