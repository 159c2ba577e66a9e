"""Acceptance 2: small cells print as "<5", and solving the printed report for them fails.

The solver plays a reader who knows the rule: a "<5" row holds 1..4, a "×" row holds at
least 5 and at most the smallest printed count, and the rows of a breakdown add up to the
printed total. It enumerates every assignment of the hidden rows that fits; a hidden value
is recovered when only one value is possible for it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any

from bot.services.stats import render
from bot.services.stats.report import build_report
from bot.services.stats.suppression import Mark, suppress
from storage import Store
from storage.models import IntakeRecord

DAY = dt.date(2026, 3, 2)
K = 5


def possible_values(total: int, rows: list[dict[str, Any]]) -> list[set[int]]:
    """For each hidden row (in order), every value some consistent assignment gives it."""
    shown = [r["count"] for r in rows if r["count"] is not None]
    big = [c for c in shown if c >= K]
    hidden = [r for r in rows if r["count"] is None]
    ranges = [
        range(1, K) if r["display"] == f"<{K}" else range(K, (min(big) if big else total) + 1)
        for r in hidden
    ]
    rest = total - sum(shown)
    found: list[set[int]] = [set() for _ in hidden]
    for combo in itertools.product(*ranges):
        if sum(combo) == rest:
            for i, value in enumerate(combo):
                found[i].add(value)
    return found


def recovered(total: int, rows: list[dict[str, Any]]) -> list[str]:
    hidden = [r for r in rows if r["count"] is None]
    return [
        f"{r['key']}={next(iter(values))}"
        for r, values in zip(hidden, possible_values(total, rows), strict=True)
        if len(values) == 1
    ]


# Regions chosen so that hiding only the small rows leaks: one small row (4) in a breakdown
# whose other rows print. Callers: two small rows that must both be 1 (sum 2).
REGIONS = {"almaty": 12, "astana": 9, "shymkent": 7, "abai": 4}
CALLERS = {"parent": 20, "relative": 11, "child": 1, "teacher": 1}
AGES = {"10-12": 15, "13-15": 8, "16-18": 6, "0-3": 3, "4-6": 0}


def people() -> list[dict[str, Any]]:
    regions = list(itertools.chain.from_iterable([k] * n for k, n in REGIONS.items()))
    callers = list(itertools.chain.from_iterable([k] * n for k, n in CALLERS.items()))
    ages = list(itertools.chain.from_iterable([k] * n for k, n in AGES.items()))
    return [
        {
            "period_date": DAY,
            "period_hour": 10,
            "channel": "telegram",
            "language": "kk",
            "urgency": "routine",
            "region": regions[i],
            "caller": callers[i],
            "age_band": ages[i],
            "gender": "girl" if i % 3 else "boy",
            "categories": ["bullying"] if i < 3 else ["family"],
        }
        for i in range(32)
    ]


async def test_small_cells_print_as_less_than_5_and_cannot_be_solved_for(store: Store) -> None:
    async with store.transaction() as repos:
        for row in people():
            await repos.intakes.add(IntakeRecord(**row))
    report = await build_report(store, DAY, DAY, min_cell=K)
    doc = json.loads(render.as_json(report, "en"))
    total = doc["total"]
    assert total == 32
    regions = {
        r["key"]: r for r in next(b for b in doc["breakdowns"] if b["name"] == "region")["rows"]
    }
    assert regions["abai"]["display"] == "<5" and regions["abai"]["share"] is None
    assert regions["shymkent"]["display"] == "×"  # the smallest other row covers it
    hidden_rows = 0
    for b in doc["breakdowns"]:
        if not b["adds_up_to_total"] or b["withheld"]:
            continue
        hidden_rows += sum(r["count"] is None for r in b["rows"])
        assert recovered(total, b["rows"]) == [], b["name"]
        for r in b["rows"]:  # a hidden row prints no share, a shown one its exact share
            assert (r["share"] is None) == (r["count"] is None)
    assert hidden_rows >= 6
    md = render.markdown(report, "en")
    assert "| <5 |" in md and "| Abai Region | <5 |  |" in md
    assert "Counts below 5 are shown as “<5”" in md  # the footer states the rule
    categories = {
        r["key"]: r
        for r in next(b for b in doc["breakdowns"] if b["name"] == "categories")["rows"]
    }
    assert categories["bullying"]["display"] == "<5"


def test_the_solver_recovers_what_primary_suppression_alone_leaves() -> None:
    """Control: without the secondary rows the same printed figures give the values away."""
    for counts, expected in (([12, 9, 7, 4], ["d=4"]), ([20, 11, 1, 1], ["c=1", "d=1"])):
        rows = [
            {
                "key": key,
                "count": None if 0 < c < K else c,
                "display": f"<{K}" if 0 < c < K else str(c),
            }
            for key, c in zip("abcd", counts, strict=True)
        ]
        assert recovered(sum(counts), rows) == expected


def test_suppression_withholds_a_breakdown_that_cannot_be_protected() -> None:
    # Two rows of 4 and 4 in a total of 8: both "<5" and their sum 8 forces 4 and 4.
    assert suppress([4, 4], K, adds_up=True) == [Mark.WITHHELD, Mark.WITHHELD]
    assert suppress([4, 3], K, adds_up=True) == [Mark.SMALL, Mark.SMALL]
    assert suppress([4, 3], K, adds_up=False) == [Mark.SMALL, Mark.SMALL]
    assert suppress([0, 9, 6], K, adds_up=True) == [Mark.SHOWN] * 3
