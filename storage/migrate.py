"""Schema history (Alembic): bring a database to the newest revision, say whether it is there,
and compare the migrations with the models.

The app never creates tables from the models: an SQLite database migrates itself when the app
starts; a PostgreSQL database is migrated by `helpline migrate`, and the app refuses to start on
one that is not current (several processes must not race to alter a shared schema).

Adding a migration: `make migration m="what changed"` (see storage/migrations/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage import models_inbox, models_sms, models_staff, models_stats  # noqa: F401  (their tables)
from storage.models import Base
from storage.schema_state import SchemaNotReady, SchemaState

MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001"  # the schema create_all made before migrations existed


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    cfg.attributes["connection"] = connection
    return cfg


def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    heads = scripts().get_heads()
    if len(heads) != 1:
        raise SchemaNotReady(
            f"storage/migrations has {len(heads)} newest revisions ({', '.join(sorted(heads))}):"
            " make the later one's down_revision the other (see storage/migrations/README.md)"
        )
    return heads[0]


def _state(conn: Connection) -> SchemaState:
    current = tuple(sorted(MigrationContext.configure(conn).get_current_heads()))
    ours = scripts()
    known = all(_exists(ours, rev) for rev in current)
    legacy = not current and inspect(conn).has_table("conversations")
    return SchemaState(current, head(), known, legacy)


def _exists(ours: ScriptDirectory, rev: str) -> bool:
    try:
        return ours.get_revision(rev) is not None
    except Exception:  # alembic raises several kinds for an unknown id
        return False


def _upgrade(conn: Connection) -> None:
    state = _state(conn)
    cfg = alembic_config(conn)
    if state.legacy_tables:  # made by create_all before migrations: that schema is BASELINE
        command.stamp(cfg, BASELINE)
    command.upgrade(cfg, "head")


def _differences(conn: Connection) -> list[Any]:
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def schema_state(engine: AsyncEngine) -> SchemaState:
    async with engine.connect() as conn:
        return await conn.run_sync(_state)


async def upgrade(engine: AsyncEngine) -> SchemaState:
    """Apply every migration the database lacks; returns the state afterwards."""
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade)
    return await schema_state(engine)


async def differences(engine: AsyncEngine) -> list[Any]:
    """What the models have that the database lacks, or the reverse (Alembic's diff)."""
    async with engine.connect() as conn:
        return await conn.run_sync(_differences)


async def prepare(engine: AsyncEngine) -> None:
    """At app start: SQLite migrates itself; PostgreSQL must already be current."""
    if engine.dialect.name == "sqlite":
        await upgrade(engine)
        return
    problem = (await schema_state(engine)).problem()
    if problem:
        raise SchemaNotReady(problem)


def new_revision(message: str) -> Path:
    """Write the next migration by comparing the models with a scratch database at head."""
    first = not scripts().get_heads()
    number = BASELINE if first else f"{int(head()) + 1:04d}"
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_async_engine(f"sqlite+aiosqlite:///{scratch}/scratch.db")

        def generate(conn: Connection) -> None:
            command.revision(alembic_config(conn), message, autogenerate=True, rev_id=number)

        async def run() -> None:
            try:
                if not first:
                    await upgrade(engine)
                async with engine.begin() as conn:
                    await conn.run_sync(generate)
            finally:
                await engine.dispose()

        asyncio.run(run())
    path = next((MIGRATIONS / "versions").glob(f"{number}_*.py"))
    # Alembic writes its own style; the project's linters must pass on it as on any file.
    subprocess.run([sys.executable, "-m", "ruff", "format", "-q", str(path)], check=True)
    subprocess.run([sys.executable, "-m", "ruff", "check", "-q", "--fix", str(path)], check=True)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m storage.migrate")
    sub = ap.add_subparsers(dest="command", required=True)
    new = sub.add_parser("new", help="write the next migration from the models' changes")
    new.add_argument("message")
    args = ap.parse_args(argv)
    if args.command == "new":
        path = new_revision(args.message)
        sys.stdout.write(f"wrote {path}: read it, then run make test\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
