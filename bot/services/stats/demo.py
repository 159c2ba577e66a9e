"""Synthetic intake records for trying the reports (`helpline demo-data`), drawn from the
helpline's published distribution. Every row is marked `demo`, and a report that contains
any says so in its header."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from bot.dialogs.menus import REGIONS

# The helpline's published figures for 504 contacts (issue 13); the age bands between the
# two published ones, and everything it did not publish, are plausible guesses.
CALLERS = {"parent": 318, "relative": 81, "teacher": 50, "child": 55}
GENDERS = {"boy": 262, "girl": 242}
AGES = {"0-3": 77, "4-6": 60, "7-9": 80, "10-12": 95, "13-15": 106, "16-18": 86}
EDUCATION = {"school": 293, "not_in_school": 129, None: 82}
CATEGORIES = {
    "family": 46,
    "maintenance": 36,
    "social_security": 22,
    "education": 20,
    "health": 15,
    "property": 10,
    "civil_rights": 8,
    "custody": 8,
    "parental_rights": 6,
    "abuse": 6,
    "disability": 2,
    "care_institutions": 1,
    "psychological": 63,
    "bullying": 20,
    "other": 40,
}
CHANNELS = {"telegram": 80, "sms": 17, "console": 3}
LANGUAGES = {"ru": 55, "kk": 40, "en": 5}
URGENCY = {"routine": 85, "urgent": 10, "crisis": 5}
SERVICES = {"legal": 45, "psychological": 40, "social": 15}
OUTCOMES = {"consulted": 70, "referred": 20, "callback_scheduled": 8, "no_contact": 2}
SOURCES = {None: 60, "school-poster": 20, "qr-clinic": 12, "instagram": 8}
CITIZENSHIP = {"kz": 90, "foreign": 6, None: 4}
NATIONALITY = {"kazakh": 65, "russian": 18, "uzbek": 6, "uyghur": 3, "other": 4, None: 4}
LIVING = {"both_parents": 55, "one_parent": 30, "relatives": 8, "institution": 3, None: 4}
FAMILY = {"two_parent": 50, "single_parent": 30, "large": 12, "low_income": 4, None: 4}


def _pick(rnd: random.Random, table: dict[Any, int]) -> Any:
    return rnd.choices(list(table), weights=list(table.values()))[0]


def demo_records(n: int, seed: int, start: dt.date, end: dt.date) -> Iterator[dict[str, Any]]:
    """`n` intake rows (column → value, plus 'categories'), dates spread over the period."""
    rnd = random.Random(seed)
    days = (end - start).days + 1
    regions = list(REGIONS)
    region_weights = [3 if r in ("almaty", "astana", "shymkent") else 1 for r in regions]
    for _ in range(n):
        urgency = _pick(rnd, URGENCY)
        categories = [_pick(rnd, CATEGORIES)]
        if rnd.random() < 0.15:
            categories.append(_pick(rnd, CATEGORIES))
        yield {
            "period_date": start + dt.timedelta(days=rnd.randrange(days)),
            "period_hour": rnd.randrange(24),
            "channel": _pick(rnd, CHANNELS),
            "source": _pick(rnd, SOURCES),
            "language": _pick(rnd, LANGUAGES),
            "caller": _pick(rnd, CALLERS),
            "age_band": _pick(rnd, AGES),
            "gender": _pick(rnd, GENDERS),
            "region": rnd.choices(regions, weights=region_weights)[0],
            "urgency": urgency,
            "service": _pick(rnd, SERVICES),
            "outcome": _pick(rnd, OUTCOMES),
            "repeat_contact": rnd.random() < 0.2,
            "time_to_claim_s": int(rnd.lognormvariate(4.5, 0.7)) if urgency == "crisis" else None,
            "citizenship": _pick(rnd, CITIZENSHIP),
            "nationality": _pick(rnd, NATIONALITY),
            "education": _pick(rnd, EDUCATION),
            "living_situation": _pick(rnd, LIVING),
            "family_status": _pick(rnd, FAMILY),
            "demo": True,
            "categories": categories,
        }
