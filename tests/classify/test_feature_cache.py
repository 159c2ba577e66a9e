"""The per-word caches used at run time give exactly what training saw."""

from __future__ import annotations

from collections import Counter

from bot.classify import load_classifier
from bot.classify.crisis import crisis_features
from bot.classify.features import features
from bot.classify.train import load_corpus


def test_cached_ids_equal_the_training_features() -> None:
    clf = load_classifier()
    assert clf.crisis is not None
    for row in load_corpus()[::7]:
        a = clf.analyzer.analyze(str(row["text"]))
        for _ in range(2):  # cold, then from the cache
            cat = clf.model
            expected = [
                cat.vocab[f] for f in features(a.skel, a.signals, a.topics) if f in cat.vocab
            ]
            assert Counter(cat.feature_ids(a.skel, a.signals, a.topics)) == Counter(expected)
            crisis = clf.crisis
            feats = crisis_features(a.skel, a.model_signals, a.topics)
            expected = [crisis.vocab[f] for f in feats if f in crisis.vocab]
            assert Counter(crisis.feature_ids(a.skel, a.model_signals, a.topics)) == Counter(
                expected
            )


def test_rule_candidates_are_cached_without_changing_hits() -> None:
    clf = load_classifier()
    text = "папам мені күнде ұрады, я не хочу жить"
    first = clf.analyzer.analyze(text)
    second = clf.analyzer.analyze(text)
    assert first.signals == second.signals and first.signals
    assert first.sources == second.sources
