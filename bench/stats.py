"""Time of a full statistics report over 1,000,000 intake records, on SQLite and PostgreSQL.

Fills a fresh database with demo records (bulk inserts, three years of dates), then builds the
whole report (every breakdown, categories, weeks, claim times) for the whole span and for one
quarter, three times each, and prints the best and the median. Rendering (text, charts) is
timed apart. PostgreSQL: a throw-away database at HELPLINE_TEST_PG_DSN (default the local
server), skipped with a note when none answers.

    .venv/bin/python bench/stats.py [--records 1000000] [--skip-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.services.stats import render  # noqa: E402
from bot.services.stats.charts import charts  # noqa: E402
from bot.services.stats.demo import demo_records  # noqa: E402
from bot.services.stats.report import build_report  # noqa: E402
from storage import Store  # noqa: E402

PG_ADMIN_DSN = os.environ.get("HELPLINE_TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/test")
START, END = dt.date(2024, 1, 1), dt.date(2026, 12, 31)
QUARTER = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
BATCH = 20_000


async def fill(store: Store, n: int) -> float:
    began = time.perf_counter()
    rows = demo_records(n, seed=7, start=START, end=END)
    while batch := list(itertools.islice(rows, BATCH)):
        async with store.transaction() as repos:
            await repos.stats.bulk_add(batch)
    async with store.engine.begin() as conn:
        await conn.exec_driver_sql("ANALYZE")
    return time.perf_counter() - began


async def timed(store: Store, start: dt.date, end: dt.date) -> list[float]:
    times = []
    for _ in range(3):
        began = time.perf_counter()
        report = await build_report(store, start, end, 5)
        times.append(time.perf_counter() - began)
    assert report.total > 0
    return times


async def bench(name: str, store: Store, n: int) -> None:
    await store.create_schema()
    fill_s = await fill(store, n)
    whole = await timed(store, START, END)
    quarter = await timed(store, *QUARTER)
    report = await build_report(store, START, END, 5)
    began = time.perf_counter()
    render.markdown(report, "ru")
    render.as_json(report, "ru")
    text_s = time.perf_counter() - began
    began = time.perf_counter()
    pngs = charts(report, "ru")
    png_s = time.perf_counter() - began
    print(
        f"{name}: {report.total:,} records (filled in {fill_s:.0f} s)\n"
        f"  full report, whole 3 years: best {min(whole):.2f} s, "
        f"median {statistics.median(whole):.2f} s\n"
        f"  full report, one quarter:  best {min(quarter):.2f} s, "
        f"median {statistics.median(quarter):.2f} s\n"
        f"  rendering: Markdown + JSON {text_s:.2f} s, {len(pngs)} PNG charts {png_s:.2f} s"
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite+aiosqlite:///{tmp}/bench.db")
        try:
            await bench("SQLite", store, args.records)
        finally:
            await store.close()
    if args.skip_postgres:
        return
    import asyncpg

    try:
        admin = await asyncpg.connect(PG_ADMIN_DSN)
    except (OSError, asyncpg.PostgresError) as exc:
        print(f"PostgreSQL: not reachable ({type(exc).__name__}); skipped")
        return
    name = f"helpline_bench_{uuid.uuid4().hex[:8]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    store = Store(f"{base}/{name}")
    try:
        await bench("PostgreSQL", store, args.records)
    finally:
        await store.close()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
