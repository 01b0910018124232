"""Reading: bytes of CSV files or an Excel workbook in, tables of stripped strings out.

Nothing here knows the data contract beyond file names: what the cells must
hold is :mod:`graph.validation`'s business.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from graph.schema import EDGES_FILE, ROLES_FILE
from graph.validation import ValidationReport

__all__ = ["FIRST_DATA_ROW", "read_table", "read_workbook", "workbook_file_names"]

#: Spreadsheet numbering: the header is row 1, the first data row is row 2.
FIRST_DATA_ROW = 2
_DELIMITERS = ",;\t"
#: The sheets of a workbook and the CSV file each one stands for.
_SHEETS = {"roles": ROLES_FILE, "edges": EDGES_FILE}


def read_table(
    content: bytes | str | None, file: str, report: ValidationReport
) -> pd.DataFrame | None:
    """Parse one CSV file into a table of stripped strings.

    Accepts a UTF-8 BOM, comma, semicolon or tab delimiters, quoted newlines,
    stray whitespace and blank lines. Header names are lower-cased with spaces
    turned into underscores. The index is the spreadsheet row number. Problems
    go to ``report``; the result is ``None`` when the file cannot be read.

    Examples
    --------
    >>> report = ValidationReport()
    >>> table = read_table("\\ufeffID; Title \\n a ;x\\n\\n", "roles.csv", report)
    >>> table.to_dict("index"), report.ok
    ({2: {'id': 'a', 'title': 'x'}}, True)
    >>> read_table("a,,b\\n", "roles.csv", report) is None, str(report.errors[0])
    (True, "error: roles.csv, row 1, column '#2': column has no name")
    """
    if content is None:
        report.error(file, None, None, "file is missing", f"add {file}")
        return None
    text = _decode(content, file, report)
    if text is None:
        return None
    if not text.strip():
        report.error(file, None, None, "file is empty", "add a header row")
        return None
    delimiter = _sniff_delimiter(text)
    names = _header(text, delimiter, file, report)
    if names is None:
        return None
    try:
        table = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=object,
            keep_default_na=False,
            skip_blank_lines=False,
            header=0,
            names=names,
        )
    except pd.errors.ParserError as error:
        report.error(
            file,
            _row_from_parser_error(str(error)),
            None,
            f"row does not fit the header ({error})",
            "quote cells that contain the delimiter; check the number of cells",
        )
        return None
    table.index = pd.RangeIndex(len(table)) + FIRST_DATA_ROW
    for column in table.columns:
        table[column] = table[column].str.strip()
    blank = (table == "").all(axis=1)
    return table.loc[~blank]


def read_workbook(
    content: bytes, file: str, report: ValidationReport
) -> dict[str, str] | None:
    """The ``roles`` and ``edges`` sheets of an Excel workbook as CSV texts,
    keyed by the file each stands for (``roles.csv``, ``edges.csv``).

    Sheet names are case-insensitive. Problems go to ``report``; the result is
    ``None`` when the workbook cannot be used.
    """
    try:
        sheets = pd.read_excel(
            io.BytesIO(content),
            sheet_name=None,
            header=None,
            dtype=str,
            na_filter=False,
        )
    except Exception as error:  # openpyxl raises many types for a broken file
        report.error(file, None, None, f"not a readable .xlsx workbook ({error})")
        return None
    by_name = {name.strip().casefold(): sheet for name, sheet in sheets.items()}
    texts = {}
    for sheet, csv_name in _SHEETS.items():
        if sheet not in by_name:
            report.error(file, None, None, f"sheet {sheet!r} is missing")
        else:
            texts[csv_name] = by_name[sheet].to_csv(index=False, header=False)
    return texts if len(texts) == len(_SHEETS) else None


def workbook_file_names(file: str) -> dict[str, str]:
    """How problems in a workbook's sheets name their place: ``roles.csv`` ->
    ``book.xlsx sheet roles``."""
    return {csv_name: f"{file} sheet {sheet}" for sheet, csv_name in _SHEETS.items()}


def _header(
    text: str, delimiter: str, file: str, report: ValidationReport
) -> list[str] | None:
    """The normalised column names, or ``None`` when the header is unusable."""
    try:
        header = next(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), []
        )
    except csv.Error as error:
        report.error(file, 1, None, f"the header row cannot be read ({error})")
        return None
    names = [_normalise_header(name) for name in header]
    if not any(names):
        report.error(file, 1, None, "the first row holds no column names")
        return None
    errors_before = len(report.errors)
    seen: set[str] = set()
    for position, name in enumerate(names, start=1):
        if not name:
            report.error(file, 1, f"#{position}", "column has no name")
        elif name in seen:
            report.error(file, 1, name, "column appears twice")
        seen.add(name)
    return names if len(report.errors) == errors_before else None


def _decode(content: bytes | str, file: str, report: ValidationReport) -> str | None:
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        report.error(
            file,
            line,
            None,
            f"not UTF-8 text (byte {content[error.start]:#x} at position "
            f"{error.start})",
            "save the file as CSV UTF-8",
        )
        return None


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header into the most cells (comma on a
    tie). Only the header decides: list cells hold ``;`` and quotes in every
    row, which misleads a sniffer that looks at the data.

    Examples
    --------
    >>> _sniff_delimiter("id,title,skills\\nr0,a,a;b;'c\\n")
    ','
    >>> _sniff_delimiter("id;title\\nr0;Clerk, senior\\n")
    ';'
    """
    header = text[:65536].lstrip("\r\n").splitlines()[:1] or [""]
    cells = {d: len(next(csv.reader(header, delimiter=d))) for d in _DELIMITERS}
    return max(_DELIMITERS, key=cells.__getitem__)


def _normalise_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().removeprefix("\ufeff").lower())


def _row_from_parser_error(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None
