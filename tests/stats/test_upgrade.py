"""A database from before categories were rows keeps every category through the upgrade."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from bot.services.stats.report import build_report
from storage import Store
from storage.migrate import alembic_config
from tests.postgres import SessionPostgres

OLD = [
    ["family", "abuse"],
    ["psychological"],
    [],
    ["family", "family", "education"],  # a repeat in the old list is one category
]


async def make_old_schema(store: Store) -> None:
    """A database at revision 0004 (before categories were rows), with rows in it."""

    def to_0004(conn: Connection) -> None:
        command.upgrade(alembic_config(conn), "0004")

    async with store.engine.begin() as conn:
        await conn.run_sync(to_0004)
        for i, cats in enumerate(OLD):
            await conn.execute(
                text(
                    "INSERT INTO intake_records (period_date, period_hour, channel, language, "
                    "urgency, repeat_contact, categories) VALUES "
                    "(:day, 9, 'telegram', 'ru', 'routine', false, :cats)"
                ),
                {"day": dt.date(2026, 1, 5 + i), "cats": json.dumps(cats)},
            )


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """An empty database (no migration applied yet), on each engine."""
    if request.param == "sqlite":
        st = Store(f"sqlite+aiosqlite:///{tmp_path}/old.db")
        yield st
        await st.close()
        return
    postgres: SessionPostgres = request.getfixturevalue("postgres")
    async with postgres.database() as url:
        st = Store(url)
        try:
            yield st
        finally:
            await st.close()


async def test_upgrade_moves_json_categories_into_rows(store: Store) -> None:
    await make_old_schema(store)
    await store.migrate()  # 0005 moves the categories, as `helpline migrate` does
    async with store.engine.connect() as conn:
        columns = await conn.run_sync(
            lambda c: {col["name"] for col in inspect(c).get_columns("intake_records")}
        )
    assert "categories" not in columns and "demo" in columns
    async with store.engine.connect() as conn:
        indexes = await conn.run_sync(
            lambda c: {i["name"] for i in inspect(c).get_indexes("intake_records")}
        )
    assert {"ix_intake_stats_1", "ix_intake_stats_3", "ix_intake_stats_claim"} <= indexes
    async with store.transaction() as repos:
        records = await repos.intakes.list()
        assert [r.categories for r in records] == [
            ["family", "abuse"],
            ["psychological"],
            [],
            ["family", "education"],
        ]
        records[1].categories = ["psychological", "bullying"]  # still writable afterwards
    report = await build_report(store, dt.date(2026, 1, 1), dt.date(2026, 1, 31), min_cell=1)
    counts = {r.key: r.count for r in report.breakdown("categories").rows if r.count}
    assert counts == {"family": 2, "abuse": 1, "psychological": 1, "bullying": 1, "education": 1}
    await store.create_schema()  # a second start changes nothing
