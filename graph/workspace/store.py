"""The workspace: named catalogues with versions, in SQLite or PostgreSQL.

Every write is one transaction: a version is either all there or not there,
whatever happens to the process. Versions are never changed or overwritten;
a restore adds a new version. An apply names the version it was based on, and
is refused when another one was saved since (:class:`VersionConflict`).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from graph.limits import DEFAULT_LIMITS, Limits
from graph.loading import validated_tables
from graph.validation import Problem, ValidationReport
from graph.workspace.changes import (
    Changes,
    catalogue_changes,
    read_catalogue_tables,
)
from graph.workspace.database import (
    default_db_url,
    display_name,
    head_revision,
    make_engine,
    schema_revision,
    upgrade_schema,
)
from graph.workspace.models import CatalogueRow, VersionRow
from graph.workspace.people import PeopleBook
from graph.workspace.records import (
    CatalogueExists,
    CatalogueInfo,
    CatalogueNotFound,
    SavedVersion,
    VersionConflict,
    VersionInfo,
    VersionNotFound,
    WorkspaceError,
    checked_name,
)

__all__ = [
    "MAX_NAME_LENGTH",
    "Workspace",
    "content_hash",
    "open_workspace",
    "workspace_at",
]

MAX_NAME_LENGTH = 200


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
    def people(self) -> PeopleBook:
        """The people and development plans saved in this workspace."""
        return PeopleBook(self.engine)

    @property
    def display_name(self) -> str:
        """The workspace's name for people (see ``database.display_name``)."""
        return display_name(self.engine)

    # Schema ---------------------------------------------------------------

    def head_revision(self) -> str | None:
        return head_revision()

    def schema_revision(self) -> str | None:
        return schema_revision(self.engine)

    def upgrade(self) -> None:
        """Migrate the schema to this release's head, in one transaction."""
        upgrade_schema(self.engine)

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
        limits: Limits = DEFAULT_LIMITS,
    ) -> VersionInfo:
        """Save a catalogue's files as a new version of ``name``.

        ``based_on`` is the version the change started from; ``None`` creates
        the catalogue (refused when ``name`` exists). The files must be a valid
        catalogue: they are checked first, and nothing is written when they are
        not (:class:`graph.InvalidData`; ``file_names`` names the files in its
        report, as for :func:`graph.load_sources`; ``limits`` bounds them).

        Raises
        ------
        VersionConflict
            If a version newer than ``based_on`` exists: someone else saved in
            between. Nothing is written.
        """
        name = checked_name(name, "A catalogue", MAX_NAME_LENGTH)
        *new_tables, report = validated_tables(roles, edges, file_names, limits=limits)
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


def workspace_at(url: str | None = None) -> Workspace:
    """The workspace at ``url`` (default: :func:`default_db_url`), as it is:
    no schema check, no migration. Most callers want :func:`open_workspace`."""
    return Workspace(make_engine(url or default_db_url()))


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
