"""Statistics in Telegram, end to end: `/stats month` in the staff group posts the table, the
charts and the file; the monthly report reaches the coordinator once with two processes."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bot.i18n import gettext
from bot.services.stats import texts as tx
from bot.services.stats.delivery import ReportParts
from bot.services.stats.demo import demo_records
from bot.services.stats.monthly import MonthlyReport
from bot.services.stats.service import StatsService
from storage import Store
from storage.models import IntakeRecord
from tests.integration.conftest import store
from tests.telegram.bot_process import BotProcess

from .emulator import BOT_TOKEN, Emulator, User
from .emulator_server import EmulatorServer
from .staff_helpers import COORDINATOR_CHAT, STAFF_CHAT

__all__ = ["store"]
ROOT = Path(__file__).resolve().parents[2]


async def fill(url: str, start: dt.date, end: dt.date, n: int) -> None:
    db = Store(url)
    try:
        await db.create_schema()
        async with db.transaction() as repos:
            await repos.stats.bulk_add(list(demo_records(n, 5, start, end)))
            await repos.intakes.add(  # and one the way the bot writes them
                IntakeRecord(
                    period_date=end,
                    period_hour=9,
                    channel="telegram",
                    language="kk",
                    urgency="routine",
                    caller="child",
                    categories=["bullying"],
                )
            )
    finally:
        await db.close()


@pytest.fixture(scope="module")
def bot(
    emulator_server: EmulatorServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotProcess]:
    env = {
        "HELPLINE_STAFF_CHAT_ID": str(STAFF_CHAT),
        "HELPLINE_STAFF_LANGUAGE": "ru",
        "HELPLINE_TELEGRAM_GROUP_PER_MINUTE": "600",
    }
    proc = BotProcess(emulator_server.api_url, BOT_TOKEN, tmp_path_factory.mktemp("stats"), env)
    today = dt.datetime.now(dt.UTC).date()
    url = f"sqlite+aiosqlite:///{proc.db_path}"
    asyncio.run(fill(url, today.replace(day=1), today, 300))
    proc.start()
    try:
        proc.wait_until("polling", lambda: proc.emulator_get("/test/calls?method=getUpdates"))
        yield proc
    finally:
        assert proc.stop() == 0, proc.log()


def in_chat(chat: int) -> Any:
    return lambda call: str(call["params"].get("chat_id")) == str(chat)


def png_of(call: dict[str, Any]) -> Image.Image:
    (upload,) = call["files"].values()
    return Image.open(io.BytesIO(base64.b64decode(upload["base64"])))


async def test_stats_month_posts_table_charts_and_file(
    bot: BotProcess, emulator: Emulator
) -> None:
    staff = User(id=73001, first_name="Aliya")
    await emulator.group_command(STAFF_CHAT, staff, "/stats", "month")
    summary = gettext(tx.SENT_SUMMARY, "ru").split("{", 1)[0]
    text = await emulator.wait_for_message(
        STAFF_CHAT, lambda m: (m.text or "").startswith(summary), timeout=30
    )
    assert "301" in (text.text or "")  # 300 demo records and one written by the ORM
    assert "ДЕМО-ДАННЫЕ" in (text.text or "")  # demo rows are flagged in the report
    documents = await emulator.wait_for_call("sendDocument", in_chat(STAFF_CHAT), timeout=30)
    photos = [c for c in await emulator.calls("sendPhoto") if in_chat(STAFF_CHAT)(c)]
    assert len(photos) >= 1
    image = png_of(photos[0])
    assert image.format == "PNG" and image.size[0] == 1080
    titles = {c["params"].get("caption") for c in photos}
    assert gettext(tx.SECTIONS["categories"], "ru") in titles
    (upload,) = documents["files"].values()
    table = base64.b64decode(upload["base64"]).decode()
    assert upload["filename"].endswith("-ru.md") and "| Значение | Количество | Доля |" in table
    messages = [m.text or "" for m in await emulator.bot_messages(STAFF_CHAT)]
    assert all(len(m) <= 4096 for m in messages)
    (audit,) = bot.query("SELECT * FROM audit_log WHERE action = 'export'")
    today = dt.datetime.now(dt.UTC).date()
    assert audit["detail"] == f"stats {today.replace(day=1)}..{today} telegram ru"
    assert audit["actor"] == bot.identity.pseudonym("staff", str(staff.id)) or audit["actor"]
    assert str(staff.id) not in audit["actor"]


async def test_stats_with_a_bad_period_explains_the_command(
    bot: BotProcess, emulator: Emulator
) -> None:
    staff = User(id=73002, first_name="Berik")
    await emulator.group_command(STAFF_CHAT, staff, "/stats", "yesterday")
    await emulator.wait_for_message(
        STAFF_CHAT, lambda m: (m.text or "") == gettext(tx.USAGE, "ru"), timeout=10
    )


def run_two_workers(db_url: str, api_url: str, now: str) -> None:
    """Two processes with the same scheduler job on one database, started together."""
    command = [sys.executable, "-m", "tests.stats.monthly_worker", db_url, api_url]
    procs = [
        subprocess.Popen(
            [*command, str(COORDINATOR_CHAT), now, "2"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    logs = [proc.communicate(timeout=300)[0] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], logs
    failures = [line for log in logs for line in log.splitlines() if "failed" in line]
    assert not failures, logs


async def sent_reports(emulator: Emulator) -> list[str]:
    caption = gettext(tx.MONTHLY_CAPTION, "ru").split("{", 1)[0]
    return [
        c["params"]["text"]
        for c in await emulator.calls("sendMessage")
        if in_chat(COORDINATOR_CHAT)(c) and str(c["params"].get("text", "")).startswith(caption)
    ]


class FailingSender:
    async def send_report(self, parts: ReportParts) -> None:
        raise AssertionError("a report that was sent must not be sent again")


@pytest.mark.timeout(600)  # four processes start on a machine other tests keep busy
async def test_monthly_report_fires_once_with_two_processes(
    store: Store, emulator: Emulator, emulator_server: EmulatorServer
) -> None:
    await fill(store.url, dt.date(2026, 2, 1), dt.date(2026, 3, 31), 400)
    api = emulator_server.api_url
    run_two_workers(store.url, api, "2026-03-01T09:00")
    (first,) = await sent_reports(emulator)
    assert "2026-02-01 – 2026-02-28" in first
    photos = [c for c in await emulator.calls("sendPhoto") if in_chat(COORDINATOR_CHAT)(c)]
    assert len(photos) == len({c["params"]["caption"] for c in photos}) >= 4  # each chart once
    later = dt.datetime(2026, 3, 3, 12, tzinfo=dt.UTC)  # later that week: nothing new
    again = MonthlyReport(StatsService(store), FailingSender(), "ru", clock=lambda: later)
    assert await again.run_due() is False
    assert len(await sent_reports(emulator)) == 1
    run_two_workers(store.url, api, "2026-04-01T09:00")  # next month: one more
    reports = await sent_reports(emulator)
    assert len(reports) == 2 and "2026-03-01 – 2026-03-31" in reports[1]
    async with store.transaction() as repos:
        assert await repos.report_runs.sent() == ["monthly:2026-02", "monthly:2026-03"]
