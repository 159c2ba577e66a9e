"""Escalation, claim, relay, close, re-alert and the outbox, against real databases."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.dialogs import Event
from bot.outbox import OutboxSender, RateLimiter
from bot.privacy import Identity
from bot.services.duty import FixedDuty
from bot.services.turns import Inbound, TurnService
from bot.staff import texts as st
from bot.staff.escalation import Escalations, Timeouts
from bot.staff.service import StaffService
from storage import Store
from tests.fakes import FakeClassifier
from tests.staff_fakes import FakeTransport, fake_sender, retry_later

USER = "555000111"
STAFF_A, STAFF_B = 9001, 9002


class NoWaitLimiter(RateLimiter):
    def try_acquire(
        self, key: str, group_message: bool, priority: int = 0, per_chat: bool = True
    ) -> float:
        return 0.0


@pytest.fixture
def staff(store: Store, identity: Identity) -> StaffService:
    return StaffService(store, identity, Timeouts(crisis_s=120, urgent_s=1800))


@pytest.fixture
def transport(identity: Identity) -> FakeTransport:
    return FakeTransport(identity)


@pytest.fixture
def sender(store: Store, transport: FakeTransport) -> OutboxSender:
    return fake_sender(store, transport, NoWaitLimiter(), lease=dt.timedelta(0))


def service(store: Store, identity: Identity, on_duty: bool = False) -> TurnService:
    return TurnService(
        store, FakeClassifier(), identity, FixedDuty(on_duty), escalations=Escalations()
    )


async def say(turns: TurnService, text: str) -> None:
    event = (
        Event("text", text=text)
        if not text.startswith("/")
        else Event("command", command=text[1:])
    )
    await turns.handle(Inbound("telegram", USER, event))


async def crisis_case(store: Store, identity: Identity) -> int:
    turns = service(store, identity)
    await say(turns, "/start")
    await say(turns, "I want to die")
    async with store.transaction() as repos:
        (case,) = await repos.cases.list()
        return case.id


async def test_crisis_card_is_sent_once_with_coordinator_alert(
    store: Store, identity: Identity, sender: OutboxSender, transport: FakeTransport
) -> None:
    case_id = await crisis_case(store, identity)
    assert await sender.run_once() == 2
    assert transport.kinds() == ["card", "coordinator"]
    assert transport.sent[0].case_id == case_id
    assert await sender.run_once() == 0  # nothing is sent twice
    async with store.transaction() as repos:
        case = await repos.cases.get(case_id)
        assert case is not None and case.card_message_id == 1001


async def test_a_leased_row_left_by_a_crash_is_sent_after_restart(
    store: Store, identity: Identity, transport: FakeTransport
) -> None:
    await crisis_case(store, identity)
    async with store.transaction() as repos:  # the sender that "crashed" had leased them
        leased = await repos.outbox.claim_due(repos.now(), dt.timedelta(milliseconds=50))
    assert [r.kind for r in leased] == ["card", "coordinator"]
    restarted = fake_sender(store, transport, NoWaitLimiter())
    assert await restarted.run_once() == 0  # still leased: not taken twice
    await asyncio.sleep(0.06)
    assert await restarted.run_once() == 2
    assert transport.kinds() == ["card", "coordinator"]


async def test_retry_after_and_server_errors_delay_but_keep_order(
    store: Store, identity: Identity, staff: StaffService, transport: FakeTransport
) -> None:
    case_id = await crisis_case(store, identity)
    await staff.claim(case_id, STAFF_A)
    transport.failures = [retry_later(0.01), RuntimeError("500")]
    sender = fake_sender(store, transport, NoWaitLimiter())
    for _ in range(40):
        await sender.run_once()
        async with store.transaction() as repos:
            if await repos.outbox.pending_count() == 0:
                break
            for row in await repos.outbox.list():  # skip the backoff wait in the test
                row.next_attempt_at = repos.now()
        await asyncio.sleep(0.02)
    to_staff = [s.kind for s in transport.sent if s.case_id == case_id and s.target == "staff"]
    assert to_staff == ["card", "card_edit", "topic"]
    assert [s.kind for s in transport.sent if s.target == "user"] == ["to_user"]
    assert sorted(s.row_id for s in transport.sent) == sorted({s.row_id for s in transport.sent})


async def test_claim_is_exclusive_and_release_returns_to_queue(
    store: Store, identity: Identity, staff: StaffService
) -> None:
    case_id = await crisis_case(store, identity)
    assert (await staff.claim(case_id, STAFF_A)).ok
    taken = await staff.claim(case_id, STAFF_B)
    assert taken.key == st.TAKEN
    assert (await staff.release(case_id, STAFF_B)).key == st.NOT_YOURS
    assert (await staff.release(case_id, STAFF_A)).ok
    assert (await staff.claim(case_id, STAFF_B)).ok
    async with store.transaction() as repos:
        case = await repos.cases.get(case_id)
        assert case is not None and case.status == "claimed"
        actions = [(a.action, a.case_id) for a in await repos.audit.list()]
        assert actions == [("claim", case_id), ("release", case_id), ("claim", case_id)]
        actors = {a.actor for a in await repos.audit.list()}
        assert all(len(actor) == 64 and str(STAFF_A) not in actor for actor in actors)


async def test_concurrent_claims_have_one_winner(
    store: Store, identity: Identity, staff: StaffService
) -> None:
    case_id = await crisis_case(store, identity)
    answers = await asyncio.gather(*(staff.claim(case_id, 9100 + i) for i in range(5)))
    assert sum(a.ok for a in answers) == 1


async def test_relay_both_ways_and_close_writes_intake(
    store: Store,
    identity: Identity,
    staff: StaffService,
    sender: OutboxSender,
    transport: FakeTransport,
) -> None:
    case_id = await crisis_case(store, identity)
    turns = service(store, identity)
    assert (await staff.relay_to_user(case_id, STAFF_A, "hello", None)).key == st.CLAIM_FIRST
    await staff.claim(case_id, STAFF_A)
    assert (await staff.relay_to_user(case_id, STAFF_A, "I am here with you", None)).ok
    assert (await staff.relay_to_user(case_id, STAFF_B, "me too", None)).key == st.NOT_YOURS
    await say(turns, "thank you, call me at +77015556677")
    for action, value in [
        ("close", ""),
        ("cat", "abuse"),
        ("catnext", ""),
        ("svc", "psychological"),
        ("out", "consulted"),
        ("prof", "kz"),
        ("prof", "-"),
        ("prof", "large"),
    ]:
        assert (await staff.close_form(case_id, STAFF_A, action, value)).ok
    while await sender.run_once():
        pass
    to_user = [s for s in transport.sent if s.target == "user"]
    assert [s.address for s in to_user] == [USER, USER, USER]
    assert to_user[1].payload["text"] == "I am here with you"
    relayed_in = [s for s in transport.sent if s.kind == "relay_in"]
    assert relayed_in[0].payload["text"] == "thank you, call me at [phone]"
    async with store.transaction() as repos:
        case = await repos.cases.get(case_id)
        assert case is not None
        assert (case.status, case.outcome, case.routing_enc) == ("closed", "consulted", None)
        (intake,) = await repos.intakes.list()
        assert intake.categories == ["psychological", "abuse"]
        assert (intake.service, intake.outcome, intake.citizenship) == (
            "psychological",
            "consulted",
            "kz",
        )
        assert intake.family_status == "large" and intake.living_situation is None
        assert intake.time_to_claim_s is not None and intake.time_to_claim_s >= 0
        for row in await repos.outbox.list():
            if row.target == "user":
                assert row.payload == {}  # address and text gone once delivered
        conv = await repos.conversations.by_id(case.conversation_id or 0)
    assert conv is None or conv.state["step"] == "done"


async def test_unclaimed_crisis_is_realerted_and_coordinator_told(
    store: Store, identity: Identity, staff: StaffService
) -> None:
    case_id = await crisis_case(store, identity)
    now = dt.datetime.now(dt.UTC)
    assert await staff.sweep_due(now) == 0
    assert await staff.sweep_due(now + dt.timedelta(seconds=121)) == 1
    assert await staff.sweep_due(now + dt.timedelta(seconds=130)) == 0
    assert await staff.sweep_due(now + dt.timedelta(seconds=245)) == 1
    async with store.transaction() as repos:
        kinds = [r.kind for r in await repos.outbox.list() if r.case_id == case_id]
    assert kinds.count("realert") == 2
    assert kinds.count("coordinator") == 3  # nobody on duty at arrival, then two re-alerts
    await staff.claim(case_id, STAFF_A)
    assert await staff.sweep_due(now + dt.timedelta(seconds=1000)) == 0


async def test_duty_roster(store: Store, identity: Identity, staff: StaffService) -> None:
    assert not await staff.anyone_on_duty()
    alias = await staff.set_duty(STAFF_A, True)
    assert await staff.on_duty() == [alias]
    assert await staff.anyone_on_duty()
    await staff.set_duty(STAFF_A, False)
    assert await staff.on_duty() == []


async def test_retention_purges_transcripts_and_addresses(
    store: Store, identity: Identity, staff: StaffService
) -> None:
    from bot.jobs import purge_expired

    case_id = await crisis_case(store, identity)
    await staff.claim(case_id, STAFF_A)
    for action, value in [("close", ""), ("catnext", ""), ("svc", "social"), ("out", "referred")]:
        await staff.close_form(case_id, STAFF_A, action, value)
    await staff.close_form(case_id, STAFF_A, "profdone", "")
    async with store.transaction() as repos:
        assert len(await repos.cases.messages(case_id)) == 1
    assert await purge_expired(store, retention_days=7) == 0  # still inside the window
    async with store.transaction() as repos:
        case = await repos.cases.get(case_id)
        assert case is not None
        case.closed_at = repos.now() - dt.timedelta(days=8)
        case.created_at = repos.now() - dt.timedelta(days=8)
    assert await purge_expired(store, retention_days=7) == 1
    async with store.transaction() as repos:
        assert await repos.cases.messages(case_id) == []
        (intake,) = await repos.intakes.list()  # statistics stay
        assert intake.outcome == "referred"


async def test_scheduler_runs_the_sweeps(
    store: Store, identity: Identity, staff: StaffService
) -> None:
    from bot.jobs import Sweeps, default_jobs

    ran = asyncio.Event()

    async def probe() -> None:
        ran.set()

    jobs = default_jobs(store, staff, 7)
    assert set(jobs) == {"realert", "retention"}
    sweeps = Sweeps({**jobs, "probe": (probe, 60.0)})
    sweeps.start()
    try:
        await asyncio.wait_for(ran.wait(), timeout=5)
        assert {job.id for job in sweeps.scheduler.get_jobs()} == {"realert", "retention", "probe"}
    finally:
        await sweeps.stop()
