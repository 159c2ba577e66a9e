"""Acceptance 4: PNG charts in each language open, are phone-sized, and carry their labels
in the report's script, in a font that has every letter of them."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from PIL import Image

from bot.dialogs.menus import REGIONS
from bot.i18n import gettext
from bot.services.stats.charts import FONT, chart_specs, render_png
from bot.services.stats.report import build_report
from storage import Store
from storage.models import IntakeRecord
from tests.stats import published

DAY = dt.date(2026, 2, 10)
CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
LATIN = re.compile(r"[A-Za-z]")
KAZAKH_ONLY = re.compile(r"[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")


def words(texts: tuple[str, ...]) -> str:
    return " ".join(texts)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
async def test_charts_open_at_phone_size_with_labels_in_the_language(
    store: Store, lang: str
) -> None:
    async with store.transaction() as repos:
        for row in published.records(DAY)[:200]:
            row["region"] = "almaty" if row["period_hour"] % 2 else "turkistan"
            await repos.intakes.add(IntakeRecord(**row))
    report = await build_report(store, dt.date(2026, 2, 1), dt.date(2026, 2, 28), 5)
    specs = chart_specs(report, lang)
    assert [s.name for s in specs] == ["categories", "age_band", "caller", "region", "weekly"]
    charset = FT2Font(font_manager.findfont(FONT)).get_charmap()
    for spec in specs:
        text = words(spec.texts)
        if lang == "en":
            assert not CYRILLIC.search(text), spec.name
        else:
            letters = LATIN.findall(words((spec.title, spec.axis)))
            assert not letters, (spec.name, letters)
            assert CYRILLIC.search(text)
        missing = {ch for ch in text if not ch.isspace() and ord(ch) not in charset}
        assert not missing, (spec.name, missing)
        png = render_png(spec)  # a missing glyph would warn, and warnings fail the tests
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.size[0] == 1080
        assert 600 <= image.size[1] <= 2600, image.size
    if lang == "kk":
        assert KAZAKH_ONLY.search(words(tuple(t for s in specs for t in s.texts)))
    region = next(s for s in specs if s.name == "region")
    assert gettext(REGIONS["almaty"], lang) in region.labels  # "Алматы қаласы", "Almaty city"
