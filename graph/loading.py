"""Loading: read, validate and build in one call, from a folder, file contents
or an Excel workbook.

Every problem in the data is collected into one :class:`ValidationReport`
before anything is built, so a bad file never yields a half-built graph.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pandas as pd

from graph.building import build_graph
from graph.errors import InvalidData
from graph.reading import read_table, read_workbook, workbook_file_names
from graph.schema import ABOUT_FILE, ABOUT_KEYS, EDGES_FILE, LEVELS_FILE, ROLES_FILE
from graph.validation import (
    ValidationReport,
    validate_about,
    validate_levels,
    validate_tables,
)

__all__ = [
    "load_graph",
    "load_sources",
    "load_validated",
    "load_workbook",
    "read_about",
    "read_folder",
    "read_levels",
    "validated_tables",
]


def read_folder(data_dir: str | Path) -> tuple[bytes | None, bytes | None]:
    """The bytes of ``roles.csv`` and ``edges.csv`` in a folder (``None`` for a
    missing file)."""
    folder = Path(data_dir)
    return tuple(  # type: ignore[return-value]
        path.read_bytes() if path.is_file() else None
        for path in (folder / ROLES_FILE, folder / EDGES_FILE)
    )


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
    report = ValidationReport()
    table = read_table(content, LEVELS_FILE, report)
    if table is not None:
        report.extend(validate_levels(table))
    if not report.ok:
        raise InvalidData(report)
    return {
        int(float(row["level"])): {
            "name": row["name"],
            "description": row.get("description", ""),
        }
        for row in table.to_dict("records")
    }


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

    An optional ``levels.csv`` names the levels (``G.graph["levels"]``), and an
    optional ``catalogue.json`` says what the catalogue is (``G.graph["about"]``).
    """
    G, report = load_sources(*read_folder(data_dir))
    folder = Path(data_dir)
    if (folder / LEVELS_FILE).is_file():
        G.graph["levels"] = read_levels((folder / LEVELS_FILE).read_bytes())
    if (folder / ABOUT_FILE).is_file():
        G.graph["about"], about_report = read_about(
            (folder / ABOUT_FILE).read_bytes(), G
        )
        report.extend(about_report)
    return G, report


def validated_tables(
    roles: bytes | str | None,
    edges: bytes | str | None,
    file_names: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, ValidationReport]:
    """Read and validate the contents of a catalogue's two files.

    Returns both tables and the report (warnings only). ``None`` stands for a
    missing file; the other file is still checked. ``file_names`` renames the
    files in the report, e.g. ``roles.csv`` -> ``book.xlsx sheet roles``.

    Raises
    ------
    InvalidData
        If the data has errors; ``.report`` lists all of them.
    """
    report = ValidationReport()
    role_table = read_table(roles, ROLES_FILE, report)
    edge_table = read_table(edges, EDGES_FILE, report)
    if role_table is not None:
        report.extend(validate_tables(role_table, edge_table))
    if file_names:
        report = ValidationReport(
            [replace(p, file=file_names.get(p.file, p.file)) for p in report.problems]
        )
    if not report.ok:
        raise InvalidData(report)
    return role_table, edge_table, report


def load_sources(
    roles: bytes | str | None,
    edges: bytes | str | None,
    file_names: Mapping[str, str] | None = None,
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
    role_table, edge_table, report = validated_tables(roles, edges, file_names)
    return build_graph(role_table, edge_table), report


def load_validated(roles: bytes | str, edges: bytes | str) -> nx.MultiDiGraph:
    """Build a catalogue from files that passed validation before, unchanged
    since (a saved workspace version whose checksum matches): read, then build,
    without checking the contract again."""
    report = ValidationReport()
    role_table = read_table(roles, ROLES_FILE, report)
    edge_table = read_table(edges, EDGES_FILE, report)
    if not report.ok:  # unreadable after all: never build half a catalogue
        raise InvalidData(report)
    return build_graph(role_table, edge_table)


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
    texts = read_workbook(content, file, report)
    if texts is None:
        raise InvalidData(report)
    return load_sources(texts[ROLES_FILE], texts[EDGES_FILE], workbook_file_names(file))
