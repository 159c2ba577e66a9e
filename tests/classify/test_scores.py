"""Accuracy gates: the dev set (tests/data/eval) and the held-out split of our own corpus."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from bot.classify.crisis import CRISIS_MODEL_PATH, CrisisModel
from bot.classify.evaluate import DEV_SET, SCORER, score_rows
from bot.classify.model import MODEL_PATH, CategoryModel
from bot.classify.train import load_corpus, main, same_crisis_model, same_model

REPO = Path(__file__).resolve().parents[2]


def test_dev_set_is_inside_the_repo() -> None:
    # A bare clone must score itself: the dev set and its scorer are part of the checkout.
    assert DEV_SET == REPO / "tests" / "data" / "eval" / "dev.jsonl"
    assert DEV_SET.with_name("score.py") == SCORER
    assert DEV_SET.is_file() and SCORER.is_file()


def test_dev_set_thresholds() -> None:
    with DEV_SET.open(encoding="utf-8") as f:
        gold = [json.loads(line) for line in f if line.strip()]
    s = score_rows(gold)["all"]
    assert s.recall == 1.0, s.misses
    assert s.fpr <= 0.10, s.misses
    assert s.category >= 0.90, s.misses
    assert s.language >= 0.98, s.misses


def test_heldout_thresholds() -> None:
    rows = [r for r in load_corpus() if r["split"] == "test"]
    scores = score_rows(rows)
    s = scores["all"]
    assert s.recall >= 0.95, s.misses
    assert s.fpr <= 0.15, s.misses
    assert s.category >= 0.80, s.misses
    assert s.language >= 0.97, s.misses
    for lang in ("kk", "ru", "en"):
        assert scores[lang].recall >= 0.95, lang


def test_corpus_shape() -> None:
    rows = load_corpus()
    assert len(rows) >= 600
    test = [r for r in rows if r["split"] == "test"]
    # The held-out split stays fixed while training data grows (blind sets join the train split).
    assert len(test) >= 300
    assert 0.05 <= len(test) / len(rows) <= 0.25
    assert {r["lang"] for r in rows} == {"kk", "ru", "en"}
    from bot.classify import CATEGORIES

    assert {r["category"] for r in rows} == set(CATEGORIES)
    assert all(r["crisis"] == bool(r["signals"]) for r in rows)


def test_corpus_does_not_copy_the_dev_set() -> None:
    with DEV_SET.open(encoding="utf-8") as f:
        dev = {json.loads(line)["text"].strip().lower() for line in f if line.strip()}
    assert not dev & {r["text"].strip().lower() for r in load_corpus()}


def test_train_check_passes(capsys: pytest.CaptureFixture[str]) -> None:
    """Both shipped models match a retrain (one retrain each: it is the slow test)."""
    assert main(["--check"]) == 0
    out = capsys.readouterr().out
    assert "shipped category model matches" in out
    assert "shipped crisis model matches" in out
    assert "stale" not in out


def test_same_model_checks_notice_a_change() -> None:
    cat = CategoryModel.load(MODEL_PATH)
    crisis = CrisisModel.load(CRISIS_MODEL_PATH)
    assert same_model(cat, cat) and same_crisis_model(crisis, crisis)
    bumped = replace(crisis, threshold=crisis.threshold + 0.01)
    assert not same_crisis_model(crisis, bumped)
    assert not same_model(cat, replace(cat, intercept=cat.intercept + 1.0))
