"""Loading the catalogue once per process and sharing it across sessions."""

from __future__ import annotations

import argparse
import hashlib
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import streamlit as st

from graph import ValidationReport, family_colours, load_sources, moves_graph
from graph.loading import read_folder
from graph.schema import BUNDLED_DATA, EDGES_FILE, ROLES_FILE

__all__ = [
    "Catalogue",
    "catalogue_from_graph",
    "data_folder",
    "load_catalogue",
    "load_uploaded",
]


@dataclass(frozen=True)
class Catalogue:
    """A loaded graph with what the widgets need, computed once."""

    G: nx.MultiDiGraph
    report: ValidationReport
    source: str
    #: Changes whenever the data does; session state made for other data resets.
    token: str
    roles_by_title: tuple[str, ...]
    #: ``G.number_of_edges()`` walks every node, so it is counted once here.
    edge_count: int
    #: The role with the most career moves in and out: a good first view.
    default_role: str
    families: tuple[str, ...]
    colours: dict
    min_level: int
    max_level: int

    def title(self, role: str) -> str:
        return self.G.nodes[role].get("title", role)


def data_folder(argv: list[str]) -> Path:
    """The folder from ``streamlit run app.py -- --data DIR``, else the bundled one."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data", type=Path, default=BUNDLED_DATA)
    args, _ = parser.parse_known_args(argv)
    return args.data


def _stamp(folder: Path) -> tuple:
    """Changes when a data file changes, so an edited folder is reloaded."""
    return tuple(
        (p.stat().st_mtime_ns, p.stat().st_size) if p.is_file() else None
        for p in (folder / ROLES_FILE, folder / EDGES_FILE)
    )


@st.cache_data(show_spinner=False, max_entries=4)
def _read_files(folder: str, stamp: tuple) -> tuple[bytes | None, bytes | None]:
    return read_folder(folder)


@st.cache_resource(show_spinner="Loading the catalogue…", max_entries=4)
def _build(folder: str, stamp: tuple) -> Catalogue:
    G, report = load_sources(*_read_files(folder, stamp))
    return catalogue_from_graph(G, report, folder, f"{folder}@{stamp}")


@st.cache_resource(show_spinner="Checking your catalogue…", max_entries=8)
def load_uploaded(
    roles: bytes, edges: bytes, label: str, file_names: tuple = ()
) -> Catalogue:
    """A catalogue from uploaded or edited CSV contents: validated and built
    once, cached by content, so the check before use and every later run (and
    every session with the same upload) share one graph.

    ``file_names`` pairs rename files in the report (see
    :func:`graph.load_sources`). Raises :class:`graph.InvalidData`.
    """
    G, report = load_sources(roles, edges, dict(file_names))
    digest = hashlib.sha1(roles + b"\x00" + edges).hexdigest()
    return catalogue_from_graph(G, report, label, digest)


def catalogue_from_graph(
    G: nx.MultiDiGraph, report: ValidationReport, source: str, token: str
) -> Catalogue:
    levels = [level for _, level in G.nodes(data="level")]
    return Catalogue(
        G=G,
        report=report,
        source=source,
        token=token,
        default_role=max(G, key=lambda r: (_move_count(G, r), G.degree(r))),
        edge_count=G.number_of_edges(),
        roles_by_title=tuple(
            sorted(G, key=lambda r: (G.nodes[r]["title"].casefold(), r))
        ),
        families=tuple(sorted({f for _, f in G.nodes(data="family")})),
        # Computed here, before the catalogue is shared between sessions.
        colours=family_colours(G),
        min_level=min(levels, default=1),
        max_level=max(levels, default=1),
    )


def _move_count(G: nx.MultiDiGraph, role: str) -> int:
    moves = moves_graph(G)
    return moves.in_degree(role) + moves.out_degree(role)


def load_catalogue(folder: Path) -> Catalogue:
    """The catalogue in ``folder``, built once per process for all sessions.

    Raises :class:`graph.InvalidData` when the data has errors.
    """
    return _build(str(folder), _stamp(folder))
