"""The workspace's database: where it is, how to connect, and its schema
migrations (Alembic, from ``migrations/``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "DB_ENV",
    "default_db_url",
    "make_engine",
    "display_name",
    "head_revision",
    "schema_revision",
    "upgrade_schema",
]

#: The environment variable that names the workspace database (a SQLAlchemy URL).
DB_ENV = "CAREER_GRAPH_DB"
_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The newest migration in ``migrations/versions`` (a test checks it against
#: Alembic's own answer). Opening a workspace that is up to date then needs
#: no Alembic: importing it took 0.25 s of the app's first page.
HEAD_REVISION = "0002"


def default_db_url() -> str:
    """The workspace's URL: ``$CAREER_GRAPH_DB``, else a SQLite file in the
    user's data folder (``$XDG_DATA_HOME/career-graph/workspace.sqlite``,
    ``~/.local/share/...`` when that is unset)."""
    if os.environ.get(DB_ENV):
        return os.environ[DB_ENV]
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local/share")
    return f"sqlite:///{data_home / 'career-graph' / 'workspace.sqlite'}"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, full sync and foreign keys."""
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
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def display_name(engine: Engine) -> str:
    """How people see which workspace this is: a file name or a database name
    and host, never a password or a server path."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        name = Path(url.database).name if url.database else "in memory"
        return f"{name} (SQLite)"
    return f"{url.database} on {url.host or 'localhost'} (PostgreSQL)"


def head_revision() -> str:
    """The schema revision this release expects."""
    return HEAD_REVISION


def schema_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (``None``: empty), read from
    Alembic's table as Alembic reads it."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(
            text("SELECT version_num FROM alembic_version")
        ).scalar()


def upgrade_schema(engine: Engine) -> None:
    """Migrate the schema to this release's head, in one transaction."""
    from alembic import command  # only here: see HEAD_REVISION

    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")
