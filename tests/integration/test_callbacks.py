"""Callback requests end to end below the channels, against SQLite and PostgreSQL: the card
without the number, 'due now' when the slot opens (a moved clock), Take shows the number to the
taker only, Called writes the intake record and erases the number, No answer twice, Reschedule,
Cancel, the audit log, reminders, the coordinator when nobody is on shift, retention."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

import pytest

from bot.dialogs import Event, referrals
from bot.dialogs import callback_texts as ct
from bot.directory import load
from bot.i18n import render
from bot.jobs import purge_expired
from bot.outbox import RateLimiter
from bot.privacy import Identity
from bot.services.callback_desk import CallbackDesk
from bot.services.callbacks import CallbackBook
from bot.services.clock import ManualClock
from bot.services.duty import FixedDuty
from bot.services.turns import Inbound, Outcome, TurnService
from bot.staff import callback_texts as st
from bot.staff.service import StaffService
from storage import Store
from tests.dialog_driver import NOW
from tests.fakes import FakeClassifier
from tests.staff_fakes import FakeTransport, fake_sender

from .test_turns import assert_absent, dump

PARENT = "424242"
PHONE = "+77012345678"
STAFF_A, STAFF_B = 9101, 9102
# parent, family topic, age 13-15, girl, Astana, psychologist, first slot (today 12-15), English
BOOK = ["/start", "2", "1", "5", "1", "1", "1", "1", "1", PHONE, "1"]


class NoWaitLimiter(RateLimiter):
    def try_acquire(
        self, key: str, group_message: bool, priority: int = 0, per_chat: bool = True
    ) -> float:
        return 0.0


class Desk:
    """The pieces a test drives, with one clock for all of them."""

    def __init__(self, store: Store, identity: Identity) -> None:
        self.store = store
        self.clock = ManualClock(NOW)
        self.book = CallbackBook(identity, clock=self.clock)
        self.turns = TurnService(
            store, FakeClassifier(), identity, FixedDuty(False), callbacks=self.book
        )
        self.desk = CallbackDesk(store, identity, self.book, load())
        self.transport = FakeTransport(identity)
        self.sender = fake_sender(store, self.transport, NoWaitLimiter(), lease=dt.timedelta(0))

    async def say(self, line: str, channel: str = "telegram") -> Outcome:
        if line.startswith("/"):
            event = Event("command", command=line[1:])
        else:
            event = Event("text", text=line)
        return await self.turns.handle(Inbound(channel, PARENT, event, platform_language="en"))

    async def book_callback(self) -> int:
        for line in BOOK:
            out = await self.say(line)
        assert out.state.step == "callback_pending"
        async with self.store.transaction() as repos:
            (cb,) = await repos.callbacks.list()
            return cb.id

    async def flush(self) -> list[Any]:
        before = len(self.transport.sent)
        while await self.sender.run_once():
            pass
        return self.transport.sent[before:]

    async def raw_callback(self, cb_id: int) -> dict[str, Any]:
        (row,) = [r for r in (await dump(self.store))["callbacks"] if r["id"] == cb_id]
        return row


@pytest.fixture
def d(store: Store, identity: Identity) -> Desk:
    return Desk(store, identity)


async def test_card_at_once_without_the_number_then_due_now_with_the_coordinator(
    d: Desk, identity: Identity
) -> None:
    cb_id = await d.book_callback()
    sent = await d.flush()
    assert [s.kind for s in sent] == ["cb_card"]
    row = await d.raw_callback(cb_id)
    assert row["status"] == "pending" and row["slot"] == "20261201-12-15"
    assert identity.decrypt(row["phone_enc"]) == PHONE
    assert_absent(await dump(d.store), PHONE, "7012345678")  # encrypted; no copy anywhere

    assert await d.desk.sweep() == 0  # 10:00: nothing due, the reminder comes at 11:30
    d.clock.advance(minutes=95)
    assert await d.desk.sweep() == 1
    (reminder,) = await d.flush()
    assert reminder.kind == "to_user" and reminder.address == PARENT
    assert reminder.payload["msgs"][0]["k"] == ct.REMINDER

    d.clock.advance(minutes=25)  # 12:00 in Almaty: the slot opens, nobody is on shift
    assert await d.desk.sweep() == 1
    assert sorted(s.kind for s in await d.flush()) == ["cb_coord", "cb_due"]
    assert await d.desk.sweep() == 0  # announced once
    assert [cb.id for cb in await d.desk.today_and_overdue()] == [cb_id]


async def test_take_shows_the_number_to_the_taker_only_and_called_erases_it(d: Desk) -> None:
    cb_id = await d.book_callback()
    taken = await d.desk.take(cb_id, STAFF_A)
    assert taken.ok and taken.phone == PHONE
    other = await d.desk.take(cb_id, STAFF_B)
    assert other.key == st.CB_TAKEN and other.phone is None
    assert (await d.desk.called(cb_id, STAFF_B)).key == st.CB_TAKEN
    again = await d.desk.take(cb_id, STAFF_A)  # Show number, while it is theirs
    assert again.phone == PHONE

    assert (await d.desk.called(cb_id, STAFF_A)).ok
    row = await d.raw_callback(cb_id)
    assert (row["status"], row["phone_enc"], row["routing_enc"]) == ("done", None, None)
    tables = await dump(d.store)
    (intake,) = tables["intake_records"]
    assert (intake["service"], intake["outcome"]) == ("psychological", "consulted")
    assert [(a["action"], a["callback_id"]) for a in tables["audit_log"]] == [
        ("cb_take", cb_id),
        ("cb_called", cb_id),
    ]
    assert (await d.desk.take(cb_id, STAFF_A)).key == st.CB_NOT_OPEN
    state = (await dump(d.store))["conversations"][0]["state"]
    state = json.loads(state) if isinstance(state, str) else state
    assert state["callback_pending"] is False and state["step"] == "done"


async def test_no_answer_twice_asks_the_parent_for_a_new_slot(d: Desk) -> None:
    cb_id = await d.book_callback()
    await d.desk.take(cb_id, STAFF_A)
    assert (await d.desk.no_answer(cb_id, STAFF_A)).ok
    assert (await d.raw_callback(cb_id))["status"] == "taken"
    await d.flush()
    assert (await d.desk.no_answer(cb_id, STAFF_A)).ok
    row = await d.raw_callback(cb_id)
    assert (row["status"], row["no_answers"], row["taken_by"]) == ("waiting", 2, None)
    (told,) = [s for s in await d.flush() if s.kind == "to_user"]
    assert told.payload["msgs"][0]["k"] == ct.NO_ANSWER_TWICE
    assert told.payload["choices"][0]["id"].startswith("slot:")
    # the parent answers on the same channel: a new slot, the read-back, confirm
    out = await d.say("4")
    assert out.state.step == "callback_confirm"
    out = await d.say("1")
    assert out.state.step == "callback_pending"
    row = await d.raw_callback(cb_id)
    assert (row["status"], row["no_answers"], row["slot"]) == ("pending", 0, "20261202-09-12")
    kinds = [s.kind for s in await d.flush()]
    assert "cb_edit" in kinds and "cb_note" in kinds
    actions = [a["action"] for a in (await dump(d.store))["audit_log"]]
    assert actions == ["cb_take", "cb_no_answer", "cb_no_answer"]


async def test_reschedule_tells_the_parent_and_refuses_a_past_slot(d: Desk) -> None:
    cb_id = await d.book_callback()
    await d.flush()
    options = await d.desk.reschedule_options(cb_id, STAFF_A)
    assert options.ok and "20261202-15-18" in options.offered
    assert (await d.desk.reschedule(cb_id, STAFF_A, "20261201-09-12")).key == st.CB_SLOT_GONE
    assert (await d.desk.reschedule(cb_id, STAFF_A, "20261202-15-18")).ok
    row = await d.raw_callback(cb_id)
    assert row["slot"] == "20261202-15-18" and row["due_announced"] in (False, 0)
    told = [s for s in await d.flush() if s.kind == "to_user"]
    assert told[0].payload["msgs"][0]["k"] == ct.MOVED
    assert [a["action"] for a in (await dump(d.store))["audit_log"]] == ["cb_reschedule"]


async def test_staff_cancel_tells_the_parent_and_erases_the_number(d: Desk) -> None:
    cb_id = await d.book_callback()
    await d.desk.take(cb_id, STAFF_A)
    assert (await d.desk.cancel(cb_id, STAFF_B)).key == st.CB_TAKEN  # only the taker
    assert (await d.desk.cancel(cb_id, STAFF_A)).ok
    row = await d.raw_callback(cb_id)
    assert (row["status"], row["phone_enc"], row["routing_enc"]) == ("cancelled", None, None)
    told = [s for s in await d.flush() if s.kind == "to_user"]
    assert told[0].payload["msgs"][0]["k"] == ct.CANCELLED_BY_STAFF
    assert told[0].address == PARENT  # the queued notice carried its own copy
    tables = await dump(d.store)
    assert [a["action"] for a in tables["audit_log"]] == ["cb_take", "cb_cancel"]
    assert tables["intake_records"][0]["outcome"] == "no_contact"
    assert_absent(tables, PHONE, "7012345678")


async def test_parent_cancel_change_and_follow_up_reach_the_staff(d: Desk) -> None:
    cb_id = await d.book_callback()
    await d.flush()
    await d.say("can it be tomorrow instead? call 8 777 123 45 67")
    (note,) = await d.flush()
    assert note.kind == "cb_note" and note.payload["text"].startswith("can it be tomorrow")
    assert "777" not in note.payload["text"]  # masked like every text that reaches staff
    await d.say("/cancel")
    row = await d.raw_callback(cb_id)
    assert (row["status"], row["phone_enc"], row["routing_enc"]) == ("cancelled", None, None)
    sent = await d.flush()
    assert [s.kind for s in sent] == ["cb_edit", "cb_note"]
    assert sent[1].payload == {"key": "cancelled"}


async def test_forget_withdraws_the_request(d: Desk) -> None:
    cb_id = await d.book_callback()
    await d.say("/forget")
    row = await d.raw_callback(cb_id)
    assert (row["status"], row["phone_enc"], row["conversation_id"]) == ("cancelled", None, None)
    assert (await d.desk.take(cb_id, STAFF_A)).key == st.CB_NOT_OPEN


async def test_the_number_is_erased_at_the_retention_deadline(d: Desk, store: Store) -> None:
    cb_id = await d.book_callback()
    async with store.transaction() as repos:
        cb = await repos.callbacks.get(cb_id)
        assert cb is not None
        cb.created_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=8)
    await purge_expired(store, retention_days=7)
    row = await d.raw_callback(cb_id)
    assert row["phone_enc"] is None and row["routing_enc"] is None


async def test_console_requests_reach_the_same_outbox(d: Desk) -> None:
    for line in BOOK:
        out = await d.say(line, channel="console")
    assert ct.REMINDER_PROMISE not in [m.key for m in out.reply.messages]  # no later messages
    assert [s.kind for s in await d.flush()] == ["cb_card"]


async def test_refer_sends_a_directory_entry_to_a_claimed_case_in_its_language(
    d: Desk, store: Store, identity: Identity
) -> None:
    kid = Inbound("telegram", "565656", Event("text", text="I want to die"), "en")
    await d.turns.handle(replace(kid, event=Event("command", command="start")))
    await d.turns.handle(kid)
    async with store.transaction() as repos:
        (case,) = await repos.cases.list()
    found, entries = await d.desk.referrals_for(case.id)
    assert found.ok and "trust_line_150" in [e.id for e in entries]
    entry = d.desk.directory.get("trust_line_150")
    assert entry is not None
    refused = await d.desk.refer(case.id, STAFF_A, entry, "x")
    assert refused.key == "not_yours"  # claim first, as for any message to the person
    staff = StaffService(store, identity)
    assert (await staff.claim(case.id, STAFF_A)).ok
    text = render(referrals.entry_msg(entry, case.language), case.language)
    assert (await d.desk.refer(case.id, STAFF_A, entry, text)).ok
    sent = [s for s in await d.flush() if s.kind == "to_user" and s.payload.get("text")]
    assert sent[-1].payload["text"] == (
        "Children's trust line: 150, day and night. Free, anonymous help with any problem."
    )
    assert sent[-1].address == "565656"
    assert [a["action"] for a in (await dump(store))["audit_log"]][-1] == "refer"
