"""Negation binds in safe rules: a negation word in a `safe` rule must stand right before the
next pattern word, so "не могу, хочу умереть" is not read as "не хочу умереть".

Every crisis message below was classified non-crisis before the fix (the safe span of a
negation rule, matched across the gap after its negation, covered the real suicide hit)."""

from __future__ import annotations

import pytest

from bot.classify import Classifier
from bot.classify.lexicon import compile_pattern, parse_rules
from bot.classify.normalize import skeleton

HIDDEN_CRISES = [
    # ru: signals_ru.tsv `не (хочу|...) (умирать|умереть)` across "могу"
    "я больше не могу, хочу умереть",
    "не могу так, хочу умереть",
    # en: `(dont|...) want to die` across "know why", `not (suicidal|suicide)` across "sure why"
    "I dont know why, want to die",
    "not sure why, suicidal every night",
    # kk: Kazakh "не" ("what") before a negation safe rule of the shared Cyrillic lexicon
    "не істейін, суицид жасағым келеді",
    "Не істеуім керек, хочу умереть",
]

SAFE_PHRASES = [
    "я не хочу умирать",
    "I don't want to die",
    "I do not want to die",
    "өлгім келмейді",
    "я не суицидник",
    "не суицид, просто хочу поговорить",
    "я не думаю о суициде",
    "не собираюсь ничего с собой делать",
    "I'm not going to do anything",
    "not thinking about suicide",
    "im not suicidal or anything",
]


@pytest.mark.parametrize("text", HIDDEN_CRISES)
def test_negation_a_word_or_two_before_a_safe_phrase_does_not_hide_a_crisis(
    clf: Classifier, text: str
) -> None:
    result = clf.classify(text)
    assert result.is_crisis, f"{text!r} -> {result.urgency} {result.signals}"
    assert "suicide" in result.signals


@pytest.mark.parametrize("text", SAFE_PHRASES)
def test_negated_phrases_stay_non_crisis(clf: Classifier, text: str) -> None:
    result = clf.classify(text)
    assert not result.is_crisis, f"{text!r} -> {result.urgency} {result.signals}"


def test_safe_negation_binds_but_signal_rules_keep_their_gaps() -> None:
    pattern = "не (хочу|хотел) (умирать|умереть)"
    safe, _ = compile_pattern(pattern, {}, translit=True, safe=True)
    signal, _ = compile_pattern(pattern, {}, translit=True)
    assert safe.search(f" {skeleton('не хочу очень умереть')} ")  # gaps stay elsewhere
    assert not safe.search(f" {skeleton('не могу хочу умереть')} ")
    assert signal.search(f" {skeleton('не могу хочу умереть')} ")


def test_choice_binds_only_after_its_negated_forms() -> None:
    (rule,) = parse_rules(
        ["safe\t(wont|not going to) be (here|around)"], "signals_en.tsv", translit=False
    )

    def found(text: str) -> bool:
        return rule.regex.search(f" {skeleton(text, translit=False)} ") is not None

    assert found("not going to really be here")
    assert found("wont be here")
    assert not found("wont ever be here")


def test_explicit_long_gap_after_a_negation_is_kept() -> None:
    (rule,) = parse_rules(["safe\tне ... (будет)"], "signals_ru.tsv", translit=True)
    assert rule.regex.search(f" {skeleton('не знаю когда будет')} ")
