"""Read, validate and build: CSV files in, a career graph out.

Every problem in the data is collected into one :class:`ValidationReport`
before anything is built, so a bad file never yields a half-built graph.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from graph.errors import InvalidData
from graph.render import family_colours
from graph.schema import (
    EDGE_REQUIRED,
    EDGE_TYPES,
    EDGES_FILE,
    MOVE_TYPES,
    ROLE_LIST_COLUMNS,
    ROLE_REQUIRED,
    ROLES_FILE,
)
from graph.search import build_lookup
from graph.validation import ValidationReport

__all__ = [
    "load_graph",
    "load_sources",
    "load_workbook",
    "read_table",
    "validate_tables",
    "build_graph",
    "make_graph",
]

_DELIMITERS = ",;\t"
_FIRST_DATA_ROW = 2  # spreadsheet numbering: the header is row 1
_MAX_CYCLE_NAMES = 8
#: Warnings of one kind listed one by one; the rest are counted in one line.
_MAX_WARNINGS_PER_KIND = 20


def load_graph(data_dir: str | Path) -> tuple[nx.MultiDiGraph, ValidationReport]:
    """Load ``roles.csv`` and ``edges.csv`` from a folder.

    Returns the graph and the report (which then holds warnings only).

    Raises
    ------
    InvalidData
        If the data has errors; ``.report`` lists all of them.

    Examples
    --------
    >>> G, report = load_graph("data")
    >>> G.nodes["operations-manager"]["title"], report.ok
    ('Operations Manager', True)
    """
    folder = Path(data_dir)
    sources: dict[str, bytes | None] = {}
    for name in (ROLES_FILE, EDGES_FILE):
        path = folder / name
        sources[name] = path.read_bytes() if path.is_file() else None
    return load_sources(sources[ROLES_FILE], sources[EDGES_FILE])


def load_sources(
    roles: bytes | str | None, edges: bytes | str | None
) -> tuple[nx.MultiDiGraph, ValidationReport]:
    """Load a data set from the contents of its two files.

    ``None`` stands for a file that is missing.

    Examples
    --------
    >>> roles = b"id,title,family,level\\na,Clerk,Ops,1\\nb,Boss,Ops,2\\n"
    >>> G, _ = load_sources(roles, b"source,target,type\\na,b,promotion\\n")
    >>> list(G.edges(keys=True))
    [('a', 'b', 'promotion')]
    >>> load_sources(roles, b"source,target,type\\na,x,promotion\\n")
    Traceback (most recent call last):
    ...
    graph.errors.InvalidData: 1 error(s), 0 warning(s)
    error: edges.csv, row 2, column 'target': unknown role id 'x'
    """
    report = ValidationReport()
    role_table = read_table(roles, ROLES_FILE, report)
    edge_table = read_table(edges, EDGES_FILE, report)
    if role_table is not None and edge_table is not None:
        report.extend(validate_tables(role_table, edge_table))
    if not report.ok:
        raise InvalidData(report)
    return build_graph(role_table, edge_table), report


def load_workbook(
    content: bytes, file: str = "workbook.xlsx"
) -> tuple[nx.MultiDiGraph, ValidationReport]:
    """Load a data set from an Excel workbook with sheets ``roles`` and ``edges``.

    Sheet names are case-insensitive; problems name the workbook and sheet,
    with rows numbered as Excel shows them.

    Raises
    ------
    InvalidData
        If the workbook cannot be read or its data has errors.
    """
    report = ValidationReport()
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
        raise InvalidData(report) from None
    by_name = {name.strip().casefold(): sheet for name, sheet in sheets.items()}
    texts = {}
    for name in ("roles", "edges"):
        if name not in by_name:
            report.error(file, None, None, f"sheet {name!r} is missing")
        else:
            texts[name] = by_name[name].to_csv(index=False, header=False)
    if not report.ok:
        raise InvalidData(report)
    names = {ROLES_FILE: f"{file} sheet roles", EDGES_FILE: f"{file} sheet edges"}
    try:
        return load_sources(texts["roles"], texts["edges"])
    except InvalidData as error:
        renamed = ValidationReport(
            [replace(p, file=names.get(p.file, p.file)) for p in error.report.problems]
        )
        raise InvalidData(renamed) from None


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
    seen: set[str] = set()
    for position, name in enumerate(names, start=1):
        if not name:
            report.error(file, 1, f"#{position}", "column has no name")
        elif name in seen:
            report.error(file, 1, name, "column appears twice")
        seen.add(name)
    if not report.ok and any(p.file == file for p in report.errors):
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
        row = _row_from_parser_error(str(error))
        report.error(
            file,
            row,
            None,
            f"row does not fit the header ({error})",
            "quote cells that contain the delimiter; check the number of cells",
        )
        return None
    table.index = pd.RangeIndex(len(table)) + _FIRST_DATA_ROW
    for column in table.columns:
        table[column] = table[column].str.strip()
    blank = (table == "").all(axis=1)
    return table.loc[~blank]


def validate_tables(roles: pd.DataFrame, edges: pd.DataFrame) -> ValidationReport:
    """Check both tables against the data contract; report every problem.

    Examples
    --------
    >>> roles = pd.DataFrame(
    ...     {"id": ["a", "a"], "title": ["A", "B"], "family": ["F", "F"],
    ...      "level": ["1", "two"]}, index=[2, 3])
    >>> edges = pd.DataFrame(
    ...     {"source": ["a"], "target": ["a"], "type": ["promotion"]}, index=[2])
    >>> for problem in validate_tables(roles, edges).problems:
    ...     print(problem)  # doctest: +NORMALIZE_WHITESPACE
    error: roles.csv, row 3, column 'id': duplicate id 'a' (first on row 2)
    error: roles.csv, row 3, column 'level': level 'two' is not a whole number
      (use a whole number, 1 for the most junior level)
    error: edges.csv, row 2, column 'target': a role cannot relate to itself
    """
    report = ValidationReport()
    roles_ok = _check_roles(roles, report)
    if roles_ok:
        _check_edges(edges, roles, report)
    return report


def build_graph(roles: pd.DataFrame, edges: pd.DataFrame) -> nx.MultiDiGraph:
    """Build the career graph from validated tables.

    Nodes are role ids carrying the role's non-empty cells (``level`` as an
    int, list columns as lists). Edges are keyed by their ``type`` and carry
    ``type`` plus their non-empty optional cells. ``G.graph["lookup"]`` maps
    normalised ids, titles and aliases to role ids; ``G.graph["moves"]`` is the
    digraph of promotion and lateral moves that path searches run on;
    ``G.graph["family_colours"]`` gives each job family its colour.
    """
    role_data = _cell_dicts(roles, skip=())
    for data in role_data:
        data["level"] = int(float(data["level"]))
        for column in ROLE_LIST_COLUMNS:
            if column in data:
                data[column] = _split_list(data[column])
    edge_data = _cell_dicts(edges, skip=("source", "target"))
    for data in edge_data:
        if "typical_years" in data:
            data["typical_years"] = float(data["typical_years"])
    G = nx.MultiDiGraph()
    _fill_multidigraph(
        G,
        zip(roles["id"], role_data, strict=True),
        zip(edges["source"], edges["target"], edge_data, strict=True),
    )
    G.graph["lookup"] = build_lookup(G)
    G.graph["moves"] = _moves_digraph(G)
    G.graph["family_colours"] = family_colours(G)
    return G


def _fill_multidigraph(
    G: nx.MultiDiGraph, nodes: Iterable[tuple], edges: Iterable[tuple]
) -> None:
    """Fill an empty graph's adjacency dicts directly, as ``add_edge`` would.

    ``add_edges_from`` spends most of its time on per-edge checks and views
    (about 25 µs an edge); on validated data they are not needed, and filling
    the dicts is several times faster. ``tests/test_loading.py`` checks the
    result equals a graph built the ordinary way.
    """
    for node, data in nodes:
        G._node[node] = data
        G._succ[node] = {}
        G._pred[node] = {}
    succ, pred = G._succ, G._pred
    for source, target, data in edges:
        keyed = succ[source].get(target)
        if keyed is None:
            keyed = succ[source][target] = pred[target][source] = {}
        keyed[data["type"]] = data


def _moves_digraph(G: nx.MultiDiGraph) -> nx.DiGraph:
    """Promotion and lateral moves as a simple digraph, for path searches."""
    moves = nx.DiGraph()
    succ, pred = moves._succ, moves._pred
    for node in G:
        moves._node[node] = {}
        succ[node] = {}
        pred[node] = {}
    for source, targets in G._succ.items():
        for target, keyed in targets.items():
            if any(edge_type in keyed for edge_type in MOVE_TYPES):
                succ[source][target] = pred[target][source] = {}
    return moves


def make_graph(
    roles: Iterable[Mapping[str, object]],
    edges: Iterable[tuple[str, str, str]] = (),
) -> nx.MultiDiGraph:
    """Validate and build a graph from Python rows: handy for tests and notebooks.

    ``roles`` are dicts with at least id, title, family and level; ``edges``
    are ``(source, target, type)`` tuples.

    Examples
    --------
    >>> G = make_graph(
    ...     [{"id": "a", "title": "Clerk", "family": "Ops", "level": 1},
    ...      {"id": "b", "title": "Boss", "family": "Ops", "level": 2}],
    ...     [("a", "b", "promotion"), ("a", "b", "reports_to")])
    >>> sorted(G["a"]["b"])
    ['promotion', 'reports_to']
    """
    role_table = pd.DataFrame(
        [{k: str(v) for k, v in row.items()} for row in roles], dtype=object
    )
    edge_table = pd.DataFrame(list(edges), columns=list(EDGE_REQUIRED), dtype=object)
    for table in (role_table, edge_table):
        table.index = pd.RangeIndex(len(table)) + _FIRST_DATA_ROW
    report = validate_tables(role_table.fillna(""), edge_table)
    if not report.ok:
        raise InvalidData(report)
    return build_graph(role_table.fillna(""), edge_table)


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
    sample = text[:8192]
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        first_line = sample.splitlines()[0] if sample else ""
        return max(_DELIMITERS, key=first_line.count) if first_line else ","


def _normalise_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().removeprefix("\ufeff").lower())


def _row_from_parser_error(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def _missing_columns(
    table: pd.DataFrame, required: Iterable[str], file: str, report: ValidationReport
) -> bool:
    missing = [column for column in required if column not in table.columns]
    for column in missing:
        report.error(file, 1, column, "required column is missing")
    return bool(missing)


def _first_rows(values: pd.Series) -> dict[str, int]:
    """Map each value to the first row it appears on."""
    firsts = values[~values.duplicated()]
    return dict(zip(firsts, firsts.index, strict=True))


def _check_roles(roles: pd.DataFrame, report: ValidationReport) -> bool:
    """Check roles.csv; True when edges can be checked against it."""
    if _missing_columns(roles, ROLE_REQUIRED, ROLES_FILE, report):
        return False
    for column in ("id", "title", "family"):
        for row in roles.index[roles[column] == ""]:
            report.error(ROLES_FILE, row, column, f"{column} is empty")
    ids = roles["id"][roles["id"] != ""]
    first_row = _first_rows(ids)
    for row, role_id in ids[ids.duplicated()].items():
        report.error(
            ROLES_FILE,
            row,
            "id",
            f"duplicate id {role_id!r} (first on row {first_row[role_id]})",
        )
    levels = pd.to_numeric(roles["level"], errors="coerce")
    not_whole = levels.isna() | ~np.isfinite(levels) | (levels != levels.round())
    for row, text in roles["level"][not_whole].items():
        report.error(
            ROLES_FILE,
            row,
            "level",
            f"level {text!r} is not a whole number",
            "use a whole number, 1 for the most junior level",
        )
    for row, level in levels[~not_whole & (levels < 1)].items():
        report.error(
            ROLES_FILE,
            row,
            "level",
            f"level {int(level)} is below 1",
            "levels start at 1",
        )
    titles = roles["title"][roles["title"] != ""]
    folded = titles.str.casefold()
    first_title = _first_rows(folded)
    repeated = titles[folded.duplicated()]
    for row, title in repeated.iloc[:_MAX_WARNINGS_PER_KIND].items():
        report.warn(
            ROLES_FILE,
            row,
            "title",
            f"title {title!r} is also used on row {first_title[title.casefold()]}",
            "search by id or alias to tell them apart",
        )
    _warn_rest(report, ROLES_FILE, "title", len(repeated), "repeated titles")
    return True


def _warn_rest(
    report: ValidationReport, file: str, column: str, count: int, what: str
) -> None:
    """One summary warning for the warnings of a kind beyond the first few."""
    if count > _MAX_WARNINGS_PER_KIND:
        report.warn(
            file,
            None,
            column,
            f"{count - _MAX_WARNINGS_PER_KIND} more {what} not listed one by one",
        )


def _check_edges(
    edges: pd.DataFrame, roles: pd.DataFrame, report: ValidationReport
) -> None:
    if _missing_columns(edges, EDGE_REQUIRED, EDGES_FILE, report):
        return
    known = pd.Index(roles["id"].unique())
    for column in ("source", "target"):
        unknown = edges[column][~edges[column].isin(known)]
        for row, role_id in unknown.items():
            message = (
                f"{column} is empty" if not role_id else f"unknown role id {role_id!r}"
            )
            close = difflib.get_close_matches(role_id, known, n=1) if role_id else []
            hint = f"did you mean {close[0]!r}?" if close else ""
            report.error(EDGES_FILE, row, column, message, hint)
    bad_type = ~edges["type"].isin(list(EDGE_TYPES))
    for row, edge_type in edges["type"][bad_type].items():
        report.error(
            EDGES_FILE,
            row,
            "type",
            f"unknown edge type {edge_type!r}",
            f"use one of {', '.join(EDGE_TYPES)}",
        )
    self_loops = (edges["source"] == edges["target"]) & (edges["source"] != "")
    for row in edges.index[self_loops]:
        report.error(EDGES_FILE, row, "target", "a role cannot relate to itself")
    triple = edges["source"] + "\x1f" + edges["target"] + "\x1f" + edges["type"]
    first_row = _first_rows(triple)
    for row, key in triple[triple.duplicated()].items():
        report.error(
            EDGES_FILE,
            row,
            "type",
            f"duplicate {edges.loc[row, 'type']!r} edge from "
            f"{edges.loc[row, 'source']!r} to {edges.loc[row, 'target']!r} "
            f"(first on row {first_row[key]})",
        )
    _check_years(edges, report)
    usable = ~bad_type & edges["source"].isin(known) & edges["target"].isin(known)
    _check_promotion_levels(edges[usable], roles, report)
    _check_reporting_cycles(edges[usable & (edges["type"] == "reports_to")], report)


def _check_years(edges: pd.DataFrame, report: ValidationReport) -> None:
    if "typical_years" not in edges.columns:
        return
    given = edges["typical_years"] != ""
    years = pd.to_numeric(edges["typical_years"], errors="coerce")
    for row, text in edges["typical_years"][given & ~(years >= 0)].items():
        report.error(
            EDGES_FILE,
            row,
            "typical_years",
            f"typical_years {text!r} is not a number of years",
            "use a number such as 2 or 1.5, or leave it empty",
        )
    if "reference" in edges.columns:
        cited = edges["reference"] != ""
    else:
        cited = pd.Series(False, index=edges.index)
    for row in edges.index[given & ~cited]:
        report.error(
            EDGES_FILE,
            row,
            "typical_years",
            "typical_years has no reference backing it",
            "name the source in the 'reference' column, or leave the figure out",
        )


def _check_promotion_levels(
    edges: pd.DataFrame, roles: pd.DataFrame, report: ValidationReport
) -> None:
    level = pd.to_numeric(
        roles.drop_duplicates("id").set_index("id")["level"], "coerce"
    )
    promotions = edges[edges["type"] == "promotion"]
    source_level = promotions["source"].map(level)
    target_level = promotions["target"].map(level)
    downward = promotions.index[target_level < source_level]
    for row in downward[:_MAX_WARNINGS_PER_KIND]:
        report.warn(
            EDGES_FILE,
            row,
            "type",
            f"promotion from {promotions.loc[row, 'source']!r} (level "
            f"{source_level[row]:g}) to {promotions.loc[row, 'target']!r} (level "
            f"{target_level[row]:g}) goes down a level",
            "check the levels, or call the move 'lateral'",
        )
    _warn_rest(report, EDGES_FILE, "type", len(downward), "downward promotions")


def _check_reporting_cycles(lines: pd.DataFrame, report: ValidationReport) -> None:
    """Report each group of roles whose reporting lines go round in a circle."""
    pairs = list(zip(lines["source"], lines["target"], strict=True))
    in_cycles = _nodes_on_or_behind_cycles(pairs)
    if not in_cycles:
        return
    reporting = nx.DiGraph(
        (s, t) for s, t in pairs if s in in_cycles and t in in_cycles
    )
    row_of = dict(zip(pairs, lines.index, strict=True))
    for component in nx.strongly_connected_components(reporting):
        if len(component) < 2:
            continue
        cycle = nx.find_cycle(reporting.subgraph(component))
        names = [source for source, _ in cycle]
        shown = " -> ".join(names[:_MAX_CYCLE_NAMES] + [names[0]])
        if len(names) > _MAX_CYCLE_NAMES:
            shown += f" (and {len(names) - _MAX_CYCLE_NAMES} more)"
        report.error(
            EDGES_FILE,
            min(row_of[edge] for edge in cycle),
            "type",
            f"reports_to lines form a cycle: {shown}",
            "somebody in the cycle must report outside it",
        )


def _nodes_on_or_behind_cycles(pairs: list[tuple[str, str]]) -> set[str]:
    """Nodes that Kahn's topological sort cannot remove: none for a forest.

    Linear time on plain dicts, so clean data (the usual case) costs little;
    only the few nodes left over go to networkx for the cycle report.
    """
    children: dict[str, list[str]] = {}
    indegree: dict[str, int] = {}
    for source, target in pairs:
        children.setdefault(source, []).append(target)
        indegree[target] = indegree.get(target, 0) + 1
        indegree.setdefault(source, 0)
    ready = [node for node, degree in indegree.items() if degree == 0]
    while ready:
        node = ready.pop()
        del indegree[node]
        for child in children.get(node, ()):
            indegree[child] -= 1
            if indegree[child] == 0:
                ready.append(child)
    return set(indegree)


def _cell_dicts(table: pd.DataFrame, skip: tuple[str, ...]) -> list[dict]:
    """One dict per row holding its non-empty cells, filled column by column."""
    dicts: list[dict] = [{} for _ in range(len(table))]
    for column in table.columns:
        if column in skip:
            continue
        values = table[column].to_numpy()
        for position in (values != "").nonzero()[0]:
            dicts[position][column] = values[position]
    return dicts


def _split_list(cell: str) -> list[str]:
    return [item.strip() for item in cell.split(";") if item.strip()]
