"""The workspace: saved catalogues with versions, in SQLite by default or
PostgreSQL for a team (any SQLAlchemy URL), with Alembic migrations.

Open one with :func:`open_workspace`; the default database is named by
``$CAREER_GRAPH_DB`` or is a SQLite file in the user's data folder.
"""

from graph.workspace.changes import Changes, catalogue_changes, describe_counts
from graph.workspace.database import DB_ENV, default_db_url
from graph.workspace.people import (
    PeopleBook,
    PersonConflict,
    PersonExists,
    PersonNotFound,
    PlanConflict,
    StoredPerson,
    StoredPlan,
)
from graph.workspace.records import (
    CatalogueExists,
    CatalogueInfo,
    CatalogueNotFound,
    SavedVersion,
    VersionConflict,
    VersionInfo,
    VersionNotFound,
    WorkspaceError,
)
from graph.workspace.store import Workspace, open_workspace, workspace_at

__all__ = [
    "DB_ENV",
    "CatalogueExists",
    "CatalogueInfo",
    "CatalogueNotFound",
    "PeopleBook",
    "PersonConflict",
    "PersonExists",
    "PersonNotFound",
    "PlanConflict",
    "StoredPerson",
    "StoredPlan",
    "Changes",
    "SavedVersion",
    "VersionConflict",
    "VersionInfo",
    "VersionNotFound",
    "Workspace",
    "WorkspaceError",
    "catalogue_changes",
    "default_db_url",
    "describe_counts",
    "open_workspace",
    "workspace_at",
]
