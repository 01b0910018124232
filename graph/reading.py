"""Reading: bytes of CSV files or an Excel workbook in, tables of stripped strings out.

Nothing here knows the data contract beyond file names: what the cells must
hold is :mod:`graph.validation`'s business.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from openpyxl.utils import get_column_letter

from graph.bulk import arrow_backed, arrow_strings
from graph.limits import DEFAULT_LIMITS, Limits
from graph.schema import EDGES_FILE, ROLES_FILE
from graph.validation import ValidationReport

__all__ = ["FIRST_DATA_ROW", "read_table", "read_workbook", "workbook_file_names"]

#: Spreadsheet numbering: the header is row 1, the first data row is row 2.
FIRST_DATA_ROW = 2
_DELIMITERS = ",;\t"
#: The sheets of a workbook and the CSV file each one stands for.
_SHEETS = {"roles": ROLES_FILE, "edges": EDGES_FILE}


def read_table(
    content: bytes | str | None,
    file: str,
    report: ValidationReport,
    limits: Limits = DEFAULT_LIMITS,
    *,
    arrow_strings: bool = False,
) -> pd.DataFrame | None:
    """Parse one CSV file into a table of stripped strings.

    Accepts a UTF-8 BOM, comma, semicolon or tab delimiters, quoted newlines,
    stray whitespace and blank lines. Header names are lower-cased with spaces
    turned into underscores. The index is the spreadsheet row number. A row
    with more cells than the header is an error (never shifted into place);
    so is a table past a budget of ``limits``, checked before the table is
    parsed where it can be. Problems go to ``report``; the result is ``None``
    when the file cannot be read.

    With ``arrow_strings``, the columns are pandas' Arrow-backed strings
    (``str``) instead of Python objects, for tables read a whole column at a
    time (a catalogue's, when it is loaded): the file is then parsed by
    pyarrow, which makes no Python string per cell (0.7-1.9 s instead of
    3.6-5.4 s for the relations of a million roles). A file pyarrow might
    read otherwise (see :func:`_arrow_parsed`), or with rows that do not fit
    the header, goes to the general parser, which reports its problems.

    Examples
    --------
    >>> report = ValidationReport()
    >>> table = read_table("\\ufeffID; Title \\n a ;x\\n\\n", "roles.csv", report)
    >>> table.to_dict("index"), report.ok
    ({2: {'id': 'a', 'title': 'x'}}, True)
    >>> read_table("a,,b\\n", "roles.csv", report) is None, str(report.errors[0])
    (True, "error: roles.csv, row 1, column '#2': column has no name")
    >>> report = ValidationReport()
    >>> read_table("id,title\\na,x,extra\\n", "roles.csv", report) is None
    True
    >>> print(report.errors[0])  # doctest: +NORMALIZE_WHITESPACE
    error: roles.csv, row 2: the row has 3 cells but the header has 2 (quote
      cells that contain the delimiter; remove the extra cells)
    """
    if content is None:
        report.error(file, None, None, "file is missing", f"add {file}")
        return None
    text = _text_start(content, file, report)
    if text is None:
        return None
    if not text.strip():
        report.error(file, None, None, "file is empty", "add a header row")
        return None
    delimiter = _sniff_delimiter(text)
    names = _header(text, delimiter, file, report, limits)
    if names is None:
        return None
    table = _arrow_parsed(content, delimiter, names) if arrow_strings else None
    if table is None:
        table = _parsed(content, delimiter, names, file, report, limits)
        if table is None:
            return None
        if arrow_strings:
            table = table.astype("str")
    if len(table) > limits.rows:
        report.error(
            file,
            None,
            None,
            f"more than {limits.rows:,} rows",
            f"split the catalogue; {Limits.how_to_raise('rows')}",
        )
        return None
    table.index = pd.RangeIndex(len(table)) + FIRST_DATA_ROW
    if _may_hold_long_cells(content, limits) and not _cells_within_budget(
        table, file, report, limits
    ):
        return None
    # Only a row whose first cell is empty can be blank: comparing those alone
    # took 0.02 s where every cell took 0.07 s (edges and roles of 100,000);
    # none may be (a mask of Arrow strings picking no row took 0.7 s).
    first_empty = (table.iloc[:, 0] == "").to_numpy()
    if not first_empty.any():
        return table
    maybe_blank = table[first_empty]
    blank = maybe_blank.index[(maybe_blank == "").all(axis=1)]
    return table.drop(blank) if len(blank) else table


def _parsed(
    content: bytes | str,
    delimiter: str,
    names: list[str],
    file: str,
    report: ValidationReport,
    limits: Limits,
) -> pd.DataFrame | None:
    """The rows after the header as stripped Python strings, by pandas' parser
    (at most ``limits.rows + 1`` of them); ``None`` when a row does not fit."""
    try:
        # header=None: a row with more cells than the first is an error here,
        # where with a header pandas would shift it silently into the index
        table = pd.read_csv(
            _parser_input(content),
            sep=delimiter,
            dtype=object,
            keep_default_na=False,
            skip_blank_lines=False,
            header=None,
            nrows=limits.rows + 2,
        )
    except pd.errors.ParserError as error:
        _report_parser_error(str(error), file, report)
        return None
    table = table.iloc[1:].set_axis(names, axis=1)
    return pd.DataFrame(
        # a comprehension: three times faster than .str.strip() on objects
        {
            column: pd.Series(
                [cell.strip() for cell in table[column].tolist()], dtype=object
            )
            for column in names
        },
        columns=names,
    )


def _arrow_parsed(
    content: bytes | str, delimiter: str, names: list[str]
) -> pd.DataFrame | None:
    """The rows after the header as stripped Arrow-backed strings, by pyarrow's
    parser; ``None`` when the file needs the general one, which reports its
    problems: a row does not fit the header, the header may go on past its
    first line, or a quote may be left open at the end.

    Both parsers read a file alike (``tests/test_loading.py`` checks it, with
    quotes, blank lines and line ends of every kind) but for one case: a quote
    still open at the end of the file, an error for pandas, a cell up to the
    end for pyarrow. A file with quotes must therefore end with a line break,
    and its last row may hold none: an open quote would have swallowed it.

    Examples
    --------
    >>> table = _arrow_parsed(b"id,title\\n a ,x\\n\\nb,\\n", ",", ["id", "title"])
    >>> table.to_dict("list"), table["id"].dtype
    ({'id': ['a', '', 'b'], 'title': ['x', '', '']}, <StringDtype(na_value=nan)>)
    >>> _arrow_parsed(b'id,title\\na,"x, y"\\n', ",", ["id", "title"])["title"][0]
    'x, y'
    >>> _arrow_parsed(b'id,title\\na,"x\\n', ",", ["id", "title"]) is None
    True
    """
    if isinstance(content, str):
        content = content.encode("utf-8", "surrogatepass")
    content = content.removeprefix(codecs.BOM_UTF8)
    quoted = b'"' in content
    header = re.match(rb"[^\r\n]*", content).group()
    if (
        not _one_line_header(header, delimiter)
        or len(header) == len(content)
        or (quoted and not content.endswith((b"\n", b"\r")))
    ):
        return None
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(content),
            read_options=pa_csv.ReadOptions(skip_rows=1, column_names=names),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter,
                quote_char='"' if quoted else False,
                # slower, and only needed where a quoted cell may hold one
                newlines_in_values=quoted,
                ignore_empty_lines=False,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None
    if quoted and len(table):
        last_row = table.slice(len(table) - 1).to_pylist()[0].values()
        if any("\n" in cell or "\r" in cell for cell in last_row):
            return None
    return pd.DataFrame(
        {name: pd.Series(_stripped(table.column(name)), dtype="str") for name in names},
        columns=names,
    )


def _one_line_header(line: bytes, delimiter: str) -> bool:
    """Whether ``line`` is a whole header row, to skip as one line: each of
    its cells is either quoted whole, with no quote inside, or has no quote.

    Examples
    --------
    >>> _one_line_header(b'"id","title"', ","), _one_line_header(b'id,title', ",")
    (True, True)
    >>> _one_line_header(b'id,"title', ","), _one_line_header(b'"a,b",c', ",")
    (False, False)
    """
    return all(
        _QUOTED_WHOLE.fullmatch(cell) or b'"' not in cell
        for cell in line.split(delimiter.encode())
    )


_QUOTED_WHOLE = re.compile(rb'"[^"]*"')


#: Every character ``str.strip`` removes (``str.isspace``); a test checks it.
SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003"
    "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_FIRST_BYTES, _LAST_BYTES = np.zeros(256, bool), np.zeros(256, bool)
_FIRST_BYTES[[space.encode()[0] for space in SPACES]] = True
_LAST_BYTES[[space.encode()[-1] for space in SPACES]] = True


def _stripped(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """``column`` with each cell stripped as ``str.strip`` strips it.

    A cell can need it only where its first UTF-8 byte starts a space, or its
    last ends one: those few are stripped in Python, the rest are checked a
    byte each, in numpy (``pyarrow.compute.utf8_trim_whitespace`` took 1.1 s
    on a million roles' column, and trims another set of spaces).

    Examples
    --------
    >>> _stripped(pa.chunked_array([[" a", "b\\u3000", "c", ""]])).to_pylist()
    ['a', 'b', 'c', '']
    """
    chunks = []
    for chunk in column.chunks:
        maybe = np.flatnonzero(_may_need_stripping(chunk))
        if len(maybe):
            cells = chunk.take(pa.array(maybe)).to_pylist()
            replaced = np.zeros(len(chunk), bool)
            replaced[maybe] = True
            chunk = pc.replace_with_mask(
                chunk,
                pa.array(replaced),
                pa.array([cell.strip() for cell in cells], chunk.type),
            )
        chunks.append(chunk)
    return pa.chunked_array(chunks, column.type)


def _may_need_stripping(chunk: pa.Array) -> np.ndarray:
    """Which cells of a string array without nulls start with a byte that can
    begin a space, or end with one that can end it (Arrow's layout: an array
    of offsets into one buffer of UTF-8 bytes)."""
    _, offsets, data = chunk.buffers()
    maybe = np.zeros(len(chunk), bool)
    if data is None:  # every cell is empty
        return maybe
    width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    bounds = np.frombuffer(offsets, width)[chunk.offset : chunk.offset + len(chunk) + 1]
    starts, ends = bounds[:-1], bounds[1:]
    filled = ends > starts
    text = np.frombuffer(data, np.uint8)
    maybe[filled] = (
        _FIRST_BYTES[text[starts[filled]]] | _LAST_BYTES[text[ends[filled] - 1]]
    )
    return maybe


def _parser_input(content: bytes | str) -> io.IOBase:
    """What the CSV parser reads, without a BOM: the file's own bytes where it
    came as bytes (already checked to be UTF-8 text). The parser reads bytes
    as they are; from a text stream, it copies and encodes the text again:
    7.9 s instead of 1.9 s for the relations of a million roles.
    """
    if isinstance(content, bytes):
        return io.BytesIO(content.removeprefix(codecs.BOM_UTF8))
    return io.StringIO(content.removeprefix("\ufeff"))


def _may_hold_long_cells(content: bytes | str, limits: Limits) -> bool:
    """Whether a cell could be over budget: not when the whole file is within
    it, nor when no line is and no quoted cell can span lines. Spares the
    cell-by-cell check for most files.

    Lines are measured in UTF-8 bytes, never fewer than their characters, and
    split at line feeds only, as the parser splits them (``str.splitlines``
    also splits at a vertical tab, which a cell may hold, and made a string
    per line: 2.9 s on a million roles).

    Examples
    --------
    >>> _may_hold_long_cells("id\\nabc\\n", Limits(cell_chars=3))
    False
    >>> _may_hold_long_cells("id\\nab\\x0bcd\\n", Limits(cell_chars=3))
    True
    >>> _may_hold_long_cells('id\\n"a\\nbc"\\n', Limits(cell_chars=3))
    True
    """
    if isinstance(content, str):
        content = content.encode("utf-8", "surrogatepass")
    if len(content) <= limits.cell_chars:
        return False
    if b'"' in content:
        return True
    return _longest_line(content) > limits.cell_chars


#: Bytes compared at once when measuring lines: one comparison of a whole
#: 340 MB file allocated as much again, 0.5 s of it in page faults.
_LINE_CHUNK = 1 << 23


def _longest_line(content: bytes) -> int:
    r"""The most bytes between two line feeds (or an end of ``content``).

    Examples
    --------
    >>> _longest_line(b"ab\nabcd\n"), _longest_line(b"abc"), _longest_line(b"")
    (4, 3, 0)
    """
    everything = np.frombuffer(content, np.uint8)
    is_break = np.empty(min(len(everything), _LINE_CHUNK), dtype=bool)
    longest, last_break = 0, -1
    for start in range(0, len(everything), _LINE_CHUNK):
        part = everything[start : start + _LINE_CHUNK]
        breaks = np.flatnonzero(np.equal(part, ord("\n"), out=is_break[: len(part)]))
        if len(breaks):
            breaks += start
            longest = max(longest, int(np.diff(breaks, prepend=last_break).max()) - 1)
            last_break = int(breaks[-1])
    return max(longest, len(everything) - last_break - 1)


def _cells_within_budget(
    table: pd.DataFrame, file: str, report: ValidationReport, limits: Limits
) -> bool:
    """Report each cell longer than the budget; True when there is none."""
    errors_before = report.error_count
    for column in table.columns:
        if _longest_cell(table[column]) <= limits.cell_chars:
            continue
        lengths = table[column].str.len()
        for row, length in lengths[lengths > limits.cell_chars].items():
            report.error(
                file,
                row,
                column,
                f"the cell holds {length:,} characters, more than "
                f"{limits.cell_chars:,}",
                f"shorten it; {Limits.how_to_raise('cell_chars')}",
            )
    return report.error_count == errors_before


def _longest_cell(column: pd.Series) -> int:
    """The most characters a cell of ``column`` holds: measured by pyarrow in
    a column of Arrow-backed strings (a Python string per cell took 1 s for
    a million roles' seven columns), one by one in Python strings (0.03 s
    a million cells, where every cell's length as a Series took 0.11 s).

    Examples
    --------
    >>> _longest_cell(pd.Series(["ab", "é"]))
    2
    >>> _longest_cell(pd.Series(["ab", "é"], dtype="str"))
    2
    """
    if arrow_backed(column):
        return pc.max(pc.utf8_length(arrow_strings(column))).as_py() or 0
    return max(map(len, column.tolist()), default=0)


def _report_parser_error(message: str, file: str, report: ValidationReport) -> None:
    """The parser's complaint as a problem on its row, in the user's terms."""
    extra = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if extra:
        header, row, cells = map(int, extra.groups())
        report.error(
            file,
            row,
            None,
            f"the row has {cells} cells but the header has {header}",
            "quote cells that contain the delimiter; remove the extra cells",
        )
        return
    report.error(
        file,
        _row_from_parser_error(message),
        None,
        f"row does not fit the header ({message})",
        "quote cells that contain the delimiter; check the number of cells",
    )


def read_workbook(
    content: bytes,
    file: str,
    report: ValidationReport,
    limits: Limits = DEFAULT_LIMITS,
) -> dict[str, str] | None:
    """The ``roles`` and ``edges`` sheets of an Excel workbook as CSV texts,
    keyed by the file each stands for (``roles.csv``, ``edges.csv``).

    Sheet names are case-insensitive. Before any cell is read, the unzipped
    size and each sheet's recorded size are checked against ``limits``: a
    small file can unzip to gigabytes, and a cell in column XFD makes every
    row 16,384 cells wide. Problems go to ``report``; the result is ``None``
    when the workbook cannot be used.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(member.file_size for member in archive.infolist())
        if unzipped > limits.workbook_bytes:
            report.error(
                file,
                None,
                None,
                f"the workbook unzips to {unzipped:,} bytes, more than "
                f"{limits.workbook_bytes:,}",
                "save the sheets as CSV files, or split the catalogue",
            )
            return None
        book = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True
        )
    except Exception as error:  # zipfile and openpyxl raise many types
        report.error(file, None, None, f"not a readable .xlsx workbook ({error})")
        return None
    by_name = {name.strip().casefold(): name for name in book.sheetnames}
    texts = {}
    for sheet, csv_name in _SHEETS.items():
        if sheet not in by_name:
            report.error(file, None, None, f"sheet {sheet!r} is missing")
            continue
        text = _sheet_as_csv(
            book[by_name[sheet]], f"{file} sheet {sheet}", report, limits
        )
        if text is not None:
            texts[csv_name] = text
    book.close()
    return texts if len(texts) == len(_SHEETS) else None


def _sheet_as_csv(
    sheet, where: str, report: ValidationReport, limits: Limits
) -> str | None:
    """One sheet as CSV text, or ``None`` when its size is over budget.

    The size comes from the sheet's dimension record; a sheet without one is
    read no wider than the column budget, and a cell just past it is an error.
    """
    if sheet.max_column is None or sheet.max_row is None:
        sheet.reset_dimensions()
    width, height = sheet.max_column, sheet.max_row
    if width is not None and width > limits.columns:
        report.error(
            where,
            1,
            None,
            f"the sheet spans {width:,} columns (to column "
            f"{get_column_letter(width)}), more than {limits.columns}",
            "delete the unused columns, or save the sheet as CSV",
        )
        return None
    if height is not None and height - 1 > limits.rows:
        report.error(
            where,
            None,
            None,
            f"the sheet has {height - 1:,} rows, more than {limits.rows:,}",
            f"split the catalogue; {Limits.how_to_raise('rows')}",
        )
        return None
    out = io.StringIO()
    writer = csv.writer(out)
    read_width = min(width or limits.columns, limits.columns) + 1
    for row_number, values in enumerate(
        sheet.iter_rows(values_only=True, max_col=read_width), start=1
    ):
        cells = list(values)
        while cells and cells[-1] is None:  # the padding to the sheet's width
            cells.pop()
        if row_number > limits.rows + 1 or len(cells) > limits.columns:
            report.error(
                where,
                row_number,
                None,
                f"the sheet is larger than {limits.columns} columns or "
                f"{limits.rows:,} rows",
                "delete the unused cells, or save the sheet as CSV",
            )
            return None
        writer.writerow(["" if v is None else v for v in cells])
    return out.getvalue()


def workbook_file_names(file: str) -> dict[str, str]:
    """How problems in a workbook's sheets name their place: ``roles.csv`` ->
    ``book.xlsx sheet roles``."""
    return {csv_name: f"{file} sheet {sheet}" for sheet, csv_name in _SHEETS.items()}


def _header(
    text: str, delimiter: str, file: str, report: ValidationReport, limits: Limits
) -> list[str] | None:
    """The normalised column names, or ``None`` when the header is unusable."""
    # The first line only (a copy of a 20 MB file took 50 ms), unless an
    # open quote carries the header on to the next line.
    first_end = text.find("\n")
    if first_end >= 0 and not text.count('"', 0, first_end) % 2:
        text = text[: first_end + 1]
    try:
        header = next(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), []
        )
    except csv.Error as error:
        report.error(file, 1, None, f"the header row cannot be read ({error})")
        return None
    if len(header) > limits.columns:
        report.error(
            file,
            1,
            None,
            f"the header has {len(header):,} columns, more than {limits.columns}",
            "remove the columns the catalogue does not use; "
            + Limits.how_to_raise("columns"),
        )
        return None
    names = [_normalise_header(name) for name in header]
    if not any(names):
        report.error(file, 1, None, "the first row holds no column names")
        return None
    errors_before = report.error_count
    seen: set[str] = set()
    for position, name in enumerate(names, start=1):
        if not name:
            report.error(file, 1, f"#{position}", "column has no name")
        elif name in seen:
            report.error(file, 1, name, "column appears twice")
        seen.add(name)
    return names if report.error_count == errors_before else None


#: How much of a file, at least, is decoded for its delimiter and header.
_START_BYTES = 1 << 16


def _text_start(
    content: bytes | str, file: str, report: ValidationReport
) -> str | None:
    """The start of a file as text, without a BOM: the first line and more,
    all of it where it came as text, is blank there, or leaves a quote open
    in its first line; ``None`` (reported) when it is not UTF-8 text.

    The rest of a file of bytes is checked but not decoded: both parsers read
    the bytes, and two files of a million roles decoded, then stripped to see
    whether they were blank, took 0.45 s and 1.1 GB of new pages.

    Examples
    --------
    >>> report = ValidationReport()
    >>> start = _text_start(b"\\xef\\xbb\\xbfid\\n" + b"a\\n" * 50_000, "r", report)
    >>> start[:5], len(start) < 100_000
    ('id\\na\\n', True)
    >>> _text_start(b"id\\n\\xff\\n", "roles.csv", report), report.errors[0].message
    (None, 'not UTF-8 text (byte 0xff at position 3)')
    """
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    if (nul := content.find(b"\x00")) >= 0:  # valid UTF-8, but never in text
        line = content[:nul].count(b"\n") + 1
        report.error(
            file,
            None,
            None,
            f"not a text file (a NUL byte on line {line}, at byte {nul})",
            "save the file as CSV UTF-8",
        )
        return None
    if (bad := _not_utf8_at(content)) is not None:
        line = content[:bad].count(b"\n") + 1
        report.error(
            file,
            line,
            None,
            f"not UTF-8 text (byte {content[bad]:#x} at position {bad})",
            "save the file as CSV UTF-8",
        )
        return None
    first_end = content.find(b"\n")
    end = len(content) if first_end < 0 else max(first_end + 1, _START_BYTES)
    # final=False: a character cut at the end is left out, not an error
    start = codecs.utf_8_decode(content[:end], "strict", False)[0]
    first_line = start[: start.find("\n")]
    if first_line.count('"') % 2 or not start.strip():
        start = content.decode("utf-8")
    return start.removeprefix("\ufeff")


def _not_utf8_at(content: bytes) -> int | None:
    """Where ``content`` stops being UTF-8, or ``None`` where it is all UTF-8.

    Checked by pyarrow, on the bytes as they are; decoded by Python only to
    find the place in a file that is not UTF-8.

    Examples
    --------
    >>> _not_utf8_at("Café".encode()), _not_utf8_at(b"Caf\\xe9"), _not_utf8_at(b"")
    (None, 3, None)
    """
    if content.isascii():
        return None
    whole = pa.Array.from_buffers(
        pa.large_string(),
        1,
        [
            None,
            pa.py_buffer(np.array([0, len(content)], np.int64)),
            pa.py_buffer(content),
        ],
    )
    try:
        whole.validate(full=True)
    except pa.ArrowInvalid:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError as error:
            return error.start
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
