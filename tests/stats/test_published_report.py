"""Acceptance 1: the report reproduces the helpline's published figures for 504 contacts."""

from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bot.services.stats import render
from bot.services.stats.report import build_report
from storage import Store
from storage.models import IntakeRecord
from tests.stats import published

DAY = dt.date(2026, 2, 10)


async def fill(store: Store) -> None:
    """Through the ORM, as the bot writes them (categories through IntakeRecord.categories)."""
    async with store.transaction() as repos:
        for row in published.records(DAY):
            await repos.intakes.add(IntakeRecord(**row))


def rows_of(doc: dict[str, Any], name: str) -> dict[str | None, dict[str, Any]]:
    (b,) = [b for b in doc["breakdowns"] if b["name"] == name]
    return {r["key"]: r for r in b["rows"]}


def as_published(share: float, digits: str) -> str:
    places = Decimal(1) if "." not in digits else Decimal(1).scaleb(-len(digits.split(".")[1]))
    return str(Decimal(str(share)).quantize(places, rounding=ROUND_HALF_UP))


async def test_report_reproduces_the_published_figures(store: Store) -> None:
    await fill(store)
    # The published table shows counts of 2 and 1: reproduce it with suppression off.
    report = await build_report(store, dt.date(2026, 2, 1), dt.date(2026, 2, 28), min_cell=1)
    doc = json.loads(render.as_json(report, "en"))
    assert doc["total"] == 504 and report.demo == 0
    for (name, key), printed in published.PUBLISHED_SHARES.items():
        share = rows_of(doc, name)[key]["share"]
        assert as_published(share, printed) == printed, (name, key, share)
    education = rows_of(doc, "education")
    assert (education["school"]["count"], education["not_in_school"]["count"]) == (293, 129)
    categories = rows_of(doc, "categories")
    published_order = list(published.CATEGORIES)
    assert [categories[slug]["count"] for slug in published_order] == [
        46, 36, 22, 20, 15, 10, 8, 8, 6, 6, 2, 1, 63,
    ]  # fmt: skip
    assert list(categories)[:13] == published_order  # listed in the published order
    md = render.markdown(report, "ru")
    assert "| мужской | 262 | 51,98% |" in md and "| женский | 242 | 48,02% |" in md
    assert "| учится в школе | 293 |" in md and "| родители | 318 | 63,10% |" in md


async def test_with_the_default_threshold_the_two_smallest_categories_are_hidden(
    store: Store,
) -> None:
    await fill(store)
    report = await build_report(store, DAY, DAY, min_cell=5)
    categories = rows_of(json.loads(render.as_json(report, "en")), "categories")
    assert (
        categories["disability"]["display"] == "<5" and categories["disability"]["count"] is None
    )
    assert categories["care_institutions"]["share"] is None
    assert categories["psychological"]["count"] == 63
    assert "| violence and abuse | 6 |" in render.markdown(report, "en")
