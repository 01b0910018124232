"""The workspace: named catalogues with versions, in SQLite or PostgreSQL.

Every write is one transaction: a version is either all there or not there,
whatever happens to the process. Versions are never changed or overwritten;
a restore adds a new version. An apply names the version it was based on, and
is refused when another one was saved since (:class:`VersionConflict`).
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from graph.errors import CareerGraphError
from graph.loading import load_validated, validated_tables
from graph.validation import Problem, ValidationReport
from graph.workspace.changes import (
    Changes,
    catalogue_changes,
    describe_counts,
    read_catalogue_tables,
)
from graph.workspace.models import CatalogueRow, VersionRow

__all__ = [
    "DB_ENV",
    "default_db_url",
    "open_workspace",
    "workspace_at",
    "Workspace",
    "CatalogueInfo",
    "VersionInfo",
    "SavedVersion",
    "WorkspaceError",
    "CatalogueNotFound",
    "CatalogueExists",
    "VersionNotFound",
    "VersionConflict",
    "MAX_NAME_LENGTH",
    "content_hash",
]

#: The environment variable that names the workspace database (a SQLAlchemy URL).
DB_ENV = "CAREER_GRAPH_DB"
MAX_NAME_LENGTH = 200
_MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class WorkspaceError(CareerGraphError):
    """Something the workspace cannot do as asked."""


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

    def load(self) -> tuple[nx.MultiDiGraph, ValidationReport]:
        """The catalogue as a graph, with the report it was saved with.

        The files were validated before they were saved, and their content
        hash still matches, so they are built without checking them again.
        """
        return load_validated(self.roles_csv, self.edges_csv), self.warnings


@dataclass(frozen=True)
class CatalogueInfo:
    """A saved catalogue and its latest version."""

    name: str
    created_at: datetime
    latest: VersionInfo
    version_count: int


def default_db_url() -> str:
    """The workspace's URL: ``$CAREER_GRAPH_DB``, else a SQLite file in the
    user's data folder (``$XDG_DATA_HOME/career-graph/workspace.sqlite``,
    ``~/.local/share/...`` when that is unset)."""
    if os.environ.get(DB_ENV):
        return os.environ[DB_ENV]
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local/share")
    return f"sqlite:///{data_home / 'career-graph' / 'workspace.sqlite'}"


def _engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _sqlite_settings(connection, _record) -> None:
        cursor = connection.cursor()
        # WAL keeps readers going during a write and survives a killed writer;
        # foreign keys make deleting a catalogue delete its versions.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def _alembic_config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def workspace_at(url: str | None = None) -> Workspace:
    """The workspace at ``url`` (default: :func:`default_db_url`), as it is:
    no schema check, no migration. Most callers want :func:`open_workspace`."""
    return Workspace(_engine(url or default_db_url()))


def open_workspace(url: str | None = None, *, upgrade: bool = True) -> Workspace:
    """Open (and create, the first time) the workspace at ``url``.

    With ``upgrade`` (the default) the schema is migrated to this release's
    version first; without it, an outdated workspace raises
    :class:`WorkspaceError` saying what to run.
    """
    workspace = workspace_at(url)
    if workspace.schema_revision() != workspace.head_revision():
        if not upgrade:
            raise WorkspaceError(
                f"The workspace {workspace.display_name} needs an upgrade: run "
                "python -m graph workspace upgrade"
            )
        workspace.upgrade()
    return workspace


def _now() -> datetime:
    # Naive UTC: SQLite keeps no time zone, so every backend stores the same.
    return datetime.now(UTC).replace(tzinfo=None)


def content_hash(roles: bytes, edges: bytes) -> str:
    digest = hashlib.sha256(roles)
    digest.update(b"\x00")
    digest.update(edges)
    return digest.hexdigest()


def _info(catalogue: str, row: VersionRow) -> VersionInfo:
    return VersionInfo(
        catalogue=catalogue,
        number=row.number,
        created_at=row.created_at,
        note=row.note,
        based_on=row.based_on,
        restored_from=row.restored_from,
        content_hash=row.content_hash,
        role_count=row.role_count,
        relation_count=row.relation_count,
        change_counts=json.loads(row.changes),
    )


class Workspace:
    """Saved catalogues and their versions in one database.

    Examples
    --------
    >>> ws = open_workspace("sqlite://")
    >>> roles = b"id,title,family,level\\na,Clerk,Ops,1\\n"
    >>> ws.save("demo", roles, b"source,target,type\\n", note="first").number
    1
    >>> [c.name for c in ws.catalogues()]
    ['demo']
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def display_name(self) -> str:
        """How people see which workspace this is: a file name or a database
        name and host, never a password or a server path."""
        url = self.engine.url
        if url.get_backend_name() == "sqlite":
            name = Path(url.database).name if url.database else "in memory"
            return f"{name} (SQLite)"
        return f"{url.database} on {url.host or 'localhost'} (PostgreSQL)"

    # Schema ---------------------------------------------------------------

    def head_revision(self) -> str | None:
        return ScriptDirectory(str(_MIGRATIONS)).get_current_head()

    def schema_revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def upgrade(self) -> None:
        """Migrate the schema to this release's head, in one transaction."""
        with self.engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "head")

    # Reading ----------------------------------------------------------------

    def catalogues(self) -> list[CatalogueInfo]:
        """Every saved catalogue with its latest version, by name."""
        with Session(self.engine) as session:
            latest = (
                select(VersionRow.catalogue_id, func.max(VersionRow.number))
                .group_by(VersionRow.catalogue_id)
                .subquery()
            )
            rows = session.execute(
                select(CatalogueRow, VersionRow, latest.c[1])
                .join(latest, latest.c.catalogue_id == CatalogueRow.id)
                .join(
                    VersionRow,
                    (VersionRow.catalogue_id == CatalogueRow.id)
                    & (VersionRow.number == latest.c[1]),
                )
                .order_by(CatalogueRow.name)
            ).all()
            return [
                CatalogueInfo(c.name, c.created_at, _info(c.name, v), count)
                for c, v, count in rows
            ]

    def versions(self, name: str) -> list[VersionInfo]:
        """Every version of ``name``, oldest first."""
        with Session(self.engine) as session:
            catalogue = self._catalogue(session, name)
            rows = session.scalars(
                select(VersionRow)
                .where(VersionRow.catalogue_id == catalogue.id)
                .order_by(VersionRow.number)
            )
            return [_info(name, row) for row in rows]

    def load(self, name: str, number: int | None = None) -> SavedVersion:
        """Version ``number`` of ``name`` with its files (the latest when None)."""
        with Session(self.engine) as session:
            row = self._version(session, self._catalogue(session, name), number)
            roles, edges = (
                zlib.decompress(row.roles_csv),
                zlib.decompress(row.edges_csv),
            )
            if content_hash(roles, edges) != row.content_hash:
                raise WorkspaceError(
                    f"Version {number} of {name!r} does not match its checksum: the "
                    "database was changed outside this program. Restore another "
                    "version or import the files again."
                )
            warnings = ValidationReport(
                [Problem(**problem) for problem in json.loads(row.warnings)]
            )
            return SavedVersion(_info(name, row), roles, edges, warnings)

    def diff(self, name: str, old: int, new: int) -> Changes:
        """What changed from version ``old`` of ``name`` to version ``new``."""
        before, after = self.load(name, old), self.load(name, new)
        return catalogue_changes(
            read_catalogue_tables(before.roles_csv, before.edges_csv),
            read_catalogue_tables(after.roles_csv, after.edges_csv),
        )

    # Writing ----------------------------------------------------------------

    def save(
        self,
        name: str,
        roles: bytes,
        edges: bytes,
        *,
        note: str = "",
        based_on: int | None = None,
        restored_from: int | None = None,
        file_names: Mapping[str, str] | None = None,
    ) -> VersionInfo:
        """Save a catalogue's files as a new version of ``name``.

        ``based_on`` is the version the change started from; ``None`` creates
        the catalogue (refused when ``name`` exists). The files must be a valid
        catalogue: they are checked first, and nothing is written when they are
        not (:class:`graph.InvalidData`; ``file_names`` names the files in its
        report, as for :func:`graph.load_sources`).

        Raises
        ------
        VersionConflict
            If a version newer than ``based_on`` exists: someone else saved in
            between. Nothing is written.
        """
        name = _checked_name(name)
        *new_tables, report = validated_tables(roles, edges, file_names)
        with Session(self.engine) as session, session.begin():
            if based_on is None:
                if self._find(session, name) is not None:
                    raise CatalogueExists(
                        f"A catalogue named {name!r} exists already; choose "
                        "another name or open it and save a new version."
                    )
                catalogue = CatalogueRow(name=name, created_at=_now())
                session.add(catalogue)
                session.flush()
                changes = catalogue_changes(
                    (new_tables[0].iloc[:0], new_tables[1].iloc[:0]), new_tables
                )
            else:
                catalogue = self._catalogue(session, name)
                latest = self._version(session, catalogue, None)
                if latest.number != based_on:
                    raise self._conflict(name, based_on, latest)
                changes = catalogue_changes(
                    read_catalogue_tables(
                        zlib.decompress(latest.roles_csv),
                        zlib.decompress(latest.edges_csv),
                    ),
                    new_tables,
                )
            row = VersionRow(
                catalogue_id=catalogue.id,
                number=(based_on or 0) + 1,
                created_at=_now(),
                note=note.strip(),
                based_on=based_on,
                restored_from=restored_from,
                content_hash=content_hash(roles, edges),
                role_count=len(new_tables[0]),
                relation_count=len(new_tables[1]),
                changes=json.dumps(changes.counts()),
                warnings=json.dumps(report.to_dicts()),
                roles_csv=zlib.compress(roles, 1),
                edges_csv=zlib.compress(edges, 1),
            )
            session.add(row)
            try:
                session.flush()
            except IntegrityError:
                # Another process saved the same number first.
                session.rollback()
                with Session(self.engine) as fresh:
                    newest = self._version(fresh, self._catalogue(fresh, name), None)
                    raise self._conflict(name, based_on, newest) from None
            return _info(name, row)

    def restore(self, name: str, number: int, *, based_on: int) -> VersionInfo:
        """Make version ``number``'s content the newest version again (a new
        version; nothing is overwritten)."""
        old = self.load(name, number)
        return self.save(
            name,
            old.roles_csv,
            old.edges_csv,
            note=f"Restored version {number}",
            based_on=based_on,
            restored_from=number,
        )

    def delete(self, name: str) -> int:
        """Delete catalogue ``name`` and every version of it; return how many
        versions went."""
        with Session(self.engine) as session, session.begin():
            catalogue = self._catalogue(session, name)
            count = len(catalogue.versions)
            session.delete(catalogue)
        return count

    # Helpers ----------------------------------------------------------------

    def _find(self, session: Session, name: str) -> CatalogueRow | None:
        return session.scalar(select(CatalogueRow).where(CatalogueRow.name == name))

    def _catalogue(self, session: Session, name: str) -> CatalogueRow:
        catalogue = self._find(session, name)
        if catalogue is None:
            known = session.scalars(select(CatalogueRow.name).limit(20)).all()
            hint = f" Saved catalogues: {', '.join(map(repr, known))}." if known else ""
            raise CatalogueNotFound(f"No saved catalogue {name!r}.{hint}")
        return catalogue

    def _version(
        self, session: Session, catalogue: CatalogueRow, number: int | None
    ) -> VersionRow:
        query = select(VersionRow).where(VersionRow.catalogue_id == catalogue.id)
        if number is None:
            query = query.order_by(VersionRow.number.desc()).limit(1)
        else:
            query = query.where(VersionRow.number == number)
        row = session.scalar(query)
        if row is None:
            raise VersionNotFound(
                f"Catalogue {catalogue.name!r} has no version {number}."
            )
        return row

    def _conflict(self, name: str, based_on: int | None, latest: VersionRow):
        info = _info(name, latest)
        when = info.created_at.strftime("%Y-%m-%d %H:%M UTC")
        note = f" ({info.note!r})" if info.note else ""
        return VersionConflict(
            f"Not saved: {name!r} has changed since version {based_on} was opened. "
            f"Version {info.number}{note} was saved at {when}. Look at what it "
            "changed, then apply your edits to the latest version.",
            info,
        )


def _checked_name(name: str) -> str:
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise WorkspaceError("A catalogue needs a name.")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise WorkspaceError(
            f"A catalogue name has at most {MAX_NAME_LENGTH} characters."
        )
    return cleaned
