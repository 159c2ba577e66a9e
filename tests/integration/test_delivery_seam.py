"""The channel delivery seam: the outbox picks the channel per row, and every channel
(the console too) delivers what the staff send."""

from __future__ import annotations

import io
from dataclasses import dataclass, field, fields

from bot.channels.console import ConsoleDelivery
from bot.channels.delivery import Delivered, OptedOut, Outbound
from bot.dialogs import Event
from bot.dialogs.model import Choice, Msg
from bot.outbox import OutboxSender
from bot.privacy import Identity
from bot.services.duty import FixedDuty
from bot.services.turns import Inbound, TurnService
from bot.staff.service import StaffService
from storage import Store
from tests.fakes import FakeClassifier
from tests.staff_fakes import FakeTransport, NoWaitLimiter

STAFF = 9100


@dataclass
class RefusingDelivery:
    """A channel whose person has opted out (Twilio 21610, Telegram 403)."""

    name: str = "sms"
    calls: list[str] = field(default_factory=list)

    async def deliver(self, address: str, message: Outbound) -> Delivered:
        self.calls.append(address)
        raise OptedOut("stop")


async def open_claimed_case(store: Store, identity: Identity, channel: str, address: str) -> int:
    turns = TurnService(store, FakeClassifier(), identity, FixedDuty(True))
    await turns.handle(Inbound(channel, address, Event("start")))
    await turns.handle(Inbound(channel, address, Event("text", text="I want to die")))
    async with store.transaction() as repos:
        case = (await repos.cases.list())[-1]
    assert (await StaffService(store, identity).claim(case.id, STAFF)).ok
    return case.id


def test_the_payload_knows_every_field_of_a_message() -> None:
    """A field added to Msg must be carried through the outbox too (the child's register
    was lost once: a child read the adult form)."""
    assert {f.name for f in fields(Msg)} == {"key", "args", "plural", "n", "literal", "context"}


async def test_outbound_payload_round_trip_keeps_arguments_and_choices() -> None:
    inner = Msg.of("Nested {x}", x=3)
    message = Outbound(
        "kk",
        (
            Msg.of("Hello {name}", name=inner),
            Msg("lit", literal=True),
            Msg("Where do you live?", context="child"),
            Msg("{n} day", plural="{n} days", n=2),
        ),
        (Choice("caller:child", Msg("A child")),),
        text=None,
        copy_of=None,
    )
    assert Outbound.from_payload(message.to_payload()) == message
    relay = Outbound("ru", text="я рядом", copy_of=None)
    assert Outbound.from_payload(relay.to_payload()) == relay


async def test_console_user_gets_the_staff_notice_in_their_terminal(
    store: Store, identity: Identity
) -> None:
    """Before the seam, rows for console users were marked undeliverable."""
    case_id = await open_claimed_case(store, identity, "console", "local")
    await StaffService(store, identity).relay_to_user(case_id, STAFF, "I am here with you", None)
    out = io.StringIO()
    sender = OutboxSender(
        store,
        None,
        NoWaitLimiter(),
        channels={"console": ConsoleDelivery(out, "local")},
        identity=identity,
    )
    while await sender.run_once():
        pass
    printed = out.getvalue()
    assert "bot> I am here with you" in printed
    assert printed.count("bot> ") == 2  # "a counsellor joined", then the relay
    async with store.transaction() as repos:
        to_user = [r for r in await repos.outbox.list() if r.target == "user"]
    assert [r.status for r in to_user] == ["sent", "sent"]
    assert all(r.payload == {} for r in to_user)  # address and text gone once delivered


async def test_each_row_goes_to_its_own_channel_and_a_sender_takes_only_what_it_can(
    store: Store, identity: Identity
) -> None:
    await open_claimed_case(store, identity, "console", "local")
    await open_claimed_case(store, identity, "telegram", "4242")
    out = io.StringIO()
    console_only = OutboxSender(
        store,
        None,
        NoWaitLimiter(),
        channels={"console": ConsoleDelivery(out, "local")},
        identity=identity,
    )
    while await console_only.run_once():
        pass
    async with store.transaction() as repos:
        rows = await repos.outbox.list()
    pending = {(r.channel, r.target) for r in rows if r.status == "pending"}
    assert ("telegram", "user") in pending and ("telegram", "staff") in pending
    assert all(r.status == "sent" for r in rows if r.channel == "console")

    fake = FakeTransport(identity)
    telegram = OutboxSender(
        store, fake, NoWaitLimiter(), channels={"telegram": fake}, identity=identity
    )
    while await telegram.run_once():
        pass
    assert [s.address for s in fake.sent if s.target == "user"] == ["4242"]
    async with store.transaction() as repos:
        assert await repos.outbox.pending_count() == 0


async def test_opted_out_drops_the_row_and_marks_the_conversation(
    store: Store, identity: Identity
) -> None:
    await open_claimed_case(store, identity, "sms", "+77011234567")
    refusing = RefusingDelivery()
    sender = OutboxSender(
        store, None, NoWaitLimiter(), channels={"sms": refusing}, identity=identity
    )
    while await sender.run_once():
        pass
    assert refusing.calls == ["+77011234567"]
    async with store.transaction() as repos:
        conv = await repos.conversations.get(identity.pseudonym("sms", "+77011234567"))
        assert conv is not None and conv.blocked
        assert [r.status for r in await repos.outbox.list() if r.target == "user"] == ["failed"]
