"""Upgrade of a database made before categories were rows: `intake_records.categories` (a JSON
list) becomes rows of `intake_categories`, and the statistics columns and indexes are added.

`upgrade_intake_statistics(conn)` takes a synchronous connection, so an Alembic migration can
call it with `op.get_bind()`; `Store.create_schema` calls it too. It does nothing on a database
that is already upgraded, and never loses a category: rows are copied before the column goes.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, column, inspect, select, text

from storage.models import IntakeCategory, IntakeRecord

BATCH = 5000


def upgrade_intake_statistics(conn: Connection) -> int:
    """Returns how many category rows were copied from the JSON column."""
    inspector = inspect(conn)
    if "intake_records" not in inspector.get_table_names():
        return 0
    columns = {c["name"] for c in inspector.get_columns("intake_records")}
    if "demo" not in columns:
        conn.execute(
            text("ALTER TABLE intake_records ADD COLUMN demo BOOLEAN NOT NULL DEFAULT false")
        )
    IntakeCategory.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]
    existing = {i["name"] for i in inspect(conn).get_indexes("intake_records")}
    for index in IntakeRecord.__table__.indexes:  # type: ignore[attr-defined]
        if index.name not in existing:
            index.create(conn)
    if "audit_log" in inspector.get_table_names():
        audit_columns = {c["name"] for c in inspector.get_columns("audit_log")}
        if "detail" not in audit_columns:
            conn.execute(text("ALTER TABLE audit_log ADD COLUMN detail VARCHAR(64)"))
    if "categories" not in columns:
        return 0
    copied = _copy_json_categories(conn)
    conn.execute(text("ALTER TABLE intake_records DROP COLUMN categories"))
    return copied


def _copy_json_categories(conn: Connection) -> int:
    copied, last_id = 0, 0
    insert = IntakeCategory.__table__.insert()  # type: ignore[attr-defined]
    table = IntakeRecord.__table__  # typed columns: dates come back as dates
    while True:
        batch = conn.execute(
            select(table.c.id, table.c.period_date, column("categories"))
            .select_from(table)
            .where(table.c.id > last_id)
            .order_by(table.c.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return copied
        rows: list[dict[str, Any]] = []
        for intake_id, period_date, raw in batch:
            for position, slug in enumerate(dict.fromkeys(_slugs(raw))):
                rows.append(
                    {
                        "intake_id": intake_id,
                        "slug": slug,
                        "position": position,
                        "period_date": period_date,
                    }
                )
        if rows:
            conn.execute(insert, rows)
        copied += len(rows)
        last_id = batch[-1][0]


def _slugs(raw: Any) -> list[str]:
    """The JSON column comes back as text (SQLite) or already parsed (PostgreSQL json)."""
    value = json.loads(raw) if isinstance(raw, str | bytes) else raw
    return [str(s) for s in value or [] if s]
