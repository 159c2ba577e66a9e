"""`helpline stats` and `helpline demo-data`: the statistics report on the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import itertools
import sys
from pathlib import Path

from bot.config import Settings
from bot.services.stats.demo import demo_records
from bot.services.stats.service import FORMATS, StatsService, write_files
from storage import Store

DEMO_BATCH = 10_000


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    stats = sub.add_parser("stats", help="write the statistics report of a period")
    stats.add_argument("--from", dest="start", required=True, type=dt.date.fromisoformat)
    stats.add_argument("--to", dest="end", required=True, type=dt.date.fromisoformat)
    stats.add_argument(
        "--format", choices=FORMATS, action="append", dest="formats", help="repeatable; md"
    )
    stats.add_argument("--lang", choices=("kk", "ru", "en"), default=None)
    stats.add_argument("--out", type=Path, default=Path("."))
    demo = sub.add_parser("demo-data", help="fill the database with synthetic intake records")
    demo.add_argument("--contacts", type=int, required=True)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--from", dest="start", type=dt.date.fromisoformat, default=None)
    demo.add_argument("--to", dest="end", type=dt.date.fromisoformat, default=None)


async def run_stats(settings: Settings, args: argparse.Namespace) -> int:
    formats = list(dict.fromkeys(args.formats or ["md"]))
    lang = args.lang or settings.staff_language
    if args.start > args.end:
        sys.stderr.write("helpline: --from is after --to\n")
        return 2
    store = Store(settings.database_url)
    try:
        await store.create_schema()
        service = StatsService(store, settings.stats_min_cell)
        actor = f"cli:{getpass.getuser()}"[:64]
        report = await service.export(args.start, args.end, actor, ",".join(formats) + " " + lang)
        for fmt in formats:
            for path in write_files(report, lang, fmt, args.out):
                sys.stdout.write(f"{path}\n")
    finally:
        await store.close()
    return 0


async def run_demo_data(settings: Settings, args: argparse.Namespace) -> int:
    end = args.end or dt.datetime.now(dt.UTC).date()
    start = args.start or end - dt.timedelta(days=364)
    store = Store(settings.database_url)
    try:
        await store.create_schema()
        rows = demo_records(args.contacts, args.seed, start, end)
        added = 0
        while batch := list(itertools.islice(rows, DEMO_BATCH)):
            async with store.transaction() as repos:
                added += await repos.stats.bulk_add(batch)
        sys.stdout.write(f"{added} demo intake records, {start} – {end} (marked as demo)\n")
    finally:
        await store.close()
    return 0
