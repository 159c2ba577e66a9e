"""A staff transport and a channel delivery in one fake: records what it would have sent,
with scripted failures."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from bot.channels.delivery import Outbound
from bot.outbox import Delivered, OutboxSender, RateLimiter, RetryLater, Undeliverable
from bot.privacy import Identity
from storage import Store
from storage.models_staff import OutboxMessage
from storage.repositories import Repos


@dataclass
class Sent:
    row_id: int
    kind: str
    target: str
    case_id: int | None
    payload: dict[str, Any]
    address: str | None = None


@dataclass
class FakeTransport:
    """Staff side (`Transport`) and the person's side (`ChannelDelivery`, as "telegram")."""

    identity: Identity
    name: str = "telegram"
    sent: list[Sent] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)  # raised by the next sends
    next_id: int = 1000

    def chat_key(self, row: OutboxMessage) -> tuple[str, bool]:
        return (row.target, row.target != "user")

    async def render(self, repos: Repos, row: OutboxMessage) -> dict[str, Any]:
        address = None
        if row.target == "user":
            if "addr" not in row.payload:
                raise Undeliverable("no address")
            address = self.identity.decrypt(base64.b64decode(row.payload["addr"]))
        return {"payload": dict(row.payload), "address": address}

    async def send(self, row: OutboxMessage, prepared: dict[str, Any]) -> Delivered:
        if self.failures:
            raise self.failures.pop(0)
        self.next_id += 1
        self.sent.append(
            Sent(
                row.id, row.kind, row.target, row.case_id, prepared["payload"], prepared["address"]
            )
        )
        return Delivered(message_id=self.next_id, thread_id=77 if row.kind == "topic" else None)

    async def record(self, repos: Repos, row: OutboxMessage, delivered: Delivered) -> None:
        if row.case_id is None or delivered.message_id is None:
            return
        case = await repos.cases.get(row.case_id)
        assert case is not None
        if row.kind == "card":
            case.card_message_id = delivered.message_id
        if row.kind == "topic":
            case.thread_id = delivered.thread_id
        if row.target == "staff":
            await repos.relay.add(case.id, delivered.message_id)

    async def deliver(self, address: str, message: Outbound) -> Delivered:
        if self.failures:
            raise self.failures.pop(0)
        self.next_id += 1
        payload = message.to_payload()
        self.sent.append(Sent(-self.next_id, "to_user", "user", None, payload, address))
        return Delivered(message_id=self.next_id)

    def kinds(self) -> list[str]:
        return [s.kind for s in self.sent]


class NoWaitLimiter(RateLimiter):
    """Every destination is always free (tests of order and content, not of limits)."""

    def try_acquire(
        self, key: str, group_message: bool, priority: int = 0, per_chat: bool = True
    ) -> float:
        return 0.0


def fake_sender(
    store: Store, transport: FakeTransport, limiter: RateLimiter | None = None, **kw: Any
) -> OutboxSender:
    """An outbox sender whose staff transport and Telegram delivery are the fake."""
    return OutboxSender(
        store,
        transport,
        limiter,
        channels={"telegram": transport},
        identity=transport.identity,
        **kw,
    )


def retry_later(after: float = 0.01) -> RetryLater:
    return RetryLater(after)
