"""Alembic's entry for the workspace: runs migrations on the connection that
:func:`graph.workspace.upgrade` passes in (no alembic.ini is needed)."""

from __future__ import annotations

from alembic import context

from graph.workspace.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite alters tables by copying them; batch mode does that for us.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
