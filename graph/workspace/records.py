"""What the workspace hands out: saved versions and catalogues, and its errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import networkx as nx

from graph.cache import BuildCache, build_key, detached_graph
from graph.errors import CareerGraphError
from graph.loading import load_validated, ready_to_share
from graph.validation import ValidationReport
from graph.workspace.changes import describe_counts

__all__ = [
    "checked_name",
    "WorkspaceError",
    "CatalogueNotFound",
    "CatalogueExists",
    "VersionNotFound",
    "VersionConflict",
    "VersionInfo",
    "SavedVersion",
    "CatalogueInfo",
]


class WorkspaceError(CareerGraphError):
    """Something the workspace cannot do as asked."""


def checked_name(name: object, what: str, longest: int) -> str:
    """``name`` with its runs of whitespace made single spaces, once it is not
    empty and at most ``longest`` characters; ``what`` names it in errors.

    Examples
    --------
    >>> checked_name("  Ops   team ", "A catalogue", 200)
    'Ops team'
    """
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise WorkspaceError(f"{what} needs a name.")
    if len(cleaned) > longest:
        raise WorkspaceError(f"{what} name has at most {longest} characters.")
    return cleaned


class CatalogueNotFound(WorkspaceError, LookupError):
    """No saved catalogue has that name."""


class CatalogueExists(WorkspaceError):
    """A catalogue of that name is already saved."""


class VersionNotFound(WorkspaceError, LookupError):
    """The catalogue has no version of that number."""


class VersionConflict(WorkspaceError):
    """Another version was saved after the one an apply was based on.

    ``latest`` is that newer version, so the user can look at what it changed.
    """

    def __init__(self, message: str, latest: VersionInfo) -> None:
        super().__init__(message)
        self.latest = latest


@dataclass(frozen=True)
class VersionInfo:
    """One saved version, without its files."""

    catalogue: str
    number: int
    created_at: datetime
    note: str
    based_on: int | None
    restored_from: int | None
    content_hash: str
    role_count: int
    relation_count: int
    change_counts: dict

    @property
    def changes_text(self) -> str:
        """What this version changed against the one it was based on, in words."""
        if self.based_on is None:
            return f"first version: {self.role_count} roles"
        return describe_counts(self.change_counts)


@dataclass(frozen=True)
class SavedVersion:
    """A version with its two files, exactly as they were saved, and the
    warnings their validation gave then."""

    info: VersionInfo
    roles_csv: bytes
    edges_csv: bytes
    warnings: ValidationReport

    def load(
        self, cache: BuildCache | None = None
    ) -> tuple[nx.MultiDiGraph, ValidationReport]:
        """The catalogue as a graph, with the report it was saved with.

        The files were validated before they were saved, and their content
        hash still matches, so they are built without checking them again.
        With a ``cache`` (see :mod:`graph.cache`), a version built before is
        read back built, search lookup included.
        """
        key = build_key([self.info.content_hash], "saved version")
        if cache is not None and (built := cache.get(key)) is not None:
            return built, self.warnings
        G = load_validated(self.roles_csv, self.edges_csv)
        if cache is not None:
            ready_to_share(G)
            cache.put_later(key, detached_graph(G))
        return G, self.warnings


@dataclass(frozen=True)
class CatalogueInfo:
    """A saved catalogue and its latest version."""

    name: str
    created_at: datetime
    latest: VersionInfo
    version_count: int
