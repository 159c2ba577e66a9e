"""The callback steps of the dialog (issue 10, acceptance 3): every answer is clear."""

from __future__ import annotations

import datetime as dt

from bot.dialogs import Context, Event, State, choices_for, step
from bot.dialogs import callback_texts as ct
from bot.dialogs import texts as t
from bot.dialogs.callback import mask_number
from bot.dialogs.model import (
    CallbackNote,
    CancelCallback,
    ConfirmCallback,
    Msg,
    RecordIntake,
    StoreCallbackPhone,
)
from bot.dialogs.prompts import HELP_NOW
from tests.dialog_driver import NOW, PARENT_PATH, run


def keys(messages: list[Msg]) -> list[str]:
    return [m.key for m in messages]


def ids(state: State) -> list[str]:
    return [c.id for c in choices_for(state)]


def press(state: State, choice: str, now: dt.datetime = NOW, channel: str = "telegram") -> tuple:
    return step(state, Event("choice", choice=choice), Context(channel=channel, now=now))


def test_slots_are_the_next_open_blocks_in_helpline_time() -> None:
    state, replies = run(PARENT_PATH["callback_slot"])
    # 10:00 on Tuesday 1 December in Almaty: today's 09-12 has started, so it is not offered
    assert state.offered_slots[:4] == [
        "20261201-12-15",
        "20261201-15-18",
        "20261201-18-21",
        "20261202-09-12",
    ]
    assert ids(state)[-1] == HELP_NOW
    labels = [c.label for c in replies[-1].choices]
    assert labels[0].key == "today, {start}–{end}" and labels[3].key == "tomorrow, {start}–{end}"


def test_full_request_is_read_back_then_confirmed() -> None:
    state, replies = run(PARENT_PATH["callback_confirm"])
    assert replies[-1].actions == [StoreCallbackPhone("+77012345678")]
    (readback,) = replies[-1].messages
    assert readback.key == ct.READBACK
    assert dict(readback.args)["number"] == "+7 701 *** ** 78"
    assert ids(state)[:3] == ["cb:confirm", "cb:change", "cb:cancel"]
    state, reply = press(state, "cb:confirm")
    assert reply.actions == [
        RecordIntake("callback_scheduled"),
        ConfirmCallback("20261201-12-15", "en", "psychological"),
    ]
    assert state.step == "callback_pending" and state.callback_pending
    assert ct.REMINDER_PROMISE in keys(reply.messages)


def test_the_number_never_stays_in_the_state() -> None:
    state, _ = run(PARENT_PATH["callback_pending"])
    assert "7012345678" not in repr(state.to_dict())
    assert mask_number("+77012345678") == "+7 701 *** ** 78"


def test_invalid_numbers_get_a_clear_answer_then_a_person() -> None:
    state, replies = run([*PARENT_PATH["callback_phone"], "12345"])
    assert state.step == "callback_phone" and keys(replies[-1].messages) == [t.BAD_PHONE]
    state, replies = run([*PARENT_PATH["callback_phone"], "+7 999", "call me maybe"])
    assert keys(replies[-1].messages) == [t.HANDOFF_NOBODY]  # not asked a third time
    assert not any(isinstance(a, StoreCallbackPhone) for r in replies for a in r.actions)


def test_a_slot_that_has_started_is_refused_and_fresh_ones_offered() -> None:
    state, _ = run(PARENT_PATH["callback_slot"])
    later = NOW + dt.timedelta(hours=3)  # 13:00: the 12-15 slot offered at 10:00 has begun
    state, reply = press(state, "slot:20261201-12-15", later)
    assert keys(reply.messages) == [ct.SLOT_PAST, ct.ASK_SLOT]
    assert state.step == "callback_slot" and "20261201-12-15" not in state.offered_slots


def test_confirming_after_the_slot_began_asks_for_a_new_time() -> None:
    state, _ = run(PARENT_PATH["callback_confirm"])
    state, reply = press(state, "cb:confirm", NOW + dt.timedelta(hours=2, minutes=1))
    assert keys(reply.messages) == [ct.SLOT_PAST, ct.ASK_SLOT] and reply.actions == []
    state, reply = press(state, ids(state)[0], NOW + dt.timedelta(hours=2, minutes=1))
    assert state.step == "callback_confirm"  # only the time changed: back to the read-back


def test_change_one_detail_returns_to_the_read_back() -> None:
    state, _ = run(PARENT_PATH["callback_change"])
    assert ids(state)[:4] == ["change:time", "change:language", "change:number", "back"]
    state, _ = press(state, "change:language")
    state, reply = press(state, "calllang:kk")
    assert state.step == "callback_confirm" and state.callback_language == "kk"
    assert keys(reply.messages) == [ct.READBACK]
    state, _ = press(state, "cb:change")
    state, _ = press(state, "change:number")
    state, reply = step(state, Event("text", text="+7 702 111 22 33"), Context(now=NOW))
    assert reply.actions == [StoreCallbackPhone("+77021112233")]
    assert state.step == "callback_confirm" and state.phone_masked == "+7 702 *** ** 33"


def test_cancel_at_the_read_back_and_by_command() -> None:
    state, _ = run(PARENT_PATH["callback_confirm"])
    after, reply = press(state, "cb:cancel")
    assert reply.actions == [CancelCallback()] and keys(reply.messages) == [ct.CANCELLED]
    assert after.step == "done" and after.phone_masked is None
    state, replies = run([*PARENT_PATH["callback_pending"], "/cancel"])
    assert replies[-1].actions == [CancelCallback()] and not state.callback_pending
    _, replies = run(["/start", "/cancel"])
    assert keys(replies[-1].messages)[0] == ct.NOTHING_TO_CANCEL


def test_a_second_request_while_one_is_pending_is_not_taken() -> None:
    lines = [*PARENT_PATH["callback_pending"], "/new", "2", "1", "5", "1", "1", "1"]
    state, replies = run(lines)
    assert ct.ALREADY_PENDING in keys(replies[-1].messages)
    assert state.step == "callback_pending"
    assert not any(isinstance(a, StoreCallbackPhone) for a in replies[-1].actions)


def test_a_follow_up_message_goes_to_the_staff() -> None:
    _, replies = run([*PARENT_PATH["callback_pending"], "can it be tomorrow instead?"])
    assert replies[-1].actions == [CallbackNote("can it be tomorrow instead?")]
    assert keys(replies[-1].messages) == [ct.NOTE_PASSED]
    assert t.AFTER_DONE not in keys(replies[-1].messages)


def test_no_answer_twice_offers_the_parent_another_slot() -> None:
    state, _ = run(PARENT_PATH["callback_pending"])
    event = Event("system", command="callback_no_answer")
    state, reply = step(state, event, Context(now=NOW + dt.timedelta(hours=3)))
    assert keys(reply.messages) == [ct.NO_ANSWER_TWICE]
    assert next(c.id for c in reply.choices) == "slot:20261201-15-18"
    state, reply = press(state, "slot:20261202-09-12", NOW + dt.timedelta(hours=3))
    assert state.step == "callback_confirm"  # the number is kept: straight to the read-back


def test_staff_moves_and_cancels_are_told_to_the_parent() -> None:
    state, _ = run(PARENT_PATH["callback_pending"])
    moved, reply = step(
        state, Event("system", command="callback_moved", arg="20261203-15-18"), Context(now=NOW)
    )
    assert keys(reply.messages) == [ct.MOVED] and moved.callback_slot == "20261203-15-18"
    gone, reply = step(state, Event("system", command="callback_cancelled"), Context(now=NOW))
    assert keys(reply.messages) == [ct.CANCELLED_BY_STAFF] and not gone.callback_pending


def test_sms_offers_the_senders_own_number() -> None:
    state, _ = run(PARENT_PATH["callback_language"])
    ctx = Context(channel="sms", now=NOW, sender_phone_masked="+7 701 *** ** 78")
    state, reply = step(state, Event("choice", choice="calllang:ru"), ctx)
    assert next(c.id for c in reply.choices) == "phone:sender"
    state, reply = step(state, Event("choice", choice="phone:sender"), ctx)
    assert reply.actions == [StoreCallbackPhone("")] and state.phone_masked == "+7 701 *** ** 78"
