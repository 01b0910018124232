"""Uploading a catalogue: two CSV files or one workbook, checked and saved as
a version of a named catalogue."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import streamlit as st

from graph import ValidationReport
from graph.reading import read_workbook, workbook_file_names
from graph.schema import EDGES_FILE, ROLES_FILE
from ui.data import AppOptions, workspace
from ui.saving import reject, save_version
from ui.uploads import MAX_UPLOAD_MB, hold_uploads, let_go_of_uploads

__all__ = ["upload_problems", "upload_section"]


def _is_edges_file(content: bytes) -> bool:
    first_line = content.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].lower()
    return b"target" in first_line


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


def _upload_name(file_name: str) -> str:
    """A catalogue name from the workbook's or the roles file's name.

    Examples
    --------
    >>> _upload_name("acme-roles.csv"), _upload_name("roles.csv")
    ('acme', 'My catalogue')
    """
    stem = Path(file_name).stem
    for word in ("-roles", "_roles", " roles", "roles"):
        stem = stem.replace(word, "")
    return stem.strip(" -_") or "My catalogue"


def _load_upload(options: AppOptions) -> None:
    """Callback: check the uploaded files and save them as a version."""
    state = st.session_state
    if (files := _held_files(options)) is None:
        return  # let go: the upload section says so
    report = upload_problems(files)
    if not report.ok:
        reject(report, "Upload")
        return
    note = f"Uploaded {', '.join(f.name for f in files)}"
    workbooks = [f for f in files if _is_workbook(f)]
    if workbooks:
        book = workbooks[0]
        texts = read_workbook(book.getvalue(), book.name, report, options.limits)
        if texts is None:
            reject(report, "Upload")
            return
        roles, edges = (texts[f].encode() for f in (ROLES_FILE, EDGES_FILE))
        file_names = tuple(workbook_file_names(book.name).items())
        named_after = book.name
    else:
        contents = [f.getvalue() for f in files]
        edges_first = _is_edges_file(contents[0]) and not _is_edges_file(contents[1])
        roles, edges = reversed(contents) if edges_first else contents
        roles_file, edges_file = reversed(files) if edges_first else files
        # problems name the files as the user chose them
        file_names = ((ROLES_FILE, roles_file.name), (EDGES_FILE, edges_file.name))
        named_after = roles_file.name
    name = " ".join((state.get("upload_name") or _upload_name(named_after)).split())
    saved = {c.name: c.latest.number for c in workspace(options.db).catalogues()}
    save_version(
        options,
        "Upload",
        name,
        roles,
        edges,
        note=note,
        based_on=saved.get(name),
        file_names=file_names,
    )
    if "data_saved" in state:
        # the saved files are in the workspace: the server lets the uploaded
        # bytes go, and the page shows a new, empty uploader
        let_go_of_uploads()
        state["upload_round"] = state.get("upload_round", 0) + 1


def _uploader_key() -> str:
    return f"upload_{st.session_state.get('upload_round', 0)}"


def _held_files(options: AppOptions) -> list | None:
    """The uploader's files, counted against the budgets of uploads held
    (:mod:`ui.uploads`); ``None`` when they were let go, which leaves an
    empty uploader and a note for the upload section."""
    state = st.session_state
    files = state.get(_uploader_key()) or []
    if (let_go := hold_uploads(files, options.uploads_held_mb)) is None:
        return files
    state["upload_round"] = state.get("upload_round", 0) + 1
    state["upload_let_go"] = let_go
    return None


def upload_section(options: AppOptions) -> None:
    """The uploader, the catalogue name and the button that saves."""
    st.markdown("#### 2. Upload")
    _held_files(options)
    if let_go := st.session_state.pop("upload_let_go", None):
        st.warning(let_go)
    st.file_uploader(
        f"roles.csv and edges.csv together, or one .xlsx workbook with sheets "
        f"'roles' and 'edges' (at most {MAX_UPLOAD_MB} MB a file)",
        type=["csv", "xlsx"],
        accept_multiple_files=True,
        key=_uploader_key(),
    )
    st.text_input(
        "Save as catalogue",
        key="upload_name",
        placeholder="Name (a name already saved gets a new version)",
        max_chars=200,
    )
    st.button(
        "Check and save these files",
        key="upload-load",
        on_click=_load_upload,
        args=(options,),
        type="primary",
    )
