"""The monthly report to the coordinator, sent once per month however many processes run
the scheduler: the month is claimed in the database (`report_runs`) before it is built, and
marked sent after; a failed send releases the claim for the next sweep."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from typing import Protocol

from bot.services.stats import texts as tx
from bot.services.stats.delivery import ReportParts, report_parts
from bot.services.stats.periods import previous_month
from bot.services.stats.service import StatsService

log = logging.getLogger(__name__)
CATCH_UP_DAYS = 7  # a process that was down on the 1st still sends it during the first week
LEASE = dt.timedelta(minutes=10)


class ReportSender(Protocol):
    async def send_report(self, parts: ReportParts) -> None: ...


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class MonthlyReport:
    def __init__(
        self,
        stats: StatsService,
        sender: ReportSender,
        language: str,
        hour: int = 8,
        clock: Callable[[], dt.datetime] = _utcnow,
    ) -> None:
        self.stats = stats
        self.sender = sender
        self.language = language
        self.hour = hour
        self.clock = clock

    def due_period(self, now: dt.datetime) -> tuple[dt.date, dt.date] | None:
        if now.day > CATCH_UP_DAYS or (now.day == 1 and now.hour < self.hour):
            return None
        return previous_month(now.date())

    async def run_due(self) -> bool:
        """The sweep: True when this process sent last month's report just now."""
        now = self.clock()
        period = self.due_period(now)
        if period is None:
            return False
        start, end = period
        key = f"monthly:{start:%Y-%m}"
        store = self.stats.store
        async with store.transaction() as repos:
            if not await repos.report_runs.claim(key, now, LEASE):
                return False
        try:
            report = await self.stats.export(start, end, "scheduler", f"monthly {self.language}")
            parts = await asyncio.to_thread(  # charts take a while: off the event loop
                report_parts, report, self.language, tx.MONTHLY_CAPTION
            )
            await self.sender.send_report(parts)
        except Exception:
            async with store.transaction() as repos:
                await repos.report_runs.release(key)
            raise
        async with store.transaction() as repos:
            await repos.report_runs.mark_sent(key, self.clock())
        log.info("monthly statistics report sent for %s", key)
        return True
