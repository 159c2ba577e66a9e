"""Families of gaps found by the fourth blind set (tests/data/blind4.jsonl), in kk, ru and en
with inflected and Latin-typed forms that are not the blind lines."""

from __future__ import annotations

import pytest

from bot.classify import Classifier
from bot.classify.crisis import MIN_MODEL_WORDS, model_may_fire


def urgency(clf: Classifier, text: str) -> str:
    return clf.classify(text).urgency


@pytest.mark.parametrize(
    "text",
    [
        # explicit denials
        "я не думаю о самоубийстве, просто всё надоело",
        "мыслей о суициде нет, не волнуйтесь, просто плохо сплю",
        "ничего с собой не сделаю, мне просто нужно поговорить",
        "i'm not suicidal, just stressed about exams",
        "not thinking about suicide at all, just sad",
        "I won't hurt myself, I promise, I just feel bad",
        "өзіме қол жұмсамаймын, тек жаным ауырады",
        "суицид туралы ойламаймын, жай шаршадым",
        # films and lessons about the topic
        "we saw a documentary about suicide at school and it upset me",
        "сыныпта суицид туралы фильм көрдік, ойымнан кетпейді",
        # resolved past, told by an adult
        "в детстве отец меня бил, сейчас мне уже 35, хочу разобраться в себе",
        "when i was little my stepdad hit me, now im 27 and still angry",
        "кішкентай кезімде әкем ұратын, қазір өзім әкемін",
        # sibling hyperbole
        "прибью брата, опять сломал мою приставку",
        "i'm gonna kill my sister, she took my charger again",
        "қарындасымды өлтіремін, тағы киімімді алып кетті",
        # professionals asking
        "what warning signs should teachers look out for if a child is being abused?",
        "какие признаки насилия над ребёнком должен замечать учитель?",
        # evictions and relatives
        "our landlord is throwing us out next week, we have small kids",
        "свекровь выгоняет нас с ребёнком из квартиры",
        "енем мені балаларыммен үйден қуып жатыр",
        # quarrels are not beatings
        "ата-анам күнде ұрысады, үйде тыныштық жоқ",
    ],
)
def test_denials_past_hyperbole_and_questions_are_not_crisis(clf: Classifier, text: str) -> None:
    result = clf.classify(text)
    assert not result.is_crisis, (text, result.signals, result.extra)


@pytest.mark.parametrize(
    "text",
    [
        "не думаю что доживу до утра",
        "I'm not going to be here tomorrow",
        "I'm not going to be around much longer",
        "сказал что бил себя раньше, но сейчас опять порезался",
    ],
)
def test_denial_lookalikes_stay_crisis(clf: Classifier, text: str) -> None:
    assert clf.classify(text).is_crisis


@pytest.mark.parametrize(
    "text",
    [
        "одноклассники толкают и бьют меня на переменах",
        "my son got punched by older boys at the bus stop",
        "older kids hit my brother at school every day",
        "сыныптастарым ақшамды тартып алып, ұрады",
        "дядя заставляет торговать на базаре, все деньги забирает",
        "my parents make me work in our family shop after school",
        "ағам базарда саудаға мәжбүрлейді, табысымды алып қояды",
    ],
)
def test_peer_fights_and_family_work_are_urgent(clf: Classifier, text: str) -> None:
    assert urgency(clf, text) == "urgent", clf.classify(text).signals


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("сына увезли работать на ферму, паспорт забрали, не отпускают", "forced_labour"),
        ("their documents were taken and they sleep at the factory", "forced_labour"),
        ("інімді құрылысқа апарып, құжаттарын алып қойды, жібермейді", "forced_labour"),
        ("the owner locks the boys inside the car wash at night", "forced_labour"),
        ("в истории поиска у дочери нашла как повеситься", "suicide"),
        ("my brother looked up how to kill yourself on his laptop", "suicide"),
        ("ұлымның іздеу тарихынан суицид туралы сұрақтар таптым", "suicide"),
        ("переведи 20 тысяч или фотки увидит вся школа", "sextortion"),
        ("pay me tonight or your pics go to your parents", "sextortion"),
        ("ақша аудар, әйтпесе видеоңды мектепке жіберемін", "sextortion"),
        ("пацаны сказали что убьют после школы", "violence"),
    ],
)
def test_missed_crisis_families(clf: Classifier, text: str, signal: str) -> None:
    result = clf.classify(text)
    assert result.is_crisis and signal in result.signals, (text, result.signals)


@pytest.mark.parametrize("text", ["добрый вечер", "қайырлы кеш", "good evening", "hi"])
def test_greetings_never_crisis(clf: Classifier, text: str) -> None:
    assert not clf.classify(text).is_crisis


def test_model_alone_needs_a_few_words() -> None:
    assert MIN_MODEL_WORDS == 3
    assert not model_may_fire("добрый вечер")
    assert model_may_fire("не хочу больше так")


@pytest.mark.parametrize(
    ("text", "categories"),
    [
        ("how is child support worked out if the dad earns abroad?", {"maintenance"}),
        (
            "how do I renew the rehab programme for my son who is blind?",
            {"disability", "health"},
        ),
        ("can they take my kids away because I'm unemployed?", {"parental_rights"}),
        ("what languages do you answer in?", {"other"}),
        ("can my 15 year old see a psychiatrist without her father's consent?", {"health"}),
    ],
)
def test_english_categories(clf: Classifier, text: str, categories: set[str]) -> None:
    assert clf.classify(text).category in categories, clf.classify(text).categories[:3]
