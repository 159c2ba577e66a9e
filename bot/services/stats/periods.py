"""Report periods: `month`, `quarter`, `year` (the current one, to date) or two ISO dates."""

from __future__ import annotations

import datetime as dt


class PeriodError(ValueError):
    pass


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def previous_month(today: dt.date) -> tuple[dt.date, dt.date]:
    return month_of(today.replace(day=1) - dt.timedelta(days=1))


def parse_period(words: list[str], today: dt.date) -> tuple[dt.date, dt.date]:
    """`[]` and `month`: this month; `quarter`, `year`: this one; `FROM TO`: those dates."""
    if not words or words == ["month"]:
        return today.replace(day=1), today
    if words == ["quarter"]:
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), today
    if words == ["year"]:
        return today.replace(month=1, day=1), today
    if len(words) == 2:
        try:
            start, end = (dt.date.fromisoformat(w) for w in words)
        except ValueError:
            raise PeriodError("dates must be YYYY-MM-DD") from None
        if start > end:
            raise PeriodError("the period ends before it starts")
        return start, end
    raise PeriodError("use month, quarter, year or two dates")
