"""Scheduled sweeps (APScheduler). Deadlines live in the database, not in the job store:
each job just sweeps what is due, so a restart loses nothing and several processes may run
the same jobs (rows are claimed with SKIP LOCKED on PostgreSQL)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.services.callback_desk import CallbackDesk
from bot.staff.service import StaffService
from storage import Store

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[object]]


async def purge_expired(store: Store, retention_days: int) -> int:
    async with store.transaction() as repos:
        now = repos.now()
        cut = now - dt.timedelta(days=retention_days)
        return await repos.retention.purge(closed_before=cut, created_before=cut)


def default_jobs(
    store: Store, staff: StaffService, retention_days: int, desk: CallbackDesk | None = None
) -> dict[str, tuple[Job, float]]:
    """Name → (job, interval in seconds)."""
    jobs: dict[str, tuple[Job, float]] = {
        "realert": (staff.sweep_due, 5.0),
        "retention": (lambda: purge_expired(store, retention_days), 3600.0),
    }
    if desk is not None:  # reminders, 'due now' cards, the coordinator when nobody is on shift
        jobs["callbacks"] = (desk.sweep, 20.0)
    return jobs


class Sweeps:
    """The scheduler plus the sweeps in flight, so shutdown can wait for them to finish
    before the database is closed."""

    def __init__(self, jobs: dict[str, tuple[Job, float]]) -> None:
        self.scheduler = AsyncIOScheduler(timezone=dt.UTC)
        self._running: set[asyncio.Future[None]] = set()
        for name, (job, seconds) in jobs.items():
            self.scheduler.add_job(
                self._guarded(name, job),
                "interval",
                seconds=seconds,
                id=name,
                max_instances=1,
                coalesce=True,
                next_run_time=dt.datetime.now(dt.UTC),
            )

    def _guarded(self, name: str, job: Job) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            task = asyncio.ensure_future(job())
            self._running.add(task)  # type: ignore[arg-type]
            try:
                await task
            except Exception:  # one failed sweep must not stop the next
                log.exception("scheduled job %s failed", name)
            finally:
                self._running.discard(task)

        return run

    def start(self) -> None:
        self.scheduler.start()

    async def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self._running:
            await asyncio.gather(*self._running, return_exceptions=True)
