"""The crisis-vocabulary gate: the model alone raises a crisis only on crisis words."""

from __future__ import annotations

import pytest

from bot.classify import Classifier
from bot.classify.classifier import HelplineClassifier, TextAnalyzer


@pytest.fixture(scope="module")
def analyzer() -> TextAnalyzer:
    return TextAnalyzer()


@pytest.mark.parametrize(
    "text",
    [
        "хочу уснуть и больше не открывать глаза никогда",
        "иногда думаю что всем будет лучше если меня не станет",
        "whats even the point, im just a burden to my family",
    ],
)
def test_model_only_crisis_with_a_vocabulary_word(
    clf: Classifier, analyzer: TextAnalyzer, text: str
) -> None:
    a = analyzer.analyze(text)
    assert a.crisis_words and a.model_may_fire
    result = clf.classify(text)
    assert result.is_crisis, (result.signals, result.extra)


@pytest.mark.parametrize(
    "text",
    [
        "школа по прописке не берёт, мест нет",
        "с мамой вообще не можем найти общий язык ругаемся каждый день",
    ],
)
def test_routine_text_the_model_scores_high_is_not_crisis(
    clf: Classifier, analyzer: TextAnalyzer, text: str
) -> None:
    assert isinstance(clf, HelplineClassifier) and clf.crisis is not None
    a = analyzer.analyze(text)
    prob, _ = clf.crisis.score_ids(clf.crisis.feature_ids(a.skel, a.model_signals, a.topics))
    assert prob >= clf.crisis.threshold  # the model alone would have fired
    assert not a.crisis_words
    result = clf.classify(text)
    assert not result.is_crisis, (result.signals, result.extra)
    assert "crisis_p" not in result.extra  # the gate spared asking the model at all


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("мама бьёт меня ремнём", True),
        ("ólgim keledi", True),
        ("he sent me nudes and wants to meet", True),
        ("как оформить алименты через суд", False),
        ("what documents do i need for school enrolment", False),
    ],
)
def test_vocabulary_reads_all_scripts(analyzer: TextAnalyzer, text: str, expected: bool) -> None:
    assert analyzer.analyze(text).crisis_words is expected
