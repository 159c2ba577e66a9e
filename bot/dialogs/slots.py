"""Callback slots: the helpline's calling hours cut into blocks over the next working days.

Pure: every function takes the time it should think about (`now`, aware) so a test can move
the clock. A slot id is the local date and hours, `YYYYMMDD-HH-HH` ("20261201-15-18"), short
enough for Telegram callback data and meaningful without a lookup.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from bot.dialogs.model import Msg
from bot.dialogs.texts import N_

WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
SLOT_TODAY = N_("today, {start}–{end}")
SLOT_TOMORROW = N_("tomorrow, {start}–{end}")
SLOT_ON_DAY = N_("{weekday} {date}, {start}–{end}")
_SLOT_RE = re.compile(r"^(\d{8})-(\d{2})-(\d{2})$")
_HOURS_RE = re.compile(r"^\s*(\d{1,2})\s*-\s*(\d{1,2})\s*$")


@dataclass(frozen=True, slots=True)
class Schedule:
    """When the helpline calls back (HELPLINE_TIMEZONE, _CALLBACK_HOURS, _CALLBACK_WEEKDAYS)."""

    timezone: str = "Asia/Almaty"
    start_hour: int = 9
    end_hour: int = 21
    block_hours: int = 3
    weekdays: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))
    days_ahead: int = 3  # working days offered, today included when it still has a slot
    max_slots: int = 8

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def parse_hours(text: str) -> tuple[int, int]:
    """'09-21' → (9, 21)."""
    found = _HOURS_RE.match(text)
    if found is None:
        raise ValueError("use HH-HH, for example 09-21")
    start, end = int(found.group(1)), int(found.group(2))
    if not 0 <= start < end <= 24:
        raise ValueError("hours must be 0–24 and the start before the end")
    return start, end


def parse_weekdays(text: str) -> frozenset[int]:
    """'mon-fri', 'mon,wed,sat' or 'mon-sat' → weekday numbers (Monday is 0)."""
    days: set[int] = set()
    for part in text.lower().replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if first not in WEEKDAY_CODES or (last and last not in WEEKDAY_CODES):
            raise ValueError("use day codes mon … sun, e.g. mon-fri or mon,wed,fri")
        a = WEEKDAY_CODES.index(first)
        b = WEEKDAY_CODES.index(last) if last else a
        days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    if not days:
        raise ValueError("no weekdays given")
    return frozenset(days)


def slot_id(day: dt.date, start: int, end: int) -> str:
    return f"{day:%Y%m%d}-{start:02d}-{end:02d}"


def parse_slot(slot: str) -> tuple[dt.date, int, int]:
    found = _SLOT_RE.match(slot)
    if found is None:
        raise ValueError("not a slot id")
    day = dt.datetime.strptime(found.group(1), "%Y%m%d").date()  # noqa: DTZ007 (a date)
    return day, int(found.group(2)), int(found.group(3))


def is_slot(slot: str) -> bool:
    try:
        parse_slot(slot)
    except ValueError:
        return False
    return True


def bounds(slot: str, schedule: Schedule) -> tuple[dt.datetime, dt.datetime]:
    """The slot's start and end, aware, in UTC."""
    day, start, end = parse_slot(slot)
    zone = schedule.zone
    begin = dt.datetime.combine(day, dt.time(), zone) + dt.timedelta(hours=start)
    finish = dt.datetime.combine(day, dt.time(), zone) + dt.timedelta(hours=end)
    return begin.astimezone(dt.UTC), finish.astimezone(dt.UTC)


def has_started(slot: str, schedule: Schedule, now: dt.datetime) -> bool:
    return bounds(slot, schedule)[0] <= now


def upcoming(schedule: Schedule, now: dt.datetime) -> list[str]:
    """Slots that have not started yet, over the next `days_ahead` working days."""
    local_now = now.astimezone(schedule.zone)
    found: list[str] = []
    day = local_now.date()
    working_days = 0
    for _ in range(14):  # two weeks is enough to find the working days of any schedule
        if day.weekday() in schedule.weekdays:
            today: list[str] = []
            hour = schedule.start_hour
            while hour < schedule.end_hour:
                end = min(hour + schedule.block_hours, schedule.end_hour)
                slot = slot_id(day, hour, end)
                if bounds(slot, schedule)[0] > now:
                    today.append(slot)
                hour = end
            if today:
                found += today
                working_days += 1
        if working_days >= schedule.days_ahead or len(found) >= schedule.max_slots:
            break
        day += dt.timedelta(days=1)
    return found[: schedule.max_slots]


def local_day(schedule: Schedule, now: dt.datetime) -> str:
    """Today's date in the helpline's time zone, YYYYMMDD (kept in the dialog state)."""
    return f"{now.astimezone(schedule.zone):%Y%m%d}"


def label(slot: str, today: str | None = None) -> Msg:
    """'tomorrow, 15:00–18:00' seen from `today` (YYYYMMDD); without it, always the weekday
    and date (staff cards, which stay up for days)."""
    day, start, end = parse_slot(slot)
    hours = {"start": f"{start:02d}:00", "end": f"{end:02d}:00"}
    if today is not None and is_slot(f"{today}-00-01"):
        today_date, _, _ = parse_slot(f"{today}-00-01")
        if day == today_date:
            return Msg.of(SLOT_TODAY, **hours)
        if day == today_date + dt.timedelta(days=1):
            return Msg.of(SLOT_TOMORROW, **hours)
    weekday = Msg(WEEKDAY_NAMES[day.weekday()])
    return Msg.of(SLOT_ON_DAY, weekday=weekday, date=f"{day:%d.%m}", **hours)
