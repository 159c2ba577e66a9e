"""Alembic environment: runs on the connection storage.migrate hands over (async engines).

SQLite cannot ALTER most things in place, so every migration is rendered in batch mode there
(copy-and-move of the table); on PostgreSQL the same operations run directly.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from storage import models_sms, models_staff, models_stats  # noqa: F401  (their tables)
from storage.models import Base


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


_connection = context.config.attributes.get("connection")
if _connection is None:
    raise RuntimeError("run migrations with `helpline migrate` (or storage.migrate), not alembic")
run(_connection)
