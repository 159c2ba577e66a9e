"""The report as data: figures from the database, suppression applied, no language yet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.services.stats.suppression import Mark, suppress
from bot.services.stats.texts import VALUES
from storage import Store
from storage.models import STATS_DIMENSIONS
from storage.stats_repo import ClaimTimes

# Values always listed (with 0) so that two periods' tables line up; others only when seen.
ALWAYS_LISTED = {"caller", "gender", "age_band", "urgency", "categories"}
# Rows of these breakdowns add up to the total, so they get secondary suppression.
# Categories do not: a contact can have several, or none.
MULTI_VALUED = {"categories"}
ORDER = (
    "caller",
    "gender",
    "age_band",
    "region",
    "citizenship",
    "nationality",
    "education",
    "living_situation",
    "family_status",
    "categories",
    "service",
    "outcome",
    "urgency",
    "channel",
    "language",
    "source",
    "repeat_contact",
)


@dataclass(frozen=True, slots=True)
class Row:
    key: str | None  # a slug; None is "not given"; weeks are ISO dates
    count: int
    mark: Mark

    @property
    def shown(self) -> bool:
        return self.mark is Mark.SHOWN


@dataclass(frozen=True, slots=True)
class Breakdown:
    name: str
    rows: tuple[Row, ...]
    adds_up: bool

    @property
    def withheld(self) -> bool:
        return any(r.mark is Mark.WITHHELD for r in self.rows)


@dataclass(frozen=True, slots=True)
class Report:
    start: dt.date
    end: dt.date
    total: int
    demo: int
    min_cell: int
    breakdowns: tuple[Breakdown, ...]
    weekly: Breakdown
    claim: ClaimTimes

    def share(self, row: Row) -> float | None:
        """Percent of all contacts, or None when the row is hidden."""
        if not row.shown or self.total == 0:
            return None
        return 100.0 * row.count / self.total

    def breakdown(self, name: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.name == name)

    @property
    def claim_shown(self) -> bool:
        return self.claim.count >= self.min_cell and self.claim.median_s is not None


def _breakdown(name: str, counts: dict[str | None, int], k: int, adds_up: bool) -> Breakdown:
    known = list(VALUES.get(name, {}))
    keys: list[str | None] = [v for v in known if name in ALWAYS_LISTED or counts.get(v, 0) > 0]
    keys += sorted(str(v) for v in counts if v is not None and v not in known)
    if counts.get(None, 0) > 0:
        keys.append(None)
    values = [counts.get(key, 0) for key in keys]
    marks = suppress(values, k, adds_up)
    rows = tuple(Row(key, n, m) for key, n, m in zip(keys, values, marks, strict=True))
    return Breakdown(name, rows, adds_up)


def _weeks(start: dt.date, end: dt.date, counts: list[tuple[dt.date, int]]) -> dict[str, int]:
    """Every week of the period, empty ones included, keyed by its Monday."""
    found = {week: n for week, n in counts}
    week = start - dt.timedelta(days=start.weekday())
    out: dict[str, int] = {}
    while week <= end:
        out[week.isoformat()] = found.get(week, 0)
        week += dt.timedelta(days=7)
    return out


async def build_report(store: Store, start: dt.date, end: dt.date, min_cell: int) -> Report:
    async with store.transaction() as repos:  # one transaction: the figures agree
        stats = repos.stats
        dims = await stats.breakdowns(start, end)
        categories: dict[str | None, int] = {
            k: v for k, v in (await stats.categories(start, end)).items()
        }
        weekly = await stats.weekly(start, end)
        claim = await stats.claim_times(start, end)
    assert set(STATS_DIMENSIONS) - {"demo"} <= set(ORDER)
    total = sum(dims["urgency"].values())  # never null: every record is counted once
    demo = dims["demo"].get("yes", 0)
    breakdowns = tuple(
        _breakdown(
            name,
            categories if name == "categories" else dims[name],
            min_cell,
            name not in MULTI_VALUED,
        )
        for name in ORDER
    )
    weeks = _weeks(start, end, weekly)
    week_rows = suppress(list(weeks.values()), min_cell, adds_up=True)
    weekly_breakdown = Breakdown(
        "weekly",
        tuple(Row(w, n, m) for (w, n), m in zip(weeks.items(), week_rows, strict=True)),
        adds_up=True,
    )
    return Report(start, end, total, demo, min_cell, breakdowns, weekly_breakdown, claim)
