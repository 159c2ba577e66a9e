"""A whole SMS exchange costs at most half the segments of the Telegram texts sent as they are
(the figures bench/sms_segments.py prints and the README quotes)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from bot.classify.types import Classifier

BENCH = Path(__file__).resolve().parents[2] / "bench" / "sms_segments.py"


def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sms_segments_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_sms_costs_at_most_half_of_the_telegram_texts(classifier: Classifier) -> None:
    figures = await bench().figures(classifier)
    assert {(name, lang) for name, lang, _, _ in figures} == {
        (name, lang) for name in ("routine", "crisis") for lang in ("kk", "ru", "en")
    }
    for name, lang, sms, telegram in figures:
        assert 0 < sms <= telegram / 2, (name, lang, sms, telegram)
