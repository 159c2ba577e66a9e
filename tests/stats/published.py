"""The helpline's published figures for one period (issue 13), as 504 intake records.

The age bands between 0–3 and 16–18 were not published; these counts fill the rest.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

TOTAL = 504
GENDER = {"boy": 262, "girl": 242}  # 51.98 % male, 48.02 % female
AGES = {"0-3": 77, "4-6": 60, "7-9": 80, "10-12": 95, "13-15": 106, "16-18": 86}
EDUCATION = {"school": 293, "not_in_school": 129, None: 82}
CALLERS = {"parent": 318, "relative": 81, "teacher": 50, "child": 55}  # 63 / 16 / 10 / 11 %
CATEGORIES = {  # the published order: the first thirteen categories of SPEC section 5
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
}
PUBLISHED_SHARES = {  # as printed: two decimals for gender and age, whole percent for callers
    ("gender", "boy"): "51.98",
    ("gender", "girl"): "48.02",
    ("age_band", "0-3"): "15.28",
    ("age_band", "16-18"): "17.06",
    ("caller", "parent"): "63",
    ("caller", "relative"): "16",
    ("caller", "teacher"): "10",
    ("caller", "child"): "11",
}


def column(table: dict[Any, int]) -> list[Any]:
    values = list(itertools.chain.from_iterable([k] * n for k, n in table.items()))
    assert len(values) == TOTAL or table is CATEGORIES
    return values


def records(day: dt.date) -> list[dict[str, Any]]:
    """504 rows; each dimension's values are laid out in a different order."""
    cats = column(CATEGORIES)
    genders, ages = column(GENDER), column(AGES)[::-1]
    education, callers = column(EDUCATION), column(CALLERS)
    rows = []
    for i in range(TOTAL):
        rows.append(
            {
                "period_date": day,
                "period_hour": i % 24,
                "channel": "telegram",
                "language": "ru",
                "urgency": "routine",
                "gender": genders[i],
                "age_band": ages[(i * 13) % TOTAL],
                "education": education[(i * 5) % TOTAL],
                "caller": callers[(i * 11) % TOTAL],
                "categories": [cats[i]] if i < len(cats) else [],
            }
        )
    return rows
