"""The possible-risk tier and the figurative guard (data/policy.md, "How a decision is made")."""

from __future__ import annotations

from bot.classify import Classifier
from bot.classify.classifier import POSSIBLE_RISK, HelplineClassifier
from bot.classify.train import load_corpus


def _model_p(clf: HelplineClassifier, text: str) -> float:
    assert clf.crisis is not None
    a = clf.analyzer.analyze(text)
    return clf.crisis.score_ids(clf.crisis.feature_ids(a.skel, a.model_signals, a.topics))[0]


def test_the_model_alone_never_raises_a_crisis_on_a_safe_phrase_or_a_joke(
    clf: Classifier,
) -> None:
    """Every corpus message where a safe phrase or laughter marker matched and no crisis rule
    fired: the model may score it above the crisis threshold, the answer is never crisis."""
    assert isinstance(clf, HelplineClassifier) and clf.crisis is not None
    above = 0
    for row in load_corpus():
        a = clf.analyzer.analyze(row["text"])
        if not a.figurative or clf.analyzer.urgency(a.signals) == "crisis":
            continue
        result = clf.classify(row["text"])
        assert not result.is_crisis, (row["text"], result.signals)
        if a.model_may_fire and _model_p(clf, row["text"]) >= clf.crisis.threshold:
            above += 1
            assert result.urgency == "urgent" and POSSIBLE_RISK in result.signals
    assert above >= 5  # the guard is exercised, not vacuous


def test_between_the_two_thresholds_is_a_possible_risk(clf: Classifier) -> None:
    assert isinstance(clf, HelplineClassifier) and clf.crisis is not None
    low, high = clf.crisis.risk_threshold, clf.crisis.threshold
    assert 0.0 < low < high
    seen = 0
    for row in load_corpus():
        a = clf.analyzer.analyze(row["text"])
        if a.signals or a.softened or a.figurative or not a.model_may_fire:
            continue
        p = _model_p(clf, row["text"])
        if low <= p < high:
            result = clf.classify(row["text"])
            assert result.urgency == "urgent" and POSSIBLE_RISK in result.signals
            seen += 1
    assert seen >= 5


def test_a_joke_turns_a_crisis_rule_into_a_possible_risk_but_not_lethal_means(
    clf: Classifier,
) -> None:
    joke = clf.classify("хочу умереть 😂 опять контрольная")
    assert joke.urgency == "urgent" and POSSIBLE_RISK in joke.signals and "suicide" in joke.signals
    means = clf.classify("у меня в руке 20 таблеток феназепама 😂")
    assert means.is_crisis


def test_a_distance_cue_softens_a_rule_but_lethal_means_stay_a_crisis(clf: Classifier) -> None:
    told = clf.classify("this is not urgent, years ago my dad beat me with a belt")
    assert not told.is_crisis and told.urgency == "urgent" and POSSIBLE_RISK in told.signals
    assert clf.classify("not urgent but i have 30 paracetamol in my hand right now").is_crisis
