"""Defects 4 and 5 of issue 8, the mechanism: what the outbox sends first, and that a
paused destination never holds the worker (a fake clock; nothing sleeps)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from bot.channels.delivery import Delivered
from bot.dialogs import Event
from bot.outbox import OutboxSender, RateLimiter, RetryLater
from bot.privacy import Identity
from bot.services.duty import FixedDuty
from bot.services.turns import Inbound, TurnService
from bot.staff.service import StaffService
from storage import Store
from storage.models_staff import OutboxMessage
from tests.fakes import FakeClassifier
from tests.staff_fakes import FakeTransport

COUNSELLOR = 9300


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class PausingTransport(FakeTransport):
    """The staff group answers 429 retry_after=20 to its first message."""

    refused: list[int] = field(default_factory=list)

    async def send(self, row: OutboxMessage, prepared: dict[str, object]) -> Delivered:
        if not self.refused:
            self.refused.append(row.id)
            raise RetryLater(20.0)
        return await super().send(row, prepared)


def turns(store: Store, identity: Identity) -> TurnService:
    return TurnService(
        store,
        FakeClassifier(),
        identity,
        FixedDuty(True),
        outbox_channels=frozenset({"telegram"}),
    )


async def write(service: TurnService, who: str, *texts: str) -> None:
    await service.handle(Inbound("telegram", who, Event("start")))
    for text in texts:
        await service.handle(Inbound("telegram", who, Event("text", text=text)))


def card_case(sent: list[object]) -> list[int | None]:
    return [s.case_id for s in sent if s.kind == "card"]  # type: ignore[attr-defined]


async def real_case_id(store: Store, identity: Identity, who: str) -> int:
    async with store.transaction() as repos:
        conv = await repos.conversations.get(identity.pseudonym("telegram", who))
        assert conv is not None
        case = await repos.cases.open_for(conv.id)
        assert case is not None
        return case.id


async def test_a_429_pauses_only_its_destination_and_never_sleeps_the_worker(
    store: Store, identity: Identity
) -> None:
    service = turns(store, identity)
    await write(service, "100", "I want to die")  # a card for the staff group
    await write(service, "200")  # a reply for another person
    fake = PausingTransport(identity)
    sender = OutboxSender(
        store, fake, RateLimiter(), channels={"telegram": fake}, identity=identity
    )
    started = time.monotonic()
    while await sender.run_once():
        pass
    assert time.monotonic() - started < 5  # the old send guard slept up to 5 x 20 s here
    assert fake.refused  # the staff group said "retry after 20 s"
    assert {s.address for s in fake.sent if s.target == "user"} == {"100", "200"}
    async with store.transaction() as repos:
        pending = [r for r in await repos.outbox.list() if r.status == "pending"]
    assert [r.kind for r in pending if r.target == "staff"][:1] == ["card"]  # waits its turn
    assert all(r.target != "user" for r in pending)


async def test_a_real_crisis_card_goes_before_forty_prank_sos_cards(
    store: Store, identity: Identity
) -> None:
    service = turns(store, identity)
    for n in range(40):
        await write(service, f"9{n:03d}", "SOS")
    await write(service, "777", "I want to die")
    real = await real_case_id(store, identity, "777")
    fake = FakeTransport(identity)
    clock = Clock()
    sender = OutboxSender(
        store, fake, RateLimiter(clock=clock), channels={"telegram": fake}, identity=identity
    )
    await sender.run_once()
    assert card_case(fake.sent)[0] == real  # queued last, sent first


async def test_prank_cards_leave_room_in_the_group_budget_for_a_real_crisis(
    store: Store, identity: Identity
) -> None:
    """20 new messages a minute per group: a flood of lower-priority cards may use 15 of
    them, so a real crisis arriving after the flood still finds a slot at once."""
    service = turns(store, identity)
    for n in range(40):
        await write(service, f"8{n:03d}", "SOS")
    fake = FakeTransport(identity)
    clock = Clock()
    sender = OutboxSender(
        store, fake, RateLimiter(clock=clock), channels={"telegram": fake}, identity=identity
    )
    for _ in range(30):  # 30 seconds of sending
        await sender.run_once()
        clock.now += 1.0
    assert len(card_case(fake.sent)) == 15  # the flood got its share of the minute, no more
    await write(service, "778", "I want to die")
    real = await real_case_id(store, identity, "778")
    await sender.run_once()
    assert card_case(fake.sent)[-1] == real  # at once, not after the next 25 prank cards


async def test_one_noisy_case_does_not_starve_another_cases_relays(
    store: Store, identity: Identity
) -> None:
    service = turns(store, identity)
    staff = StaffService(store, identity)
    await write(service, "501", "I want to die")
    await write(service, "502", "I want to die")
    noisy = await real_case_id(store, identity, "501")
    quiet = await real_case_id(store, identity, "502")
    fake = FakeTransport(identity)
    clock = Clock()
    sender = OutboxSender(
        store, fake, RateLimiter(clock=clock), channels={"telegram": fake}, identity=identity
    )
    for case in (noisy, quiet):
        assert (await staff.claim(case, COUNSELLOR)).ok
    for _ in range(10):
        await sender.run_once()
        clock.now += 1.0
    for n in range(30):  # a claimed case sending 30 crisis messages in a row
        await service.handle(Inbound("telegram", "501", Event("text", text=f"die {n}")))
    await service.handle(Inbound("telegram", "502", Event("text", text="are you there, die")))
    before = len(fake.sent)
    for _ in range(4):  # four seconds: one message a second to the staff group
        await sender.run_once()
        clock.now += 1.0
    relays = [s.case_id for s in fake.sent[before:] if s.kind == "relay_in"]
    assert quiet in relays  # within seconds, not after the noisy case's 30
