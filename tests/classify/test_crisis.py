"""Crisis signals: morphology, transliteration, mixed text, third parties, negation, figures."""

from __future__ import annotations

import pytest

from bot.classify import Classifier
from bot.classify.classifier import TextAnalyzer
from bot.classify.lexicon import load_signal_levels

ANALYZER = TextAnalyzer()
CRISIS_SIGNAL_NAMES = {s for s, (level, _) in load_signal_levels().items() if level == "crisis"}


def signals(clf: Classifier, text: str) -> set[str]:
    result = clf.classify(text)
    assert result.is_crisis, f"not crisis: {text!r} -> {result}"
    return set(result.signals)


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        # Russian inflection
        ("папа бьёт меня", "abuse_physical"),
        ("родители бьют нас", "abuse_physical"),
        ("отчим избил меня вчера", "abuse_physical"),
        ("он меня избивает", "abuse_physical"),
        ("у меня побои от отца", "abuse_physical"),
        ("хочу умереть", "suicide"),
        ("хочется умереть", "suicide"),
        ("не хочу больше жить", "suicide"),
        ("жить не хочется", "suicide"),
        ("покончу с собой", "suicide"),
        ("думаю о самоубийстве", "suicide"),
        ("режу себя", "self_harm"),
        ("резать себе руки", "self_harm"),
        ("у меня порезы на руках", "self_harm"),
        ("отчим пристаёт ко мне", "abuse_sexual"),
        ("я сбежала из дома", "missing_runaway"),
        ("мы голодаем дома никого нет", "neglect_now"),
        # Kazakh agglutination
        ("өлгім келеді", "suicide"),
        ("досым өлгісі келеді", "suicide"),
        ("өзімді өлтіремін", "suicide"),
        ("өзімді өлтіргім келеді", "suicide"),
        ("жасағым келмейді", "suicide"),
        ("әкем ұрады", "abuse_physical"),
        ("ағам ұрып жүр", "abuse_physical"),
        ("анам ұрған жерім ауырады", "abuse_physical"),
        ("белбеумен сабайды", "abuse_physical"),
        ("өгей әкем сабап тастады", "abuse_physical"),
        ("үйден қашып кеттім", "missing_runaway"),
        ("ұлым қашып кетті", "missing_runaway"),
        ("қолымды кесемін", "self_harm"),
        # English forms
        ("I want to kill myself", "suicide"),
        ("I keep thinking about killing myself", "suicide"),
        ("i wanna die", "suicide"),
        ("I cut myself", "self_harm"),
        ("I've been cutting myself", "self_harm"),
        ("my dad hits me", "abuse_physical"),
        ("he hit me again", "abuse_physical"),
        ("mum keeps hitting me", "abuse_physical"),
        ("someone is blackmailing me with my photos", "sextortion"),
        ("the boss took my passport and locks us in", "forced_labour"),
        ("we have nothing to eat and mum is gone", "neglect_now"),
    ],
)
def test_inflected_forms_are_crisis(clf: Classifier, text: str, signal: str) -> None:
    assert signal in signals(clf, text)


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("ózimdi óltirgim keledi", "suicide"),
        ("ozimdi oltirgim keledi", "suicide"),
        ("olgim keledi", "suicide"),
        ("ya ne hochu zhit", "suicide"),
        ("hochu umeret", "suicide"),
        ("menya b'et otec", "abuse_physical"),
        ("papam meni kunde urady", "abuse_physical"),
    ],
)
def test_transliterated_crisis(clf: Classifier, text: str, signal: str) -> None:
    assert signal in signals(clf, text)


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("папам мені күнде ұрады", "abuse_physical"),
        ("өлгім келеді просто устала от всего", "suicide"),
        ("отчим меня бьёт анама айтсам сенбейді", "abuse_physical"),
    ],
)
def test_mixed_kazakh_russian(clf: Classifier, text: str, signal: str) -> None:
    assert signal in signals(clf, text)


@pytest.mark.parametrize(
    "text",
    [
        "my friend wants to kill herself",
        "my friend said he is going to end his life",
        "досым өзін-өзі өлтіргісі келеді",
        "құрбым өлгісі келетінін айтты",
        "подруга пишет что хочет умереть",
        "одноклассник режет себе руки",
        "my little sister's boyfriend hits her",
    ],
)
def test_third_party_reports_are_crisis(clf: Classifier, text: str) -> None:
    assert clf.classify(text).is_crisis


@pytest.mark.parametrize(
    "text",
    [
        "не хочу умирать",
        "я не хочу умереть",
        "I don't want to die",
        "өлгім келмейді",
        "this test is killing me",
        "я умираю от скуки",
        "я сейчас умру со смеху",
        "зеріккеннен өліп барамын",
        "күлкіден өліп қала жаздадым",
        "I'm dying of laughter",
        "убью брата если возьмёт мой телефон",
        "сабақ жасағым келмейді",
        "жүрегім қатты соғады",
    ],
)
def test_negation_and_figurative_speech_are_not_crisis(clf: Classifier, text: str) -> None:
    result = clf.classify(text)
    assert not result.is_crisis, result


@pytest.mark.parametrize(
    "text",
    ["I don't want to live", "не хочу жить", "жасағым келмейді", "өмір сүргім келмейді"],
)
def test_negated_living_is_crisis(clf: Classifier, text: str) -> None:
    assert "suicide" in signals(clf, text)


def test_several_signals_are_named(clf: Classifier) -> None:
    result = clf.classify("отчим бьёт меня и пристаёт ко мне")
    assert {"abuse_physical", "abuse_sexual"} <= set(result.signals)


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("мне очень плохо я постоянно плачу", "urgent"),
        ("I can't stop crying", "urgent"),
        ("мама постоянно орёт на меня", "urgent"),
        ("бывший не платит алименты", "routine"),
        ("как оформить пособие", "routine"),
        ("боюсь экзаменов", "routine"),
    ],
)
def test_urgency_levels(clf: Classifier, text: str, urgency: str) -> None:
    assert clf.classify(text).urgency == urgency


@pytest.mark.parametrize(
    "text",
    [
        # Paraphrases no rule covers (checked in test_no_rule_covers_them): the model must.
        "хочу уснуть и больше не открывать глаза никогда",
        "раздаю свои вещи, скоро они мне не понадобятся",
        "бәрін тастап біржола кеткім келеді, ешкімге керек емеспін",
        "i keep thinking my family would manage fine if i just stopped existing",
        "жоқ болып кетсем ешкім байқамайды",
    ],
)
def test_model_catches_paraphrases_without_rules(clf: Classifier, text: str) -> None:
    result = clf.classify(text)
    assert result.is_crisis, result
    assert "model" in result.signals
    assert set(result.signals) & CRISIS_SIGNAL_NAMES, result.signals


@pytest.mark.parametrize(
    "text",
    [
        "хочу уснуть и больше не открывать глаза никогда",
        "раздаю свои вещи, скоро они мне не понадобятся",
        "бәрін тастап біржола кеткім келеді, ешкімге керек емеспін",
        "i keep thinking my family would manage fine if i just stopped existing",
        "жоқ болып кетсем ешкім байқамайды",
    ],
)
def test_no_rule_covers_them(text: str) -> None:
    analysis = ANALYZER.analyze(text)
    assert not {s for s in analysis.signals if ANALYZER.levels[s][0] == "crisis"}, analysis


@pytest.mark.parametrize(
    "text",
    [
        "не хочу умирать, просто устала",
        "I don't want to die, I just want the exams to be over",
        "өлгім келмейді, тек шаршадым",
        "я умираю от скуки на этой паре",
        "this maths homework is killing me lol",
    ],
)
def test_safe_phrases_stay_not_crisis(clf: Classifier, text: str) -> None:
    result = clf.classify(text)
    assert not result.is_crisis, result
