"""Issue 11: the dialog a counsellor would sign off. One test (or a few) per finding."""

from __future__ import annotations

import re

import pytest

from bot.classify.types import CATEGORIES
from bot.dialogs import Context, Event, State, choices_for, step
from bot.dialogs import texts as t
from bot.dialogs.model import Escalate, Msg, Reply
from bot.dialogs.tips import TIP_OTHER, TIPS
from bot.i18n import LOCALES_DIR, render
from tests.dialog_driver import CHILD_PATH, PARENT_PATH, all_paths, run

LANGS = ["kk", "ru", "en"]


def keys(reply: Reply) -> list[str]:
    return [m.key for m in reply.messages]


def said(reply: Reply, lang: str) -> str:
    return "\n".join(render(m, lang) for m in reply.messages)


# 1. Asking for help in words is help; typing an option's words chooses it.
HELP_WORDS = [
    "помогите",
    "ПОМОГИТЕ!!!",
    "помогитеее",
    "памагите",
    "спасите",
    "мне нужна помощь",
    "Мне нужна помощь сейчас",
    "көмектесіңдер",
    "көмектесіңіз",
    "көмек керек",
    "Маған қазір көмек керек",
    "komek kerek",
    "help",
    "Help me",
    "I need help now",
    "SOS",
    "sos",
    "0",
]


@pytest.mark.parametrize("words", HELP_WORDS)
@pytest.mark.parametrize(("name", "lines", "on_duty"), all_paths())
def test_help_words_at_every_step_are_i_need_help_now(
    name: str, lines: list[str], on_duty: bool, words: str
) -> None:
    state, replies = run([*lines, words], on_duty=on_duty)
    assert state.step == "crisis", (name, words)
    assert any(isinstance(a, Escalate) and a.reason == "help_now" for a in replies[-1].actions)


@pytest.mark.parametrize(
    "text", ["помогите с алиментами", "help with documents please", "көмек пули туралы сұрақ"]
)
def test_a_request_that_mentions_help_is_not_an_alarm(text: str) -> None:
    state, _ = run(["/start", "2", text])
    assert state.step != "crisis"


CALLER_WORDS = {
    "caller:child": [
        "я ребёнок",
        "Я ребенок или подросток",
        "ребенок",
        "подросток",
        "I am a child",
        "i'm a teenager",
        "мен баламын",
        "Мен баламын не жасөспіріммін",
        "бала",
        "реббенок",
    ],
    "caller:parent": [
        "мама",
        "Я мама",
        "папа",
        "A parent",
        "mom",
        "ата-ана",
        "анамын",
        "Мама или папа",
    ],
    "caller:relative": ["бабушка", "Другой родственник", "grandmother", "әжесімін", "әже"],
    "caller:teacher": ["учитель", "я учительница", "teacher", "мұғаліммін", "Мұғалім"],
    "caller:other": ["Другой человек", "someone else", "Басқа адаммын"],
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("cid", "words"), [(c, w) for c, ws in CALLER_WORDS.items() for w in ws])
def test_words_at_who_is_writing_choose_the_caller(cid: str, words: str, lang: str) -> None:
    state, _ = run(["/start", words], lang=lang)  # type: ignore[arg-type]
    assert state.caller == cid.removeprefix("caller:"), words


@pytest.mark.parametrize(
    "story",
    ["мама не даёт мне телефон", "my dad shouts at me", "әкем мені ұрсады", "бабушка болеет"],
)
def test_a_story_that_names_a_person_is_not_taken_for_an_option(story: str) -> None:
    state, _ = run(["/start", story])
    assert state.caller is None


@pytest.mark.parametrize(
    ("lines", "field", "value"),
    [
        (["/start", "1", "Дом и семья"], "category", "family"),
        (["/start", "1", "школа или детский сад"], "category", "education"),
        ([*CHILD_PATH["safety"], "да"], "step", "age"),
        ([*CHILD_PATH["age"], "пропустить"], "step", "gender"),
        ([*CHILD_PATH["age"], "Skip"], "step", "gender"),
        ([*CHILD_PATH["age"], "өткізіп жіберу"], "step", "gender"),
        ([*CHILD_PATH["gender"], "девочка"], "gender", "girl"),
        ([*CHILD_PATH["gender"], "қызбын"], "gender", "girl"),
        ([*CHILD_PATH["gender"], "Boy"], "gender", "boy"),
        ([*CHILD_PATH["region"], "Шымкент"], "region", "shymkent"),
        ([*CHILD_PATH["region"], "город алматы"], "region", "almaty"),
        ([*PARENT_PATH["service"], "юрист"], "service", "legal"),
        ([*PARENT_PATH["service"], "Психолог"], "service", "psychological"),
    ],
)
def test_typing_an_options_words_chooses_it(lines: list[str], field: str, value: str) -> None:
    state, _ = run(lines, lang="ru")
    assert getattr(state, field) == value


# 2. Promises that are true.
PERSON_NOW = {t.CALLING_PERSON, t.CRISIS_MESSAGE_RECEIVED, t.CRISIS_WAITING, t.TALK_SOON}
PERSON_NOW |= {t.MESSAGE_RECEIVED, t.LEAVE_MESSAGE_PROMPT, t.HANDOFF}


@pytest.mark.parametrize(("name", "lines", "on_duty"), all_paths())
def test_nobody_on_shift_is_never_promised_a_person_now(
    name: str, lines: list[str], on_duty: bool
) -> None:
    if on_duty:
        return
    _, replies = run([*lines, "I want to die", "he is here", "/start", "I want to die"])
    for reply in replies:
        assert not set(keys(reply)) & PERSON_NOW, name
    crisis_reply = replies[len(lines)]
    assert t.NOBODY_ON_DUTY_CRISIS in keys(crisis_reply)
    assert "12" in said(crisis_reply, "ru")  # the wait from the settings, said honestly
    assert keys(replies[len(lines) + 1]) == [t.CRISIS_MESSAGE_RECEIVED_NOBODY]


def test_someone_on_shift_is_called_and_said_so() -> None:
    _, replies = run(["/start", "I want to die"], on_duty=True)
    assert keys(replies[-1]) == [t.SAFETY, t.CALLING_PERSON]


def test_a_left_message_is_answered_with_the_honest_wait() -> None:
    ctx = Context(on_duty=False, reply_within_hours=5)
    state, _ = run(CHILD_PATH["message"])
    _, reply = step(state, Event("text", text="mean things at school"), ctx)
    assert "5" in said(reply, "ru") and "5" in said(reply, "kk")


# 3. Adults are spoken to formally (the full check walks the dialog: test_register.py).
def test_a_parent_reporting_a_crisis_reads_about_their_child() -> None:
    _, replies = run(["/start", "2", "my son wants to die"])
    text = said(replies[-1], "ru")
    assert "ребёнку" in text and "Ты не один" not in text and "тебе" not in text
    assert "вам" in text


def test_adults_get_topic_labels_about_the_child() -> None:
    _, replies = run(["/start", "2"])
    labels = [render(c.label, "ru") for c in replies[-1].choices if c.id != "help_now"]
    assert "Ребёнка кто-то обижает или бьёт" in labels
    assert not any("меня" in label or label.startswith("Мне ") for label in labels)


# 4. Russian does not assume a boy (the full check walks the dialog: test_register.py).
def test_a_girl_in_crisis_is_not_told_she_is_a_boy() -> None:
    _, replies = run([*CHILD_PATH["region"][:-1], "1", "хочу умереть"], lang="ru")
    text = said(replies[-1], "ru")
    assert not re.search(r"\b(один|сделал|написал|виноват)\b", text)


# 5. The second unusable answer is handed over; numbers say "1 to N (0: help now)".
UNUSABLE = ["🙂", "77", "qwrtpzx", "", "a" * 5000]


@pytest.mark.parametrize("on_duty", [False, True])
@pytest.mark.parametrize(("name", "lines", "_duty"), all_paths())
def test_the_second_unusable_answer_hands_over_never_a_third_question(
    name: str, lines: list[str], _duty: bool, on_duty: bool
) -> None:
    free_text = ("new", "message", "done", "callback_phone", "callback_pending")
    if name in free_text or run(lines, on_duty=on_duty)[0].step != name:
        return  # a free-text step, or a path that leads elsewhere with someone on shift
    pairs = [("🙂", "77"), ("77", "qwrtpzx"), ("", "🙂")]
    if name == "topic":  # any words at "what is happening?" are the user's own description
        pairs = [("🙂", "77"), ("", "🙂")]
    for first, second in pairs:
        state, replies = run([*lines, first, second], on_duty=on_duty)
        last = replies[-1]
        assert any(isinstance(a, Escalate) and a.reason == "stuck" for a in last.actions), name
        assert keys(last) == [t.HANDOFF if on_duty else t.HANDOFF_NOBODY]
        assert state.step == "message"
        state, replies = run([*lines, first, second, "🙂"], on_duty=on_duty)
        assert not set(keys(replies[-1])) & {t.CHOOSE_OPTION, t.WRONG_NUMBER, t.NOT_WORDS}


def test_topic_confirmation_does_not_alternate_forever() -> None:
    _, replies = run([*CHILD_PATH["topic_confirm"], "7", "what", "7", "what"])
    assert keys(replies[-4]) == [t.WRONG_NUMBER]
    assert keys(replies[-3]) == [t.HANDOFF_NOBODY]
    assert t.WRONG_NUMBER not in keys(replies[-2]) and t.HANDOFF_NOBODY not in keys(replies[-1])


@pytest.mark.parametrize("lang", LANGS)
def test_wrong_number_names_the_range_and_the_help_option(lang: str) -> None:
    _, replies = run([*CHILD_PATH["topic_confirm"], "7"])
    text = said(replies[-1], lang)
    assert "1" in text and "4" in text and "0" in text
    assert "0 to 4" not in text and "от 0" not in text and "0-ден" not in text


# 6. is in CALLER_WORDS above.


# 7. The greeting is repeated in the language chosen.
@pytest.mark.parametrize("choice", ["6", "8", "Қазақша", "english"])
def test_choosing_a_language_repeats_the_greeting_in_it(choice: str) -> None:
    state, replies = run(["/start", choice], lang="ru")
    assert state.language in ("kk", "en")
    assert keys(replies[-1]) == [t.LANGUAGE_SET, t.GREETING, t.ASK_CALLER]


def test_writing_first_in_another_language_repeats_the_greeting() -> None:
    state = State(language="ru", language_source="default")
    state, _ = step(state, Event("command", command="start"), Context())
    from tests.fakes import FakeClassifier

    text = "сәлеметсіз бе, менің балам мектепке барғысы келмейді, не істеу керек"
    event = Event("text", text=text, classification=FakeClassifier().classify(text))
    state, reply = step(state, event, Context())
    assert state.language == "kk"
    assert keys(reply)[0] == t.GREETING


# 8. A child who typed the problem is thanked and told it was passed on; thanks is not a case.
def test_a_child_who_typed_the_problem_is_told_it_was_passed_on() -> None:
    _, replies = run(["/start", "1", "they call me fat every day"])
    topic = replies[-1]
    assert keys(topic)[0] == t.THANKS_TOPIC_PASSED_CHILD
    (esc,) = [a for a in topic.actions if isinstance(a, Escalate)]
    assert esc.text == "they call me fat every day"
    _, replies = run(["/start", "1", "they call me fat every day", "1", "3", "1", "1"])
    assert keys(replies[-1])[0] == t.NOBODY_CHILD_TOLD
    assert t.LEAVE_MESSAGE_PROMPT not in keys(replies[-1])


@pytest.mark.parametrize(
    "thanks", ["спасибо", "Спасибо большое!", "рахмет", "Рақмет", "thanks", "thank you"]
)
def test_thanks_after_leaving_a_message_is_acknowledged_not_passed_on(thanks: str) -> None:
    _, replies = run([*CHILD_PATH["message"], thanks])
    assert keys(replies[-1]) == [t.THANKS_WELCOME]
    assert replies[-1].actions == []


# 9. Every topic has a real tip for a child.
def test_every_topic_has_its_own_tip() -> None:
    assert set(TIPS) == set(CATEGORIES)
    general = "Take care of yourself while you wait"
    assert all(general not in tip for tip in TIPS.values())
    assert TIPS["education"] != TIP_OTHER and TIPS["health"] != TIP_OTHER


@pytest.mark.parametrize("topic", sorted(CATEGORIES))
def test_a_child_gets_the_tip_of_the_topic(topic: str) -> None:
    state, _ = run(CHILD_PATH["age"])
    state.category = topic
    state.step = "region"
    _, reply = step(state, Event("choice", choice="skip"), Context())
    assert TIPS[topic] in keys(reply)
    assert "Keep copies of your documents" not in " ".join(keys(reply))


# 10. A child writing themselves is not offered 0-3 and 4-6.
def test_a_child_is_offered_ages_from_7() -> None:
    child, _ = run(CHILD_PATH["age"])
    parent, _ = run(["/start", "2", "1"])
    child_ages = [c.id for c in choices_for(child) if c.id.startswith("age:")]
    parent_ages = [c.id for c in choices_for(parent) if c.id.startswith("age:")]
    assert child_ages[0] == "age:7-9" and "age:0-3" not in child_ages
    assert parent_ages[0] == "age:0-3"


# 11. Kazakh number endings agree with how the number is said.
_LAST_WORD = {
    0: "нөл", 1: "бір", 2: "екі", 3: "үш", 4: "төрт", 5: "бес", 6: "алты", 7: "жеті",
    8: "сегіз", 9: "тоғыз", 10: "он", 20: "жиырма", 30: "отыз", 40: "қырық", 50: "елу",
    60: "алпыс", 70: "жетпіс", 80: "сексен", 90: "тоқсан", 100: "жүз", 1000: "мың",
}  # fmt: skip


def _said_last(n: int) -> str:
    for unit in (1000, 100):
        if n % unit == 0 and n:
            return _LAST_WORD[unit]
    if n % 10:
        return _LAST_WORD[n % 10]
    return _LAST_WORD[n % 100]


def kk_dative(n: int) -> str:
    word = _said_last(n)
    back = any(v in word for v in "аоұы")
    voiceless = word[-1] in "пткқсшщфхцч"
    if word[-1] in "аеыіоөұүуэюя" or word[-1] in "йлмнңрзжв":
        return "ға" if back else "ге"
    if voiceless:
        return "қа" if back else "ке"
    return "ға" if back else "ге"


def test_the_dative_rule_itself() -> None:
    assert [kk_dative(n) for n in (3, 4, 9, 112, 150, 103, 6)] == [
        "ке", "ке", "ға", "ге", "ге", "ке", "ға",
    ]  # fmt: skip


def test_kazakh_number_endings_are_right() -> None:
    text = (LOCALES_DIR / "kk" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    for number, ending in re.findall(r"(\d+)-(ге|ке|ға|қа)\b", text):
        assert ending == kk_dative(int(number)), f"{number}-{ending}"
    assert not re.search(r"\}-(ге|ке|ға|қа|ден|тен|дан|тан|нен|нан)\b", text)


# 13 is in tests/integration/test_dialog_wording.py (it needs storage); 12 there too.


def test_a_message_is_not_rendered_with_stray_placeholders() -> None:
    for lang in LANGS:
        for key in (t.NOBODY_CHILD, t.HANDOFF_NOBODY, t.NOBODY_ON_DUTY_CRISIS):
            from bot.dialogs.prompts import within

            text = render(Msg.of(key, within=within(Context())), lang)
            assert "{" not in text and "12" in text
