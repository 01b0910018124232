"""Loading: read, validate and build in one call, from a folder, file contents
or an Excel workbook.

Every problem in the data is collected into one :class:`ValidationReport`
before anything is built, so a bad file never yields a half-built graph.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import networkx as nx
import pandas as pd

from graph.building import build_graph
from graph.bulk import collection_paused, pages_kept
from graph.cache import BuildCache, build_key, detached_graph
from graph.errors import InvalidData
from graph.indexes import roles_by_title, roles_without_reporting_line
from graph.limits import DEFAULT_LIMITS, Limits
from graph.lists import split_list
from graph.reading import (
    FIRST_DATA_ROW,
    read_table,
    read_workbook,
    workbook_file_names,
)
from graph.schema import (
    ABOUT_FILE,
    ABOUT_KEYS,
    EDGES_FILE,
    LEVELS_FILE,
    ROLES_FILE,
    SKILLS_FILE,
)
from graph.search import role_lookup
from graph.validation import (
    RelationEnds,
    ValidationReport,
    relation_ends,
    validate_about,
    validate_levels,
    validate_skills,
    validate_tables,
)

__all__ = [
    "SkippedRow",
    "MAX_SKIP_PASSES",
    "load_graph",
    "skipped_frame",
    "without_invalid_rows",
    "load_sources",
    "load_validated",
    "load_workbook",
    "read_about",
    "read_folder",
    "read_levels",
    "read_skill_vocabulary",
    "ready_to_share",
    "validated_tables",
]


def read_folder(
    data_dir: str | Path, limits: Limits = DEFAULT_LIMITS
) -> tuple[bytes | None, bytes | None]:
    """The bytes of ``roles.csv`` and ``edges.csv`` in a folder (``None`` for a
    missing file).

    Raises
    ------
    InvalidData
        If a file is larger than ``limits.file_bytes``; its size is checked
        before it is read.
    """
    folder = Path(data_dir)
    paths = (folder / ROLES_FILE, folder / EDGES_FILE)
    report = ValidationReport()
    for path in paths:
        if path.is_file() and (size := path.stat().st_size) > limits.file_bytes:
            report.error(
                path.name,
                None,
                None,
                f"the file is {size:,} bytes, more than {limits.file_bytes:,}",
                Limits.how_to_raise("file_bytes"),
            )
    if not report.ok:
        raise InvalidData(report)
    return tuple(  # type: ignore[return-value]
        path.read_bytes() if path.is_file() else None for path in paths
    )


def _checked_table(
    content: bytes | str,
    file: str,
    validate: Callable[[pd.DataFrame], ValidationReport],
) -> pd.DataFrame:
    """An optional file's table, read and checked by ``validate``.

    Raises :class:`InvalidData` with every problem found.
    """
    report = ValidationReport()
    table = read_table(content, file, report)
    if table is not None:
        report.extend(validate(table))
    if not report.ok:
        raise InvalidData(report)
    return table


def read_levels(content: bytes | str) -> dict[int, dict[str, str]]:
    """Named levels from the contents of ``levels.csv``: level -> name and
    description.

    Raises
    ------
    InvalidData
        If the file cannot be read or breaks its contract.

    Examples
    --------
    >>> read_levels("level,name,description\\n2,Some preparation,Months\\n")
    {2: {'name': 'Some preparation', 'description': 'Months'}}
    """
    table = _checked_table(content, LEVELS_FILE, validate_levels)
    return {
        int(float(row["level"])): {
            "name": row["name"],
            "description": row.get("description", ""),
        }
        for row in table.to_dict("records")
    }


def read_skill_vocabulary(content: bytes | str) -> dict[str, str]:
    """The skills vocabulary from the contents of ``skills.csv``: every name
    and synonym (case-folded) -> the skill's name.

    Raises
    ------
    InvalidData
        If the file cannot be read or breaks its contract.

    Examples
    --------
    >>> read_skill_vocabulary("id,name,synonyms\\nlead,Leadership,Team leadership\\n")
    {'leadership': 'Leadership', 'team leadership': 'Leadership'}
    """
    table = _checked_table(content, SKILLS_FILE, validate_skills)
    vocabulary = {}
    for row in table.to_dict("records"):
        for term in [row["name"], *split_list(row.get("synonyms", ""))]:
            vocabulary[term.casefold()] = row["name"]
    return vocabulary


def read_about(
    content: bytes | str, G: nx.Graph
) -> tuple[dict[str, str], ValidationReport]:
    """What ``catalogue.json`` says about the catalogue ``G`` (see
    :data:`graph.schema.ABOUT_KEYS`), and the report (warnings only): unknown
    keys are dropped, with a warning.

    Raises
    ------
    InvalidData
        If the file is not JSON or breaks its contract.

    Examples
    --------
    >>> G = nx.Graph([("clerk", "boss")])
    >>> about, report = read_about('{"title": "Ops", "landing_role": "clerk"}', G)
    >>> about, report.ok
    ({'title': 'Ops', 'landing_role': 'clerk'}, True)
    """
    report = ValidationReport()
    try:
        about = json.loads(content)
    except (ValueError, UnicodeDecodeError) as error:
        report.error(ABOUT_FILE, None, None, f"not valid JSON: {error}")
        raise InvalidData(report) from None
    report = validate_about(about, G)
    if not report.ok:
        raise InvalidData(report)
    return {key: v for key, v in about.items() if key in ABOUT_KEYS}, report


def load_graph(
    data_dir: str | Path,
    *,
    skip_invalid: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    cache: BuildCache | None = None,
) -> tuple[nx.MultiDiGraph, ValidationReport]:
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

    An optional ``levels.csv`` names the levels (``G.graph["levels"]``), an
    optional ``skills.csv`` says which names are one skill
    (``G.graph["skill_vocabulary"]``), and an optional ``catalogue.json`` says
    what the catalogue is (``G.graph["about"]``).
    With ``skip_invalid``, rows with errors are left out (see
    :func:`without_invalid_rows`), each with a warning, and listed in
    ``G.graph["skipped"]``. ``limits`` bounds what the files may hold.

    With a ``cache`` (see :mod:`graph.cache`), files this code validated and
    built before, with the same options, are read back built, search lookup
    included; others are validated and built, and stored by a background
    thread while the caller goes on (:meth:`BuildCache.put_later`).
    """
    # The files' memory, once they are read, goes to the build (see _loaded).
    with pages_kept():
        return _load_folder(Path(data_dir), skip_invalid, limits, cache)


def _load_folder(
    folder: Path, skip_invalid: bool, limits: Limits, cache: BuildCache | None
) -> tuple[nx.MultiDiGraph, ValidationReport]:
    contents = list(read_folder(folder, limits))
    extras = {
        name: (folder / name).read_bytes() if (folder / name).is_file() else None
        for name in (LEVELS_FILE, SKILLS_FILE, ABOUT_FILE)
    }
    if cache is not None:
        key = build_key([*contents, *extras.values()], skip_invalid, limits)
        if (built := cache.get(key)) is not None:
            return built
    skipped: list[SkippedRow] = []
    if skip_invalid:
        *contents, skipped = without_invalid_rows(*contents, limits=limits)
    G, report = _loaded(contents, None, limits)
    G.graph["skipped"] = skipped
    for row in skipped:
        report.warn(row.file, row.row, None, f"row left out: {row.reasons}")
    if extras[LEVELS_FILE] is not None:
        G.graph["levels"] = read_levels(extras[LEVELS_FILE])
    if extras[SKILLS_FILE] is not None:
        G.graph["skill_vocabulary"] = read_skill_vocabulary(extras[SKILLS_FILE])
    if extras[ABOUT_FILE] is not None:
        G.graph["about"], about_report = read_about(extras[ABOUT_FILE], G)
        report.extend(about_report)
    if cache is not None:
        ready_to_share(G)  # and a warm load comes back with them
        cache.put_later(key, (detached_graph(G), report))
    return G, report


def ready_to_share(G: nx.MultiDiGraph) -> None:
    """Build the indexes that sessions would otherwise build on first use: the
    search lookup (:func:`graph.search.role_lookup`), the title order
    (:func:`graph.indexes.roles_by_title`) and the roles the org chart lists
    as having no reporting line. A graph shared between sessions is then
    never written to, and one stored in the build cache comes back with them.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", title="Clerk")
    >>> ready_to_share(G)
    >>> sorted(name for name in G.graph if not name.startswith("_"))
    ['lookup', 'reporting', 'roles_by_title', 'roles_without_reporting_line']
    """
    # as in load_sources: no garbage to look for, and arrays come and go
    with collection_paused(), pages_kept():
        role_lookup(G)
        roles_by_title(G)
        roles_without_reporting_line(G)


#: Dropping rows can orphan others (relations of a dropped role), so lenient
#: loading validates again; it never needs more than this many passes.
MAX_SKIP_PASSES = 4


@dataclass(frozen=True)
class SkippedRow:
    """A row left out by lenient loading, with why and what it held."""

    file: str
    row: int
    reasons: str
    cells: dict[str, str]


def without_invalid_rows(
    roles: bytes | str | None,
    edges: bytes | str | None,
    file_names: Mapping[str, str] | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[str, str, list[SkippedRow]]:
    """The two files without the rows that have errors, as CSV text, and the
    rows left out. Relations of a left-out role are left out too.

    Problems with a whole file (a missing column, an unreadable file) cannot
    be skipped row by row.

    Raises
    ------
    InvalidData
        If a problem is not in a row, naming only those problems.

    Examples
    --------
    >>> roles = "id,title,family,level\\na,Clerk,Ops,1\\nb,Boss,Ops,x\\n"
    >>> edges = "source,target,type\\na,b,promotion\\n"
    >>> kept_roles, kept_edges, skipped = without_invalid_rows(roles, edges)
    >>> print(kept_roles, kept_edges, sep="")
    id,title,family,level
    a,Clerk,Ops,1
    source,target,type
    <BLANKLINE>
    >>> [(s.file, s.row, s.reasons) for s in skipped]  # doctest: +NORMALIZE_WHITESPACE
    [('roles.csv', 3, "level: level 'x' is not a whole number"),
     ('edges.csv', 2, "target: unknown role id 'b'")]
    """
    # every error names a row to leave out, so none may go uncounted
    report = ValidationReport(limit=None)
    tables = {
        ROLES_FILE: read_table(roles, ROLES_FILE, report, limits),
        EDGES_FILE: read_table(edges, EDGES_FILE, report, limits),
    }
    skipped: list[SkippedRow] = []
    for _ in range(MAX_SKIP_PASSES):
        if tables[ROLES_FILE] is not None:
            report.extend(validate_tables(tables[ROLES_FILE], tables[EDGES_FILE]))
        if report.ok:
            break
        whole_file = [
            p for p in report.errors if p.row is None or p.row < FIRST_DATA_ROW
        ]
        if whole_file:
            raise InvalidData(
                _renamed(_limited(ValidationReport(whole_file), limits), file_names)
            )
        reasons: dict[tuple[str, int], list[str]] = {}
        for problem in report.errors:
            text = (
                f"{problem.column}: {problem.message}"
                if problem.column
                else problem.message
            )
            reasons.setdefault((problem.file, problem.row), []).append(text)
        for (file, row), texts in sorted(
            reasons.items(), key=lambda item: (item[0][0] != ROLES_FILE, item[0][1])
        ):
            table = tables[file]
            skipped.append(
                SkippedRow(
                    (file_names or {}).get(file, file),
                    row,
                    "; ".join(texts),
                    table.loc[row].to_dict(),
                )
            )
        for file, table in tables.items():
            rows = [row for f, row in reasons if f == file]
            tables[file] = table.drop(index=rows)
        report = ValidationReport(limit=None)
    else:
        raise InvalidData(_renamed(_limited(report, limits), file_names))
    return (
        tables[ROLES_FILE].to_csv(index=False),
        tables[EDGES_FILE].to_csv(index=False),
        skipped,
    )


def skipped_frame(skipped: list[SkippedRow]) -> pd.DataFrame:
    """Skipped rows as one table to download: file, row, problem, then the
    cells as they were."""
    return pd.DataFrame(
        [
            {"file": s.file, "row": s.row, "problem": s.reasons, **s.cells}
            for s in skipped
        ]
    )


def _renamed(
    report: ValidationReport, file_names: Mapping[str, str] | None
) -> ValidationReport:
    if not file_names:
        return report
    return replace(
        report,
        problems=[
            replace(p, file=file_names.get(p.file, p.file)) for p in report.problems
        ],
    )


def _limited(report: ValidationReport, limits: Limits) -> ValidationReport:
    """``report`` listing at most ``limits.errors`` errors, counting the rest."""
    limited = ValidationReport(limit=limits.errors)
    limited.extend(report)
    return limited


def validated_tables(
    roles: bytes | str | None,
    edges: bytes | str | None,
    file_names: Mapping[str, str] | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[pd.DataFrame, pd.DataFrame, ValidationReport]:
    """Read and validate the contents of a catalogue's two files.

    Returns both tables and the report (warnings only). ``None`` stands for a
    missing file; the other file is still checked. ``file_names`` renames the
    files in the report, e.g. ``roles.csv`` -> ``book.xlsx sheet roles``.
    ``limits`` bounds what the files may hold and how many errors are listed.

    Raises
    ------
    InvalidData
        If the data has errors; ``.report`` lists them (past
        ``limits.errors``, it counts them).
    """
    role_table, edge_table, _, report = _checked(
        [roles, edges], file_names, limits, arrow_strings=False
    )
    return role_table, edge_table, report


def _checked(
    contents: list[bytes | str | None],
    file_names: Mapping[str, str] | None,
    limits: Limits,
    *,
    arrow_strings: bool,
) -> tuple[pd.DataFrame, pd.DataFrame, RelationEnds | None, ValidationReport]:
    """:func:`validated_tables` of the two files' ``contents``, and where the
    relations' ends are in the roles, which the build reads again; with
    ``arrow_strings``, the tables' cells are Arrow-backed strings (see
    :func:`graph.reading.read_table`). Each file's entry in ``contents`` is
    let go once it is read, for its memory to serve what comes next."""
    report = ValidationReport(limit=limits.errors)
    tables = []
    for at, file in enumerate((ROLES_FILE, EDGES_FILE)):
        content, contents[at] = contents[at], None
        tables.append(
            read_table(content, file, report, limits, arrow_strings=arrow_strings)
        )
        del content
    role_table, edge_table = tables
    ends = None
    if role_table is not None:
        if edge_table is not None:
            ends = relation_ends(role_table, edge_table)
        report.extend(validate_tables(role_table, edge_table, ends))
    report = _renamed(report, file_names)
    if not report.ok:
        raise InvalidData(report)
    return role_table, edge_table, ends, report


def load_sources(
    roles: bytes | str | None,
    edges: bytes | str | None,
    file_names: Mapping[str, str] | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[nx.MultiDiGraph, ValidationReport]:
    """Load a data set from the contents of its two files (see
    :func:`validated_tables` for the arguments).

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
    contents = [roles, edges]
    del roles, edges  # the caller may hold them still; this function won't
    return _loaded(contents, file_names, limits)


def _loaded(
    contents: list[bytes | str | None],
    file_names: Mapping[str, str] | None,
    limits: Limits,
) -> tuple[nx.MultiDiGraph, ValidationReport]:
    """:func:`load_sources` of the two files' ``contents``, each let go once
    it is read. Where nothing else holds them, their memory serves the rest:
    a million roles' files are 550 MB, and the load took 8.4-9.3 s instead of
    12.0-13.5 s (three runs each, timed stage by stage)."""
    # Reading, checking and building make millions of objects and no garbage
    # that reference counting leaves: without the collector's passes over
    # them, a million roles load about 2 s sooner. They make and drop arrays
    # by the hundred, whose memory is reused rather than taken anew.
    with collection_paused(), pages_kept():
        role_table, edge_table, ends, report = _checked(
            contents, file_names, limits, arrow_strings=True
        )
        return build_graph(role_table, edge_table, ends), report


def load_validated(roles: bytes | str, edges: bytes | str) -> nx.MultiDiGraph:
    """Build a catalogue from files that passed validation before, unchanged
    since (a saved workspace version whose checksum matches): read, then build,
    without checking the contract again."""
    report = ValidationReport()
    with pages_kept():  # as in load_sources
        role_table = read_table(roles, ROLES_FILE, report, arrow_strings=True)
        edge_table = read_table(edges, EDGES_FILE, report, arrow_strings=True)
        if not report.ok:  # unreadable after all: never build half a catalogue
            raise InvalidData(report)
        return build_graph(role_table, edge_table)


def load_workbook(
    content: bytes, file: str = "workbook.xlsx", *, limits: Limits = DEFAULT_LIMITS
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
    texts = read_workbook(content, file, report, limits)
    if texts is None:
        raise InvalidData(report)
    return load_sources(
        texts[ROLES_FILE], texts[EDGES_FILE], workbook_file_names(file), limits=limits
    )
