"""Referral entries as dialog messages: the directory's matches for the topic and region."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.dialogs import callback_texts as ct
from bot.dialogs.model import Msg
from bot.dialogs.slots import WEEKDAY_CODES, WEEKDAY_NAMES

if TYPE_CHECKING:
    from bot.directory import Directory, Entry

LIMIT = 4


def hours_msg(hours: str) -> Msg | None:
    """'24/7' → 'day and night'; 'mon-fri 09:00-18:00' → 'Monday–Friday, 09:00–18:00'."""
    if not hours:
        return None
    if hours == "24/7":
        return Msg(ct.HOURS_24_7)
    days, _, span = hours.rpartition(" ")
    start, _, end = span.partition("-")
    if not days:
        return Msg.of(ct.HOURS_DAILY, start=start, end=end)
    first, _, last = days.partition("-")
    return Msg.of(
        ct.HOURS_DAYS,
        first=Msg(WEEKDAY_NAMES[WEEKDAY_CODES.index(first)]),
        last=Msg(WEEKDAY_NAMES[WEEKDAY_CODES.index(last)]),
        start=start,
        end=end,
    )


def entry_msg(entry: Entry, language: str) -> Msg:
    name, helps = entry.name(language), entry.helps_with(language).rstrip(".")
    hours = hours_msg(entry.hours)
    if entry.phone and hours is not None:
        return Msg.of(
            ct.REFERRAL_PHONE_HOURS, name=name, phone=entry.phone, hours=hours, helps=helps
        )
    if entry.phone:
        return Msg.of(ct.REFERRAL_PHONE, name=name, phone=entry.phone, helps=helps)
    return Msg.of(ct.REFERRAL_NO_PHONE, name=name, helps=helps)


def messages(
    directory: Directory | None, category: str | None, region: str | None, language: str
) -> list[Msg]:
    """A header and one line per matching entry; nothing when no directory is configured."""
    found = directory.matching(category, region, LIMIT) if directory is not None else []
    if not found:
        return []
    return [Msg(ct.REFERRALS_HEADER), *(entry_msg(e, language) for e in found)]
