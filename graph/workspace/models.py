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

__all__ = ["Base", "CatalogueRow", "VersionRow"]


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
