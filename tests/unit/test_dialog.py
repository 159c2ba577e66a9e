"""The triage dialog as a pure function: every flow, every step, every language."""

from __future__ import annotations

import pytest

from bot.dialogs import Context, Event, State, choices_for, numbered, step
from bot.dialogs import texts as t
from bot.dialogs.model import (
    ClearChat,
    Escalate,
    Forget,
    Msg,
    RecordIntake,
    StopMessages,
)
from tests.dialog_driver import CHILD_PATH, PARENT_PATH, all_paths, run

LANGS = ["kk", "ru", "en"]


def keys(reply_messages: list[Msg]) -> list[str]:
    return [m.key for m in reply_messages]


@pytest.mark.parametrize(("name", "lines", "on_duty"), all_paths())
def test_driver_reaches_each_step(name: str, lines: list[str], on_duty: bool) -> None:
    state, _ = run(lines, on_duty=on_duty)
    assert state.step == name


@pytest.mark.parametrize("lang", LANGS)
def test_child_routine_triage_without_staff_records_one_intake(lang: str) -> None:
    state, replies = run([*CHILD_PATH["message"]], lang=lang)  # type: ignore[arg-type]
    actions = [a for r in replies for a in r.actions]
    assert [a for a in actions if isinstance(a, RecordIntake)] == [RecordIntake("referred")]
    assert not any(isinstance(a, Escalate) for a in actions)
    assert (state.caller, state.category, state.age_band, state.gender, state.region) == (
        "child",
        "family",
        "13-15",
        "girl",
        "astana",
    )
    assert state.language == lang
    last = replies[-1]
    assert t.NOBODY_CHILD in keys(last.messages)
    assert t.LINES_24_7 in keys(last.messages)


def test_message_left_by_child_goes_to_staff_and_stays_in_step() -> None:
    state, replies = run([*CHILD_PATH["message"], "my friend said mean things"])
    assert state.step == "message"
    assert replies[-1].actions == [
        Escalate("routine", "message", "family", (), "my friend said mean things")
    ]


def test_bad_phone_keeps_the_step() -> None:
    state, replies = run([*PARENT_PATH["callback_phone"], "call me maybe"])
    assert state.step == "callback_phone"
    assert keys(replies[-1].messages) == [t.BAD_PHONE]


def test_free_text_topic_skips_topic_menu() -> None:
    state, _ = run(["/start", "1", "they call me fat"])
    assert (state.step, state.category) == ("safety", "bullying")


def test_unsure_classifier_asks_to_confirm_from_best_guesses() -> None:
    state, replies = run(CHILD_PATH["topic_confirm"])
    ids = [c.id for c in replies[-1].choices]
    assert ids[:3] == ["topic:family", "topic:education", "topic:health"]
    assert "topic:other" in ids and "help_now" in ids
    state, _ = run([*CHILD_PATH["topic_confirm"], "2"])
    assert (state.step, state.category) == ("age", "education")  # no safety question: school


def test_topic_told_before_caller_is_kept() -> None:
    state, _ = run(["/start", "the father does not pay alimony", "2"])
    assert (state.step, state.category, state.caller) == ("age", "maintenance", "parent")


def test_adult_on_duty_can_chat_now() -> None:
    state, replies = run(["/start", "2", "1", "7", "3", "1", "1", "1"], on_duty=True)
    assert state.step == "message"
    assert any(isinstance(a, Escalate) and a.reason == "talk_now" for a in replies[-1].actions)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("name", "lines", "on_duty"), all_paths())
def test_crisis_at_every_step_interrupts(
    lang: str, name: str, lines: list[str], on_duty: bool
) -> None:
    crisis = {"kk": "өлгім келеді", "ru": "хочу умереть", "en": "I want to die"}[lang]
    state, replies = run([*lines, crisis], lang=lang, on_duty=on_duty)  # type: ignore[arg-type]
    reply = replies[-1]
    assert state.step == "crisis"
    assert state.urgency == "crisis"
    said = set(keys(reply.messages))
    assert said & {t.SAFETY, t.SAFETY_CHILD, t.CRISIS_MESSAGE_RECEIVED}
    escalations = [a for a in reply.actions if isinstance(a, Escalate)]
    assert escalations and escalations[0].urgency == "crisis"
    assert escalations[0].signals == ("suicide",)
    # the profile is never asked in a crisis
    state, replies = run([*lines, crisis, "1"], lang=lang, on_duty=on_duty)  # type: ignore[arg-type]
    assert state.step == "crisis" and state.age_band == (
        "13-15"
        if name
        in (
            "gender",
            "region",
            "message",
            "service",
            "callback_slot",
            "callback_language",
            "callback_phone",
            "callback_confirm",
            "callback_change",
            "callback_pending",
            "done",
            "route",
        )
        else None
    )


def test_safety_message_says_honestly_nobody_is_on_duty() -> None:
    _, replies = run(["/start", "I want to die"], on_duty=False)
    assert keys(replies[-1].messages) == [t.SAFETY, t.NOBODY_ON_DUTY_CRISIS]
    _, replies = run(["/start", "I want to die"], on_duty=True)
    assert keys(replies[-1].messages) == [t.SAFETY, t.CALLING_PERSON]


@pytest.mark.parametrize(("name", "lines", "on_duty"), all_paths())
def test_help_now_choice_escalates_from_every_menu(
    name: str, lines: list[str], on_duty: bool
) -> None:
    state, _ = run(lines, on_duty=on_duty)
    if name in ("done", "new"):
        return
    assert "help_now" in [c.id for c in choices_for(state)]
    after, reply = step(state, Event("choice", choice="help_now"), Context(on_duty=on_duty))
    assert after.step == "crisis"
    assert any(isinstance(a, Escalate) and a.reason == "help_now" for a in reply.actions)
    after, reply = step(state, Event("text", text="SOS"), Context(on_duty=on_duty))
    assert after.step == "crisis"


BAD_INPUTS = {
    "empty": ("", t.EMPTY),
    "long": ("a" * 5000, t.TOO_LONG),
    "emoji": ("😢😢😢", None),
    "command": ("/dance", t.UNKNOWN_COMMAND),
    "number": ("77", t.WRONG_NUMBER),
}


@pytest.mark.parametrize("bad", sorted(BAD_INPUTS))
@pytest.mark.parametrize(("name", "lines", "on_duty"), all_paths())
def test_bad_input_keeps_the_step(name: str, lines: list[str], on_duty: bool, bad: str) -> None:
    if name == "new":
        return
    before, _ = run(lines, on_duty=on_duty)
    after, replies = run([*lines, BAD_INPUTS[bad][0]], on_duty=on_duty)
    assert after.step == before.step
    assert (after.caller, after.category, after.age_band) == (
        before.caller,
        before.category,
        before.age_band,
    )
    reply = replies[-1]
    assert 1 <= len(reply.messages) <= 2
    expected = BAD_INPUTS[bad][1]
    free_text_steps = ("message", "crisis", "done", "callback_phone", "callback_pending")
    if expected is not None and not (name in free_text_steps and bad in ("number", "emoji")):
        assert expected in keys(reply.messages)


def test_second_unusable_answer_is_handed_over_not_asked_a_third_time() -> None:
    _, replies = run([*CHILD_PATH["age"], "🙂", "🙂"])
    assert keys(replies[-1].messages) == [t.HANDOFF_NOBODY]
    _, replies = run([*CHILD_PATH["age"], "🙂", "🙂"], on_duty=True)
    assert keys(replies[-1].messages) == [t.HANDOFF]
    assert any(isinstance(a, Escalate) and a.reason == "stuck" for a in replies[-1].actions)


def test_unsupported_content_gets_an_answer_and_keeps_step() -> None:
    state, _ = run(CHILD_PATH["age"])
    after, reply = step(state, Event("unsupported"), Context())
    assert after.step == "age" and keys(reply.messages) == [t.UNSUPPORTED]


def test_old_button_is_refused_kindly() -> None:
    state, _ = run(CHILD_PATH["age"])
    after, reply = step(state, Event("choice", choice="caller:parent"), Context())
    assert after.step == "age" and after.caller == "child"
    assert keys(reply.messages)[0] == t.OLD_BUTTON


def test_commands() -> None:
    state, _ = run(CHILD_PATH["gender"])
    ctx = Context()
    new_state, reply = step(state, Event("command", command="new"), ctx)
    assert new_state.step == "caller" and new_state.caller is None
    forgotten, reply = step(state, Event("command", command="forget"), ctx)
    assert reply.actions == [Forget()] and forgotten.step == "new"
    _, reply = step(state, Event("command", command="stop"), ctx)
    assert reply.actions == [StopMessages()]
    _, reply = step(state, Event("command", command="clear"), ctx)
    assert reply.actions == [ClearChat()]
    same, reply = step(state, Event("command", command="privacy"), ctx)
    assert same.step == "gender" and keys(reply.messages)[0] == t.PRIVACY
    same, reply = step(state, Event("command", command="help"), ctx)
    assert same.step == "gender" and keys(reply.messages)[0] == t.HELP


def test_lang_menu_switches_language_and_resumes_step() -> None:
    state, _ = run(CHILD_PATH["age"], lang="en")
    state, reply = step(state, Event("command", command="lang"), Context())
    assert [c.id for c in reply.choices] == ["lang:kk", "lang:ru", "lang:en", "help_now"]
    state, reply = step(state, Event("text", text="1"), Context())
    assert (state.language, state.step, state.lang_menu) == ("kk", "age", False)
    assert keys(reply.messages) == [t.LANGUAGE_SET, t.ASK_AGE_CHILD]


def test_language_follows_the_text_until_the_user_chooses() -> None:
    state, _ = run(["/start"], lang="en")
    state.language_source = "platform"
    from tests.fakes import FakeClassifier

    short = "менің мектебімде қиын"  # a few words never switch the language
    cls = FakeClassifier().classify(short)
    state, _ = step(state, Event("text", text=short, classification=cls), Context())
    assert state.language == "en"
    text = "менің мектебімде қиын, сыныптастарым мені күнде мазақ етеді"
    cls = FakeClassifier().classify(text)
    state, _ = step(state, Event("text", text=text, classification=cls), Context())
    assert state.language == "kk"


def test_start_parameter_records_source_only_when_safe() -> None:
    state, _ = step(State(), Event("command", command="start", arg="school_42"), Context())
    assert state.source == "school_42"
    state, _ = step(State(), Event("command", command="start", arg="<b>x</b> y"), Context())
    assert state.source is None


def test_numbering_puts_help_now_at_zero() -> None:
    state, _ = run(CHILD_PATH["age"])
    rows = numbered(choices_for(state))
    assert (0, "help_now") in [(n, c.id) for n, c in rows]
    assert [n for n, _ in rows if n] == list(range(1, len(rows)))


def test_state_round_trips_through_dict() -> None:
    state, _ = run(CHILD_PATH["region"])
    assert State.from_dict(state.to_dict()) == state
    assert State.from_dict({**state.to_dict(), "unknown_field": 1}) == state


def test_sos_still_works_after_the_triage_ended() -> None:
    state, _ = run(PARENT_PATH["done"])
    for word in ("SOS", "0", "сос"):
        after, reply = step(state, Event("text", text=word), Context())
        assert after.step == "crisis"
        assert any(isinstance(a, Escalate) and a.reason == "help_now" for a in reply.actions)
