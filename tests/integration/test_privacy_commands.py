"""/stop, /clear, /new and /forget against a case in progress, and the staff side taking the
person's lock (issue 8, defects 6, 8, 9, 10 and 13), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from bot.app import build_app
from bot.config import Settings
from bot.dialogs import Event
from bot.dialogs import texts as t
from bot.outbox import OutboxSender
from bot.privacy import Identity
from bot.services.duty import FixedDuty
from bot.services.turns import Inbound, Outcome, TurnService
from bot.staff import cards
from bot.staff import texts as st
from bot.staff.escalation import Escalations, Timeouts
from bot.staff.service import StaffService
from storage import Store
from tests.fakes import FakeClassifier
from tests.staff_fakes import FakeTransport, fake_sender

from .test_staff_side import NoWaitLimiter

USER, STAFF = "555000222", 9101


@pytest.fixture
def turns(store: Store, identity: Identity) -> TurnService:
    return TurnService(
        store, FakeClassifier(), identity, FixedDuty(True), escalations=Escalations()
    )


@pytest.fixture
def staff(store: Store, identity: Identity, turns: TurnService) -> StaffService:
    return StaffService(store, identity, Timeouts(), turns.locks)


@pytest.fixture
def transport(identity: Identity) -> FakeTransport:
    return FakeTransport(identity)


@pytest.fixture
def sender(store: Store, transport: FakeTransport) -> OutboxSender:
    return fake_sender(store, transport, NoWaitLimiter(), lease=dt.timedelta(0))


async def say(turns: TurnService, text: str, user: str = USER) -> Outcome:
    if text.startswith("/"):
        name, _, arg = text[1:].partition(" ")
        event = Event("command", command=name, arg=arg)
    else:
        event = Event("text", text=text)
    return await turns.handle(Inbound("telegram", user, event))


async def claimed_case(turns: TurnService, staff: StaffService, sender: OutboxSender) -> int:
    await say(turns, "/start")
    await say(turns, "I want to die")
    async with turns.store.transaction() as repos:
        (case,) = await repos.cases.list()
    assert (await staff.claim(case.id, STAFF)).ok
    await drain(sender)
    return case.id


async def drain(sender: OutboxSender) -> None:
    for _ in range(10):
        if await sender.run_once() == 0:
            return


def to_user(transport: FakeTransport) -> list[str]:
    return [s.payload.get("text", "") for s in transport.sent if s.target == "user"]


# --- defect 6: /stop is kept ---------------------------------------------------------------


async def test_stop_is_kept_until_the_person_writes_again(
    turns: TurnService, staff: StaffService, sender: OutboxSender, transport: FakeTransport
) -> None:
    case_id = await claimed_case(turns, staff, sender)
    assert (await staff.relay_to_user(case_id, STAFF, "queued before stop", None)).ok
    await say(turns, "/stop")
    refused = await staff.relay_to_user(case_id, STAFF, "after stop", None)
    assert refused.key == st.PERSON_QUIET
    await drain(sender)
    assert "queued before stop" not in to_user(transport)
    assert "after stop" not in to_user(transport)

    await say(turns, "thank you")  # writing again lifts /stop
    assert (await staff.relay_to_user(case_id, STAFF, "welcome back", None)).ok
    await drain(sender)
    assert "welcome back" in to_user(transport)


async def test_stop_also_silences_the_close_notice(
    turns: TurnService, staff: StaffService, sender: OutboxSender, transport: FakeTransport
) -> None:
    case_id = await claimed_case(turns, staff, sender)
    before = len(transport.sent)
    await say(turns, "/stop")
    await staff.close_form(case_id, STAFF, "close", "")
    await staff.close_form(case_id, STAFF, "catnext", "")
    await staff.close_form(case_id, STAFF, "svc", "psychological")
    await staff.close_form(case_id, STAFF, "out", "consulted")
    await staff.close_form(case_id, STAFF, "profdone", "")
    await drain(sender)
    assert [s for s in transport.sent[before:] if s.target == "user"] == []


# --- defect 9: /clear -----------------------------------------------------------------------


async def test_after_clear_start_looks_like_a_first_visit_and_staff_stay_silent(
    turns: TurnService, staff: StaffService, sender: OutboxSender, transport: FakeTransport
) -> None:
    first_visit = await say(turns, "/start", user="555000999")  # a phone never used before
    case_id = await claimed_case(turns, staff, sender)
    assert (await staff.relay_to_user(case_id, STAFF, "queued before clear", None)).ok
    await say(turns, "/clear")
    shown = await say(turns, "/start")
    assert shown.reply.messages == first_visit.reply.messages
    assert [c.id for c in shown.reply.choices] == [c.id for c in first_visit.reply.choices]
    assert t.WELCOME_BACK not in [m.key for m in shown.reply.messages]
    refused = await staff.relay_to_user(case_id, STAFF, "are you there?", None)
    assert refused.key == st.PERSON_QUIET
    await drain(sender)
    assert not {"queued before clear", "are you there?"} & set(to_user(transport))

    await say(turns, "I am back, it is safe now")  # the child writes again: the case goes on
    async with turns.store.transaction() as repos:
        texts = [m.text_masked for m in await repos.cases.messages(case_id)]
    assert "I am back, it is safe now" in texts
    assert (await staff.relay_to_user(case_id, STAFF, "good to hear", None)).ok
    await drain(sender)
    assert "good to hear" in to_user(transport)


async def test_after_clear_without_a_case_start_is_a_real_first_visit(
    turns: TurnService,
) -> None:
    first_visit = await say(turns, "/start", user="555000998")
    await say(turns, "/start")
    await say(turns, "1")
    await say(turns, "/clear")
    shown = await say(turns, "/start")
    assert shown.reply.messages == first_visit.reply.messages
    assert shown.state.step == "caller" and shown.state.caller is None


# --- defect 10: /new inside a claimed case ----------------------------------------------------


async def test_new_inside_a_claimed_case_keeps_the_person_connected(
    turns: TurnService, staff: StaffService, sender: OutboxSender, transport: FakeTransport
) -> None:
    case_id = await claimed_case(turns, staff, sender)
    outcome = await say(turns, "/new")
    assert t.NEW_IN_CASE_CHILD in [m.key for m in outcome.reply.messages] or (
        t.NEW_IN_CASE_ADULT in [m.key for m in outcome.reply.messages]
    )
    await say(turns, "my mum is home now")
    await drain(sender)
    relayed = [s.payload.get("text") for s in transport.sent if s.kind == "relay_in"]
    assert "my mum is home now" in relayed
    assert all(s.case_id == case_id for s in transport.sent if s.kind == "relay_in")


# --- defect 8: /forget ----------------------------------------------------------------------


async def test_forget_drops_queued_replies_and_redraws_the_card_without_text(
    turns: TurnService, staff: StaffService, sender: OutboxSender, transport: FakeTransport
) -> None:
    case_id = await claimed_case(turns, staff, sender)
    await say(turns, "my stepdad hits me, I want to die")
    assert (await staff.relay_to_user(case_id, STAFF, "queued before forget", None)).ok
    await say(turns, "/forget")
    async with turns.store.transaction() as repos:
        pending = [r for r in await repos.outbox.list() if r.status == "pending"]
        case = await repos.cases.get(case_id)
        assert case is not None
        view = cards.card(case, await repos.cases.messages(case_id), "en", repos.now())
    assert [r.kind for r in pending] == ["card_edit"]  # no reply to the person is left
    assert "stepdad" not in view.text and "die" not in view.text
    assert view.rows == []  # no Claim / Release / Close on a forgotten case
    await drain(sender)
    assert "queued before forget" not in to_user(transport)
    assert transport.kinds()[-1] == "card_edit"


def file_bytes(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""


async def test_forget_leaves_no_text_in_the_sqlite_files(
    tmp_path: Path, identity: Identity
) -> None:
    db = tmp_path / "forget.db"
    store = Store(f"sqlite+aiosqlite:///{db}")
    await store.create_schema()
    turns = TurnService(store, FakeClassifier(), identity, FixedDuty(False))
    try:
        await say(turns, "/start")
        await say(turns, "I want to die QUOKKAZEBRA under the bridge")
        wal = Path(f"{db}-wal")
        assert b"QUOKKAZEBRA" in file_bytes(wal) + file_bytes(db)
        await say(turns, "/forget")
        assert b"QUOKKAZEBRA" not in file_bytes(db)
        assert file_bytes(wal) == b""  # checkpointed and truncated
    finally:
        await store.close()


# --- defect 13: staff actions take the person's lock ------------------------------------------


async def test_claim_waits_for_a_turn_in_progress(
    turns: TurnService, staff: StaffService, identity: Identity
) -> None:
    await say(turns, "/start")
    await say(turns, "I want to die")
    async with turns.store.transaction() as repos:
        (case,) = await repos.cases.list()
    pseudonym = identity.pseudonym("telegram", USER)
    async with turns.locks.hold(pseudonym):  # a turn of this person is running
        claim = asyncio.create_task(staff.claim(case.id, STAFF))
        await asyncio.sleep(0.3)
        assert not claim.done()  # it steps the person's dialog: it waits for the turn
    assert (await asyncio.wait_for(claim, 10)).ok


async def test_the_app_shares_one_lock_between_turns_and_staff(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/app.db", secret_key="k" * 32)
    app = await build_app(settings, FakeClassifier(), FixedDuty(False))
    try:
        assert app.staff.conversation_locks is app.turns.locks
    finally:
        await app.close()
