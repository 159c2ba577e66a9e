"""The monthly report's schedule and its claim: due in the first week after the report hour
on the 1st, sent once, and tried again when a send fails."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.services.stats.delivery import ReportParts
from bot.services.stats.monthly import MonthlyReport
from bot.services.stats.service import StatsService
from storage import Store


class Sender:
    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.sent: list[ReportParts] = []

    async def send_report(self, parts: ReportParts) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("Telegram unreachable")
        self.sent.append(parts)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_due_in_the_first_week_after_the_hour() -> None:
    monthly = MonthlyReport(None, Sender(), "ru", hour=8)  # type: ignore[arg-type]
    assert monthly.due_period(at(2026, 3, 1, 7)) is None
    assert monthly.due_period(at(2026, 3, 1, 8)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert monthly.due_period(at(2026, 1, 7, 23)) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert monthly.due_period(at(2026, 3, 8, 9)) is None


async def test_a_failed_send_is_tried_again_then_never_repeated(store: Store) -> None:
    sender = Sender(failures=1)
    now = at(2026, 3, 1, 9)
    monthly = MonthlyReport(StatsService(store), sender, "kk", clock=lambda: now)
    with pytest.raises(ConnectionError):
        await monthly.run_due()
    assert await monthly.run_due() is True  # the claim was released, not lost
    assert await monthly.run_due() is False
    ((texts, photos, documents),) = [(p.texts, p.photos, p.documents) for p in sender.sent]
    assert texts[0].startswith("2026-02-01 – 2026-02-28 кезеңіне айлық статистикалық есеп")
    assert photos and documents[0][0].endswith("-kk.md")
    async with store.transaction() as repos:
        assert await repos.report_runs.sent() == ["monthly:2026-02"]
        exports = [e for e in await repos.audit.list() if e.action == "export"]
    assert [e.actor for e in exports] == ["scheduler", "scheduler"]
