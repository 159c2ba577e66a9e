"""Schema history: the migrations build exactly the models' schema, on SQLite and PostgreSQL;
`helpline migrate` on empty databases; the app's behaviour on unmigrated ones."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.app import build_app
from bot.config import Settings
from storage import Store
from storage import migrate as schema
from storage.models import Base
from storage.schema_state import SchemaNotReady, SchemaState
from tests.fakes import FakeClassifier
from tests.postgres import SessionPostgres

HELPLINE = Path(sys.executable).with_name("helpline")


@pytest.fixture(params=["sqlite", "postgres"])
async def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """The URL of an empty database (no tables at all)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/empty.db"
        return
    postgres: SessionPostgres = request.getfixturevalue("postgres")
    async with postgres.database() as url:
        yield url


async def tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


def helpline(*args: str, url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELPLINE_")}
    env |= {"HELPLINE_DATABASE_URL": url, "HELPLINE_SECRET_KEY": "migrate-test-key-0123456789"}
    return subprocess.run(
        [str(HELPLINE), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


async def test_models_and_migrations_agree(empty_url: str) -> None:
    """Alembic's autogenerate diff between the migrated database and the models is empty."""
    engine = create_async_engine(empty_url)
    try:
        state = await schema.upgrade(engine)
        assert state.up_to_date, state
        assert await schema.differences(engine) == []
        assert await tables(engine) == set(Base.metadata.tables) | {"alembic_version"}
    finally:
        await engine.dispose()


async def test_the_diff_notices_a_missing_column(empty_url: str) -> None:
    """The agreement check can fail: a column the migrations lack shows up in the diff."""
    engine = create_async_engine(empty_url)
    try:
        await schema.upgrade(engine)
        async with engine.begin() as conn:
            await conn.execute(text("DROP INDEX ix_outbox_status"))
            await conn.execute(text("ALTER TABLE audit_log ADD COLUMN extra INTEGER"))
        diff = [
            d[0] if isinstance(d, tuple) else d[0][0] for d in await schema.differences(engine)
        ]
        assert "add_index" in diff and "remove_column" in diff
    finally:
        await engine.dispose()


async def test_helpline_migrate_on_an_empty_database(empty_url: str, tmp_path: Path) -> None:
    first = helpline("migrate", url=empty_url, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout == f"database schema migrated: empty -> {schema.head()}\n"
    again = helpline("migrate", url=empty_url, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout == f"database schema is current (revision {schema.head()})\n"
    engine = create_async_engine(empty_url)
    try:
        assert (await schema.schema_state(engine)).up_to_date
        assert await schema.differences(engine) == []
    finally:
        await engine.dispose()


async def test_the_app_refuses_an_unmigrated_postgres(
    postgres: SessionPostgres, tmp_path: Path
) -> None:
    async with postgres.database() as url:
        run = helpline("run", url=url, cwd=tmp_path)
        assert run.returncode == 2
        assert run.stderr == "helpline: the database is empty: run `helpline migrate` first\n"
        engine = create_async_engine(url)
        try:
            assert await tables(engine) == set()  # refused, and touched nothing
        finally:
            await engine.dispose()


async def test_the_app_refuses_a_postgres_from_a_newer_version(
    postgres: SessionPostgres, tmp_path: Path
) -> None:
    async with postgres.database() as url:
        engine = create_async_engine(url)
        try:
            await schema.upgrade(engine)
            async with engine.begin() as conn:
                await conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        finally:
            await engine.dispose()
        settings = Settings(database_url=url, secret_key="k" * 32)
        with pytest.raises(SchemaNotReady, match="9999, which this version does not know"):
            await build_app(settings, FakeClassifier())
        run = helpline("chat", url=url, cwd=tmp_path)
        assert run.returncode == 2 and len(run.stderr.splitlines()) == 1, run.stderr


def test_an_outdated_database_is_named_with_both_revisions() -> None:
    state = SchemaState(current=("0001",), head="0002", known=True, legacy_tables=False)
    assert state.problem() == (
        "the database is at revision 0001 but this version needs 0002: run `helpline migrate`"
    )
    assert SchemaState(("0002",), "0002", True, False).problem() == ""


async def test_sqlite_migrates_itself_when_the_app_starts(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/fresh.db"
    app = await build_app(Settings(database_url=url, secret_key="k" * 32), FakeClassifier())
    try:
        assert (await app.store.schema_state()).up_to_date
        assert await schema.differences(app.store.engine) == []
    finally:
        await app.close()


async def test_a_database_made_by_create_all_is_adopted(tmp_path: Path) -> None:
    """Databases from before migrations (the baseline schema, no revision table) are stamped
    as the baseline and brought to the newest revision, their rows kept."""
    url = f"sqlite+aiosqlite:///{tmp_path}/old.db"
    engine = create_async_engine(url)

    def baseline_without_history(conn: Connection) -> None:
        command.upgrade(schema.alembic_config(conn), schema.BASELINE)
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(text("INSERT INTO audit_log (at, actor, action) VALUES (0, 'a', 'b')"))

    try:
        async with engine.begin() as conn:
            await conn.run_sync(baseline_without_history)
        assert (await schema.schema_state(engine)).problem() == (
            "the database has tables but no schema revision: run `helpline migrate` first"
        )
    finally:
        await engine.dispose()
    store = Store(url)
    try:
        await store.prepare()
        assert (await store.schema_state()).up_to_date
        assert await schema.differences(store.engine) == []
        async with store.engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM audit_log"))).scalar() == 1
    finally:
        await store.close()


def test_one_newest_revision() -> None:
    """Two branches that each added a migration must be put in a line before merging."""
    assert schema.scripts().get_heads() == [schema.head()]
    assert schema.BASELINE in {s.revision for s in schema.scripts().walk_revisions()}


async def test_outbox_rows_queued_before_0002_are_telegrams(empty_url: str) -> None:
    """A migration that adds a NOT NULL column keeps the rows already there."""
    engine = create_async_engine(empty_url)

    def at_0001_with_a_row(conn: Connection) -> None:
        command.upgrade(schema.alembic_config(conn), "0001")
        conn.execute(
            text(
                "INSERT INTO outbox (kind, target, payload, status, attempts, next_attempt_at,"
                " created_at) VALUES ('card', 'staff', '{}', 'pending', 0, :t, :t)"
            ),
            {"t": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)},
        )

    try:
        async with engine.begin() as conn:
            await conn.run_sync(at_0001_with_a_row)
        assert (await schema.upgrade(engine)).up_to_date
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT kind, channel FROM outbox"))).all()
        assert [tuple(r) for r in rows] == [("card", "telegram")]
    finally:
        await engine.dispose()
