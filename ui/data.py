"""Loading catalogues once per process and sharing them across sessions: the
folder the app was started on, and versions saved in the workspace."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import streamlit as st

from graph import (
    RELATION_TYPES,
    ValidationReport,
    family_colours,
    moves_graph,
)
from graph.loading import load_graph
from graph.schema import BUNDLED_DATA, EDGES_FILE, LEVELS_FILE, ROLES_FILE
from graph.workspace import VersionInfo, Workspace, open_workspace

__all__ = [
    "AppOptions",
    "Catalogue",
    "app_options",
    "catalogue_from_graph",
    "load_catalogue",
    "load_saved",
    "workspace",
]


@dataclass(frozen=True)
class Catalogue:
    """A loaded graph with what the widgets need, computed once."""

    G: nx.MultiDiGraph
    report: ValidationReport
    #: How people see where the data comes from (never a server path).
    source: str
    #: Changes whenever the data does; session state made for other data resets.
    token: str
    roles_by_title: tuple[str, ...]
    #: ``G.number_of_edges()`` walks every node, so it is counted once here.
    edge_count: int
    #: The role with the most career moves in and out: a good first view.
    default_role: str
    families: tuple[str, ...]
    #: The relation types the catalogue uses, in the registry's order.
    relation_types: tuple[str, ...]
    colours: dict
    min_level: int
    max_level: int
    #: The saved version this is, or ``None`` for the folder's read-only data.
    saved: VersionInfo | None = None

    def title(self, role: str) -> str:
        return self.G.nodes[role].get("title", role)


@dataclass(frozen=True)
class AppOptions:
    """``streamlit run app.py -- [--data DIR] [--db URL]``."""

    data: Path
    db: str | None


def app_options(argv: list[str]) -> AppOptions:
    """The app's own options: the read-only data folder (default: the bundled
    one) and the workspace database (default: see ``graph.workspace``)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data", type=Path, default=BUNDLED_DATA)
    parser.add_argument("--db", default=None)
    args, _ = parser.parse_known_args(argv)
    return AppOptions(args.data, args.db)


def _stamp(folder: Path) -> tuple:
    """Changes when a data file changes, so an edited folder is reloaded."""
    return tuple(
        (p.stat().st_mtime_ns, p.stat().st_size) if p.is_file() else None
        for p in (folder / ROLES_FILE, folder / EDGES_FILE, folder / LEVELS_FILE)
    )


@st.cache_resource(show_spinner="Loading the catalogue…", max_entries=4)
def _build(folder: str, stamp: tuple) -> Catalogue:
    G, report = load_graph(folder)
    label = f"{Path(folder).name} (read-only)"
    return catalogue_from_graph(G, report, label, f"folder:{folder}@{stamp}")


def catalogue_from_graph(
    G: nx.MultiDiGraph,
    report: ValidationReport,
    source: str,
    token: str,
    saved: VersionInfo | None = None,
) -> Catalogue:
    """A :class:`Catalogue` around a built graph."""
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
        relation_types=_relation_types(G),
        # Computed here, before the catalogue is shared between sessions.
        colours=family_colours(G),
        min_level=min(levels, default=1),
        max_level=max(levels, default=1),
        saved=saved,
    )


def _relation_types(G: nx.MultiDiGraph) -> tuple[str, ...]:
    used = {key for _, _, key in G.edges(keys=True)}
    return tuple(name for name in RELATION_TYPES if name in used)


def _move_count(G: nx.MultiDiGraph, role: str) -> int:
    moves = moves_graph(G)
    return moves.in_degree(role) + moves.out_degree(role)


def load_catalogue(folder: Path) -> Catalogue:
    """The catalogue in ``folder``, built once per process for all sessions.

    Raises :class:`graph.InvalidData` when the data has errors.
    """
    return _build(str(folder), _stamp(folder))


@st.cache_resource(show_spinner="Opening the workspace…")
def workspace(url: str | None) -> Workspace:
    """The workspace database, opened (and migrated) once per process."""
    return open_workspace(url)


@st.cache_resource(show_spinner="Opening the saved catalogue…", max_entries=8)
def load_saved(url: str | None, name: str, number: int) -> Catalogue:
    """Version ``number`` of the saved catalogue ``name``, built once per
    process: versions never change, so the cache can never be stale.

    Raises ``CatalogueNotFound`` or ``VersionNotFound``.
    """
    saved = workspace(url).load(name, number)
    G, report = saved.load()
    return catalogue_from_graph(
        G,
        report,
        f"{name} (version {number})",
        f"saved:{name}@{number}",
        saved=saved.info,
    )
