"""Hidden-set targets, checked on our former blind sets (tests/data/blind*.jsonl).

blind.jsonl was written before the rule files were read; blind2.jsonl after the first
round of fixes. Both were then tuned on, and are now in corpus.jsonl's train split for the
crisis and category models, so these tests only check fit, not generalisation. blind3 and
blind4 were tuned on (rules for the families of their misses), blind5 chose the false-alarm
budget, blind7 was tuned on and joined the train split, blind6 and blind8 have influenced
nothing; all must keep meeting the hidden-set targets. (blind15, evaluate.FRESH_UNTOUCHED, is
only scored by `make eval`: its lines are never printed.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.classify.evaluate import (
    BLIND_SETS,
    THRESHOLD_SET,
    TUNED_SETS,
    UNTOUCHED_SETS,
    score_rows,
)
from bot.classify.train import load_corpus


def _load(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


ALL_BLIND = (*BLIND_SETS, *TUNED_SETS, THRESHOLD_SET, *UNTOUCHED_SETS)


@pytest.mark.parametrize("path", ALL_BLIND, ids=lambda p: p.name)
def test_blind_set_meets_hidden_set_targets(path: Path) -> None:
    s = score_rows(_load(path))["all"]
    # The lines of untouched sets stay unread: a failure shows their scores only.
    why = s.line(path.name) if path in UNTOUCHED_SETS else s.misses
    assert s.recall >= 0.95, why
    assert s.fpr <= 0.15, why
    assert s.category >= 0.80, why
    assert s.language >= 0.97, why


def test_blind_sets_are_marked_as_training_data() -> None:
    """Whoever reads the scores must know these sets are trained on."""
    train = {str(r["text"]).strip().lower() for r in load_corpus() if r["split"] == "train"}
    for path in BLIND_SETS:
        texts = {str(r["text"]).strip().lower() for r in _load(path)}
        assert len(texts & train) >= len(texts) - 2, path.name
