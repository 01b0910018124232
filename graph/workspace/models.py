"""The workspace's tables, as SQLAlchemy models.

A catalogue is a name; each apply adds a version holding the catalogue's two
files exactly as validated (zlib-compressed CSV), so a version exports back
to the same bytes and never changes once written. Migrations in
``migrations/versions`` create and upgrade these tables; a change here needs a
new migration there.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "Base",
    "CatalogueRow",
    "VersionRow",
    "PersonRow",
    "PlanRow",
    "PlanRevisionRow",
]


class Base(DeclarativeBase):
    pass


class CatalogueRow(Base):
    __tablename__ = "catalogues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    versions: Mapped[list[VersionRow]] = relationship(
        back_populates="catalogue",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="VersionRow.number",
    )


class VersionRow(Base):
    __tablename__ = "versions"
    # Two applies based on the same version race for the same number: the
    # database refuses the second, whatever the backend or the process.
    __table_args__ = (UniqueConstraint("catalogue_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    catalogue_id: Mapped[int] = mapped_column(
        ForeignKey("catalogues.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    based_on: Mapped[int | None] = mapped_column(Integer, nullable=True)
    restored_from: Mapped[int | None] = mapped_column(Integer, nullable=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    role_count: Mapped[int] = mapped_column(Integer)
    relation_count: Mapped[int] = mapped_column(Integer)
    #: JSON: counts of roles and relations added, removed and changed.
    changes: Mapped[str] = mapped_column(Text, default="{}")
    #: JSON: the warnings validation gave when the version was saved.
    warnings: Mapped[str] = mapped_column(Text, default="[]")
    # Deferred: lists of versions and catalogues never read the files.
    roles_csv: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    edges_csv: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    catalogue: Mapped[CatalogueRow] = relationship(back_populates="versions")


class PersonRow(Base):
    """A person being planned for: a display name, no other personal data.

    ``revision`` counts saves, so a save based on an older one is refused.
    """

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(200))
    #: JSON: skill name -> rating (0-5).
    ratings: Mapped[str] = mapped_column(Text, default="{}")
    #: JSON: target role ids.
    targets: Mapped[str] = mapped_column(Text, default="[]")
    notes: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    plans: Mapped[list[PlanRow]] = relationship(
        back_populates="person",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PlanRow.id",
    )


class PlanRow(Base):
    """A person's development plan, as last saved; every save is also kept in
    :class:`PlanRevisionRow`, so its history can be read back."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    target: Mapped[str] = mapped_column(String(200))
    revision: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    #: JSON: the path, the actions and the notes (see graph.plans).
    content: Mapped[str] = mapped_column(Text)
    person: Mapped[PersonRow] = relationship(back_populates="plans")


class PlanRevisionRow(Base):
    __tablename__ = "plan_revisions"
    __table_args__ = (UniqueConstraint("plan_id", "revision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), index=True
    )
    revision: Mapped[int] = mapped_column(Integer)
    saved_at: Mapped[datetime] = mapped_column(DateTime)
    content: Mapped[str] = mapped_column(Text)
