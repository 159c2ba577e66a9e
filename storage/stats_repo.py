"""Statistics queries: every figure is a GROUP BY in the database, over one period.

All breakdowns of the intake table come back from one statement: GROUPING SETS on PostgreSQL
(one scan, a hash table per breakdown); on SQLite one grouped index-only scan per pack of
columns (`STATS_PACKS`, a few hundred rows each), summed per column in the same statement.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    String,
    cast,
    func,
    insert,
    literal_column,
    or_,
    select,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import STATS_DIMENSIONS, STATS_PACKS, IntakeCategory, IntakeRecord
from storage.models_stats import ReportRun

Counts = dict[str | None, int]


@dataclass(frozen=True, slots=True)
class ClaimTimes:
    """Seconds from escalation to claim of crisis cases: how many, median, 90th percentile."""

    count: int
    median_s: float | None
    p90_s: float | None


# "+column" keeps SQLite from a skip-scan on the date (slower than reading the whole pack
# index in order, which also groups without a sort).
_UNINDEXED_DATE = literal_column("+intake_records.period_date", Date)


def _flag(value: str | None) -> str | None:
    """Booleans come back as '1'/'0' (SQLite) or 'true'/'false' (PostgreSQL)."""
    if value is None:
        return None
    return "yes" if value.lower() in ("1", "true") else "no"


class StatsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session
        bind = session.bind
        self.postgres = bind is not None and bind.dialect.name == "postgresql"

    @staticmethod
    def _in(start: dt.date, end: dt.date) -> ColumnElement[bool]:
        return IntakeRecord.period_date.between(start, end)

    async def breakdowns(self, start: dt.date, end: dt.date) -> dict[str, Counts]:
        """Counts per value of every dimension in STATS_DIMENSIONS (None: not given); the
        flags `repeat_contact` and `demo` as "yes"/"no". Any dimension's counts add up to the
        number of records in the period."""
        cols = [(name, getattr(IntakeRecord, name)) for name in STATS_DIMENSIONS]
        out: dict[str, Counts] = {name: {} for name, _ in cols}
        if self.postgres:
            query = (
                select(
                    *[cast(c, String) for _, c in cols],
                    *[func.grouping(c) for _, c in cols],
                    func.count(),
                )
                .where(self._in(start, end))
                .group_by(func.grouping_sets(*[tuple_(c) for _, c in cols]))
            )
            n = len(cols)
            for row in (await self.s.execute(query)).all():
                index = list(row[n : 2 * n]).index(0)  # the one grouped column of this row
                out[cols[index][0]][row[index]] = int(row[-1])
        else:  # a grouped scan per pack (its covering index), then each column's sums
            parts: list[Any] = []
            for i, pack in enumerate(STATS_PACKS, 1):
                columns = [getattr(IntakeRecord, name) for name in pack]
                grouped = (
                    select(*columns, func.count().label("n"))
                    .where(_UNINDEXED_DATE.between(start, end))
                    .group_by(*columns)
                    .cte(f"pack{i}")
                    .prefix_with("MATERIALIZED")
                )
                parts += [
                    select(
                        literal_column(f"'{name}'").label("dim"),
                        cast(grouped.c[name], String).label("value"),
                        func.sum(grouped.c.n).label("n"),
                    ).group_by(grouped.c[name])
                    for name in pack
                ]
            result: Any = await self.s.execute(union_all(*parts))
            for name, value, count in result.all():
                out[str(name)][value] = int(count)
        for flag in ("repeat_contact", "demo"):
            out[flag] = {_flag(k): v for k, v in out[flag].items()}
        return out

    async def categories(self, start: dt.date, end: dt.date) -> dict[str, int]:
        query = (
            select(IntakeCategory.slug, func.count())
            .where(IntakeCategory.period_date.between(start, end))
            .group_by(IntakeCategory.slug)
        )
        return {slug: int(n) for slug, n in (await self.s.execute(query)).all()}

    async def weekly(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, int]]:
        """Contacts per week (weeks start on Monday): daily counts, then summed per week."""
        day = IntakeRecord.period_date
        daily = (
            select(day.label("day"), func.count().label("n"))
            .where(self._in(start, end))
            .group_by(day)
            .subquery()
        )
        week: ColumnElement[Any]
        if self.postgres:
            week = cast(func.date_trunc("week", daily.c.day), Date)
        else:  # the Sunday on or after the day, less six days: that week's Monday
            week = func.date(daily.c.day, "weekday 0", "-6 days")
        query = select(week.label("week"), func.sum(daily.c.n)).group_by(week).order_by(week)
        weeks: Any = await self.s.execute(query)
        return [(_as_date(w), int(n or 0)) for w, n in weeks.all()]

    async def claim_times(self, start: dt.date, end: dt.date) -> ClaimTimes:
        """Median and 90th percentile, interpolated between ranks like percentile_cont."""
        ttc = IntakeRecord.time_to_claim_s
        where = (self._in(start, end), IntakeRecord.urgency == "crisis", ttc.is_not(None))
        count = int((await self.s.execute(select(func.count()).where(*where))).scalar_one())
        if count == 0:
            return ClaimTimes(0, None, None)

        async def percentile(p: float) -> float:
            position = p * (count - 1)
            low = math.floor(position)
            query = select(ttc).where(*where).order_by(ttc).offset(low).limit(2)
            values = [float(v or 0) for v in (await self.s.execute(query)).scalars()]
            high = values[1] if len(values) > 1 else values[0]
            return values[0] + (high - values[0]) * (position - low)

        return ClaimTimes(count, await percentile(0.5), await percentile(0.9))

    async def bulk_add(self, records: Sequence[dict[str, Any]]) -> int:
        """Insert many intake records at once (demo data, benchmarks): column values and a
        'categories' list each. Ids are given here so the category rows can follow."""
        if not records:
            return 0
        first = int((await self.s.execute(select(func.max(IntakeRecord.id)))).scalar() or 0) + 1
        rows, cats = [], []
        for offset, record in enumerate(records):
            row = {k: v for k, v in record.items() if k != "categories"}
            row["id"] = first + offset
            rows.append(row)
            for position, slug in enumerate(dict.fromkeys(record.get("categories") or [])):
                cats.append(
                    {
                        "intake_id": row["id"],
                        "slug": slug,
                        "position": position,
                        "period_date": row["period_date"],
                    }
                )
        await self.s.execute(insert(IntakeRecord), rows)
        if cats:
            await self.s.execute(insert(IntakeCategory), cats)
        if self.postgres:  # explicit ids leave the sequence behind
            await self.s.execute(
                select(func.setval("intake_records_id_seq", first + len(rows) - 1))
            )
        return len(rows)


class ReportRunRepo:
    """Which scheduled reports have been sent: a period is claimed by one process at a time
    (a unique key, then compare-and-set on an expired lease), and sent once."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def claim(self, key: str, now: dt.datetime, lease: dt.timedelta) -> bool:
        try:
            async with self.s.begin_nested():
                self.s.add(ReportRun(key=key, claimed_at=now, lease_until=now + lease))
            return True
        except IntegrityError:  # another process has it, or had it
            pass
        result = await self.s.execute(
            update(ReportRun)
            .where(
                ReportRun.key == key,
                ReportRun.sent_at.is_(None),
                or_(ReportRun.lease_until.is_(None), ReportRun.lease_until < now),
            )
            .values(claimed_at=now, lease_until=now + lease)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    async def mark_sent(self, key: str, now: dt.datetime) -> None:
        await self.s.execute(
            update(ReportRun)
            .where(ReportRun.key == key)
            .values(sent_at=now, lease_until=None)
            .execution_options(synchronize_session=False)
        )

    async def release(self, key: str) -> None:
        """A send failed: let the next sweep (of any process) try again."""
        await self.s.execute(
            update(ReportRun)
            .where(ReportRun.key == key, ReportRun.sent_at.is_(None))
            .values(lease_until=None)
            .execution_options(synchronize_session=False)
        )

    async def sent(self) -> list[str]:
        query = select(ReportRun.key).where(ReportRun.sent_at.is_not(None)).order_by(ReportRun.key)
        return list((await self.s.execute(query)).scalars())


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
