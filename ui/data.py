"""Loading catalogues once per process and sharing them across sessions: the
folder the app was started on, and versions saved in the workspace."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
import streamlit as st

from graph import (
    RELATION_TYPES,
    ValidationReport,
    family_colours,
    moves_graph,
    relation_counts,
)
from graph.adjacency import degree_counts
from graph.cache import BuildCache, default_cache
from graph.indexes import roles_by_title
from graph.limits import Limits, count_from_env, limits_from_env
from graph.loading import load_graph, ready_to_share
from graph.roletable import node_values
from graph.schema import (
    ABOUT_FILE,
    BUNDLED_CATALOGUES,
    BUNDLED_DATA,
    EDGES_FILE,
    LEVELS_FILE,
    ROLES_FILE,
)
from graph.workspace import VersionInfo, Workspace, open_workspace
from ui.memory import collect_soon, one_build_at_a_time, release_when_idle

__all__ = [
    "AppOptions",
    "Catalogue",
    "app_options",
    "catalogue_from_graph",
    "folder_choices",
    "folder_title",
    "landing_role",
    "load_catalogue",
    "load_saved",
    "workspace",
]


#: How many aliases a role picker shows beside a title.
_PICKER_ALIASES = 3
#: Aliases in capitals up to this long are abbreviations (COO, CFO, HR).
_ABBREVIATION = 5


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
    #: The role the explorer opens on (see :func:`landing_role`).
    default_role: str
    families: tuple[str, ...]
    #: The relation types the catalogue uses, in the registry's order.
    relation_types: tuple[str, ...]
    colours: dict
    min_level: int
    max_level: int
    #: The saved version this is, or ``None`` for the folder's read-only data.
    saved: VersionInfo | None = None
    #: The credit the data's licence asks for, shown wherever it is.
    attribution: str = ""
    #: Rows with errors left out at the user's request (lenient loading).
    skipped: tuple = ()

    def title(self, role: str) -> str:
        return self.G.nodes[role].get("title", role)

    def picker_label(self, role: str) -> str:
        """The title with its first aliases, so typing an alias or an
        abbreviation in a picker finds the role ("COO")."""
        aliases = self.G.nodes[role].get("aliases") or []
        # an abbreviation leads ("COO · Chief Operating Officer"): pickers
        # rank a match at the start of a label first
        short = [a for a in aliases if a.isupper() and len(a) <= _ABBREVIATION]
        other = [a for a in aliases if a not in short][:_PICKER_ALIASES]
        label = self.title(role)
        if short:
            label = f"{' / '.join(short)} · {label}"
        return f"{label} ({', '.join(other)})" if other else label


#: What one upload or edit may hold in the app, where one user's file shares
#: the server with everyone else: tighter than the CLI's budgets. The
#: ``CAREER_GRAPH_MAX_*`` environment variables change them.
UPLOAD_LIMITS = Limits(rows=200_000, errors=200, workbook_bytes=50_000_000)


@dataclass(frozen=True)
class AppOptions:
    """``streamlit run app.py -- [--data DIR] [--db URL]``, and the budgets of
    uploads and edits."""

    data: Path
    db: str | None
    limits: Limits = UPLOAD_LIMITS
    #: How long checking and saving one upload or edit may take, in seconds.
    check_seconds: float = 60.0
    #: Where built catalogues are kept between loads and restarts.
    cache: BuildCache | None = None
    #: Megabytes of uploaded files held for all sessions at once (see
    #: :mod:`ui.uploads`): ten uploads of two near-cap CSV files fit.
    uploads_held_mb: int = 200


def app_options(argv: list[str]) -> AppOptions:
    """The app's own options: the read-only data folder (default: the bundled
    one), the workspace database (default: see ``graph.workspace``), the
    upload budgets (:data:`UPLOAD_LIMITS`, changed by the environment), the
    time budget of a check (``CAREER_GRAPH_CHECK_SECONDS``), the build
    cache (:func:`graph.cache.default_cache`) and the uploads held at once
    (``CAREER_GRAPH_UPLOADS_HELD_MB``).

    Raises ``ValueError`` for a budget variable that is not a number."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data", type=Path, default=BUNDLED_DATA)
    parser.add_argument("--db", default=None)
    args, _ = parser.parse_known_args(argv)
    return AppOptions(
        args.data,
        args.db,
        limits_from_env(base=UPLOAD_LIMITS),
        float(count_from_env(CHECK_SECONDS_ENV, 60)),
        default_cache(),
        count_from_env(UPLOADS_HELD_ENV, AppOptions.uploads_held_mb),
    )


#: The variable that sets :attr:`AppOptions.check_seconds`.
CHECK_SECONDS_ENV = "CAREER_GRAPH_CHECK_SECONDS"
#: The variable that sets :attr:`AppOptions.uploads_held_mb`.
UPLOADS_HELD_ENV = "CAREER_GRAPH_UPLOADS_HELD_MB"


def folder_choices(options: AppOptions) -> dict[str, Path]:
    """The read-only catalogues a session can open: the folder the app was
    started on (key ``""``), then every other bundled catalogue by name."""
    started = options.data.resolve()
    return {
        "": options.data,
        **{
            name: folder
            for name, folder in BUNDLED_CATALOGUES.items()
            if folder.resolve() != started
        },
    }


def folder_title(folder: Path) -> str:
    """The title a folder's ``catalogue.json`` gives, or else its name; never
    the server's path."""
    try:
        title = json.loads((folder / ABOUT_FILE).read_text(encoding="utf-8"))["title"]
    except (OSError, ValueError, KeyError, TypeError):
        return folder.name
    return title if isinstance(title, str) and title else folder.name


def _stamp(folder: Path) -> tuple:
    """Changes when a data file changes, so an edited folder is reloaded."""
    return tuple(
        (p.stat().st_mtime_ns, p.stat().st_size) if p.is_file() else None
        for p in (
            folder / ROLES_FILE,
            folder / EDGES_FILE,
            folder / LEVELS_FILE,
            folder / ABOUT_FILE,
        )
    )


@st.cache_resource(
    show_spinner="Loading the catalogue…", max_entries=4, on_release=collect_soon
)
def _build(
    folder: str, stamp: tuple, skip_invalid: bool, cache: BuildCache | None
) -> Catalogue:
    label = f"{folder_title(Path(folder))} (read-only)"
    token = f"folder:{folder}@{stamp}" + ":lenient" * skip_invalid
    with one_build_at_a_time:
        G, report = load_graph(folder, skip_invalid=skip_invalid, cache=cache)
        return catalogue_from_graph(G, report, label, token)


def catalogue_from_graph(
    G: nx.MultiDiGraph,
    report: ValidationReport,
    source: str,
    token: str,
    saved: VersionInfo | None = None,
) -> Catalogue:
    """A :class:`Catalogue` around a built graph."""
    levels = node_values(G, "level")
    about = G.graph.get("about", {})
    ready_to_share(G)  # built now: a graph shared between sessions is not written to
    counts = relation_counts(G)
    # Computed here, before the catalogue is shared between sessions; keyed
    # by every family, so the family list needs no pass of its own.
    colours = family_colours(G)
    return Catalogue(
        G=G,
        report=report,
        source=source,
        token=token,
        default_role=landing_role(G),
        edge_count=sum(counts.values()),
        roles_by_title=roles_by_title(G),
        families=tuple(sorted(colours)),
        relation_types=tuple(name for name in RELATION_TYPES if counts.get(name)),
        colours=colours,
        min_level=min(levels, default=1),
        max_level=max(levels, default=1),
        saved=saved,
        attribution=about.get("attribution", ""),
        skipped=tuple(G.graph.get("skipped", ())),
    )


def landing_role(G: nx.MultiDiGraph) -> str | None:
    """The role the explorer opens on: the one the catalogue names
    (``catalogue.json``), or else where careers start in the largest family:
    its most junior role with a move out, by title.

    Not simply the best-connected role: in a real catalogue that is an
    arbitrary hub, and a crowded first view. ``None`` for a catalogue with no
    roles.
    """
    named = G.graph.get("about", {}).get("landing_role")
    if named in G:
        return named
    if not len(G):
        return None
    families = node_values(G, "family")
    sizes: dict[str, int] = {}
    for family in families:
        sizes[family] = sizes.get(family, 0) + 1
    largest = max(sorted(sizes), key=sizes.__getitem__)
    # From the arrays, where a role's out-degree would make its neighbourhood
    members = np.array([family == largest for family in families])
    moving = members & (degree_counts(moves_graph(G), "out") > 0)
    chosen = np.flatnonzero(moving if moving.any() else members)
    levels = np.asarray(node_values(G, "level"))[chosen]
    roles = list(G)
    lowest = [roles[at] for at in chosen[levels == levels.min()].tolist()]
    return min(lowest, key=lambda role: (G.nodes[role]["title"], role))


def load_catalogue(
    folder: Path, *, skip_invalid: bool = False, cache: BuildCache | None = None
) -> Catalogue:
    """The catalogue in ``folder``, built once per process for all sessions
    (and kept built in ``cache`` between restarts); with ``skip_invalid``,
    without the rows that have errors.

    Raises :class:`graph.InvalidData` when the data has errors (with
    ``skip_invalid``: errors that are not in a row).
    """
    return _build(str(folder), _stamp(folder), skip_invalid, cache)


@st.cache_resource(show_spinner="Opening the workspace…")
def workspace(url: str | None) -> Workspace:
    """The workspace database, opened (and migrated) once per process."""
    return open_workspace(url)


#: Saved catalogues kept built at once, and for how long (seconds, from when
#: one was built, or from the server's last run): a built catalogue holds
#: about 4 KB a role, so ten 30,000-role uploads would otherwise hold more
#: than a gigabyte long after their sessions end. The build cache brings one
#: back in well under a second.
SAVED_KEPT, SAVED_KEPT_S = 4, 600


@st.cache_resource(
    show_spinner="Opening the saved catalogue…",
    max_entries=SAVED_KEPT,
    ttl=SAVED_KEPT_S,
    on_release=collect_soon,
)
def load_saved(
    url: str | None, name: str, number: int, cache: BuildCache | None = None
) -> Catalogue:
    """Version ``number`` of the saved catalogue ``name``, built once per
    process and kept while in use: versions never change, so the cache can
    never be stale.

    Raises ``CatalogueNotFound`` or ``VersionNotFound``.
    """
    saved = workspace(url).load(name, number)
    with one_build_at_a_time:
        G, report = saved.load(cache)
        return catalogue_from_graph(
            G,
            report,
            f"{name} (version {number})",
            f"saved:{name}@{number}",
            saved=saved.info,
        )


# An idle server lets them go too: their ttl counts only when a run reads them.
release_when_idle(load_saved.clear, SAVED_KEPT_S)
