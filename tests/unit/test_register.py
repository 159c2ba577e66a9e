"""Issue 11, acceptance 2: adults are never spoken to like children, and a child is never
assumed to be a boy. The texts are found by walking the dialog (tests/dialog_walk.py), so a
new step or text is checked without anyone listing it here."""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

from bot.dialogs import texts as t
from bot.dialogs.model import Msg
from tests.dialog_walk import Said, rendered, walk

# Russian informal address: ты and its forms, 2nd person singular verbs, informal imperatives.
RU_INFORMAL = re.compile(
    r"\b(ты|тебя|тебе|тобой|твой|твоя|твоё|твое|твои|твоего|твоей|твоих|твоим|"
    r"давай|напиши|пиши|выбери|расскажи|отправь|звони|позвони|подожди|попробуй|нажми|"
    r"используй|скажи|уйди|сохрани|поговори|запиши|попроси|займись|сходи|дыши|оставайся|"
    r"не уходи|спрашивай|жди)\b|\b\w+(ешь|ёшь|ишь)\b",
    re.IGNORECASE,
)
# Kazakh informal address: сен and its forms, -сың/-сің verbs, -ың/-ің possessives, bare
# imperatives and -шы/-ші requests without the polite -ыңыз.
KK_INFORMAL = re.compile(
    r"\b(сен|сені|саған|сенің|сенімен|сенде|сенен|жаз|таңда|айт|жібер|шал|тұр|сақта|"
    r"жазшы|таңдашы|жіберші|басшы|шалшы|бер|атың|хабарың|жазғаның|айтқаның|кінәң)\b|"
    r"\b\w+(сың|сің)\b|\b\w+[^ң\Wндт](ың|ің)\b",
    re.IGNORECASE,
)
# Russian past tense and short adjectives that are masculine only.
RU_MASCULINE = re.compile(
    r"\b\w{2,}(ал|ял|ел|ил|ыл|ул|ёл)\b|\b(не один|одинок|виноват|сам|готов|рад|уверен|должен|"
    r"услышан|услышанным|понял|смог|мог|пришёл|пришел)\b",
    re.IGNORECASE,
)
NOT_MASCULINE_VERBS = {"сигнал"}  # nouns that end like a past tense
WALK_STATES = 500  # enough to reach every step from every caller type (checked below)


@lru_cache(maxsize=1)
def adult_said() -> list[Said]:
    return walk({None, "parent", "relative", "teacher", "other"}, max_states=WALK_STATES)


@lru_cache(maxsize=1)
def child_said() -> list[Said]:
    return walk({"child"}, max_states=WALK_STATES)


def test_the_walk_reaches_every_step_and_register() -> None:
    adult = {s.msg.key for s in adult_said()}
    child = {s.msg.key for s in child_said()}
    for key in (t.GREETING, t.ASK_SERVICE, t.ASK_PHONE, t.SAFETY, t.HANDOFF, t.HANDOFF_NOBODY):
        assert key in adult
    for key in (t.ASK_SAFETY_CHILD, t.SAFETY_CHILD, t.NOBODY_CHILD, t.OFFER_TALK_CHILD):
        assert key in child and key not in adult
    assert any(s.msg.context == "child" for s in child_said())
    assert not any(s.msg.context == "child" for s in adult_said())


def _offending(texts: dict[str, Msg], pattern: re.Pattern[str]) -> list[str]:
    return [text for text in texts if pattern.search(text.replace("/new", ""))]


def test_adults_are_addressed_formally_in_russian() -> None:
    bad = _offending(rendered(adult_said(), "ru"), RU_INFORMAL)
    assert bad == []


def test_adults_are_addressed_formally_in_kazakh() -> None:
    bad = _offending(rendered(adult_said(), "kk"), KK_INFORMAL)
    assert bad == []


def test_children_read_no_masculine_only_forms() -> None:
    texts = rendered(child_said(), "ru")
    bad = [
        text
        for text in texts
        if any(m.group(0).lower() not in NOT_MASCULINE_VERBS for m in RU_MASCULINE.finditer(text))
    ]
    assert bad == []


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (RU_INFORMAL, "Спасибо, что рассказал. Где ты живёшь? Выбери тему."),
        (RU_INFORMAL, "Напиши, пожалуйста, словами."),
        (KK_INFORMAL, "Айтқаныңа рақмет. Қай жерде тұрасың?"),
        (KK_INFORMAL, "Сөзбен жазшы."),
        (RU_MASCULINE, "Ты не один, и ты правильно сделал, что написал нам."),
        (RU_MASCULINE, "Ты не виноват."),
    ],
)
def test_the_checks_catch_the_texts_issue_11_found(pattern: re.Pattern[str], text: str) -> None:
    assert pattern.search(text)


def test_adults_get_their_own_topic_labels() -> None:
    labels = {s.msg.key for s in adult_said()}
    assert "Someone hurts me or another child" not in labels
    assert "I feel sad, scared or alone" not in labels
