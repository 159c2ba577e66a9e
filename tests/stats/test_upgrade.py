"""A database from before categories were rows keeps every category through the upgrade."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import inspect, text

from bot.services.stats.report import build_report
from storage import Store

OLD = [
    ["family", "abuse"],
    ["psychological"],
    [],
    ["family", "family", "education"],  # a repeat in the old list is one category
]


async def make_old_schema(store: Store) -> None:
    """Turn the fresh schema back into the one before this change, with rows in it."""
    json_type = "JSON" if store.is_postgres else "TEXT"
    async with store.engine.begin() as conn:
        for statement in (
            "DROP TABLE intake_categories",
            *(f"DROP INDEX ix_intake_stats_{i}" for i in (1, 2, 3)),
            "DROP INDEX ix_intake_stats_claim",
            "ALTER TABLE intake_records DROP COLUMN demo",
            "ALTER TABLE audit_log DROP COLUMN detail",
            f"ALTER TABLE intake_records ADD COLUMN categories {json_type}",
        ):
            await conn.execute(text(statement))
        for i, cats in enumerate(OLD):
            await conn.execute(
                text(
                    "INSERT INTO intake_records (period_date, period_hour, channel, language, "
                    "urgency, repeat_contact, categories) VALUES "
                    "(:day, 9, 'telegram', 'ru', 'routine', false, :cats)"
                ),
                {"day": dt.date(2026, 1, 5 + i), "cats": json.dumps(cats)},
            )


async def test_upgrade_moves_json_categories_into_rows(store: Store) -> None:
    await make_old_schema(store)
    await store.create_schema()  # runs the upgrade, as `helpline run` does at start
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
