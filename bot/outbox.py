"""Durable, rate-limited delivery of outbox rows (cards, relays, notices, replies).

Rows are leased in one transaction, sent outside any transaction, and marked sent in another,
so a crash between the two at worst re-sends the row after its lease, and a restart or a
Telegram outage loses nothing. Rows of one case go out in order (see OutboxRepo.claim_due).

The sender picks the channel per row: rows for a person go to the `ChannelDelivery` of the
row's channel (`bot/channels/delivery.py`), rows for the staff group and the coordinator go
to the staff transport (Telegram). A process only takes rows it can deliver: a console
session delivers its console rows, the Telegram process its Telegram rows and the staff's.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

from bot.channels.delivery import (
    BadAddress,
    ChannelDelivery,
    Delivered,
    OptedOut,
    Outbound,
    RetryAfter,
    Undeliverable,
)
from bot.privacy import Identity
from bot.staff.outbox_rows import mark_delivery
from storage import Store
from storage.models_staff import OutboxMessage
from storage.repositories import Repos

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 300.0
MAX_ATTEMPTS = 50  # about four hours of retries at the longest backoff


RetryLater = RetryAfter  # the name the staff transport has always raised
__all__ = ["Delivered", "OutboxSender", "RateLimiter", "RetryLater", "Undeliverable"]


def _problem(exc: Undeliverable) -> str | None:
    if isinstance(exc, OptedOut):
        return "opted_out"
    if isinstance(exc, BadAddress):
        return "bad_address"
    return None


class Transport(Protocol):
    """Delivery to the staff side (staff group, coordinator): cards edited in place, topics,
    relays. Needs the case from the database, so it renders inside a transaction."""

    def chat_key(self, row: OutboxMessage) -> tuple[str, bool]:
        """The rate-limit key of the row's destination, and whether it is a group."""
        ...

    async def render(self, repos: Repos, row: OutboxMessage) -> Any:
        """Build what to send from the current database state (no network here)."""
        ...

    async def send(self, row: OutboxMessage, prepared: Any) -> Delivered: ...

    async def record(self, repos: Repos, row: OutboxMessage, delivered: Delivered) -> None:
        """Store what the send produced (card message id, relay link, topic id)."""
        ...


class RateLimiter:
    """Telegram's limits: ~30 messages a second overall, 1 a second per chat, 20 new
    messages a minute per group (edits do not count toward that one). Waits as needed;
    `pause` honours a retry_after for one destination."""

    def __init__(
        self,
        per_second: int = 30,
        group_per_minute: int = 20,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_second = per_second
        self.group_per_minute = group_per_minute
        self.clock = clock
        self._sent: dict[tuple[str, float], collections.deque[float]] = collections.defaultdict(
            collections.deque
        )
        self._paused_until: dict[str, float] = {}

    def _rules(self, key: str, group_message: bool) -> list[tuple[str, int, float]]:
        rules = [("*", self.per_second, 1.0), (key, 1, 1.0)]
        if group_message:
            rules.append((key, self.group_per_minute, 60.0))
        return rules

    def delay(self, key: str, group_message: bool) -> float:
        now = self.clock()
        wait = max(0.0, self._paused_until.get(key, 0.0) - now)
        for rule_key, limit, window in self._rules(key, group_message):
            stamps = self._sent[(rule_key, window)]
            while stamps and stamps[0] <= now - window:
                stamps.popleft()
            if len(stamps) >= limit:
                wait = max(wait, stamps[0] + window - now)
        return wait

    async def acquire(self, key: str, group_message: bool) -> None:
        # a computed wait, not a poll: each sleep ends exactly when a slot frees up
        while (wait := self.delay(key, group_message)) > 0:  # noqa: ASYNC110
            await asyncio.sleep(wait)
        now = self.clock()
        for rule_key, _limit, window in self._rules(key, group_message):
            self._sent[(rule_key, window)].append(now)

    def pause(self, key: str, seconds: float) -> None:
        self._paused_until[key] = self.clock() + seconds


class OutboxSender:
    COALESCE = frozenset({"card_edit", "cb_edit"})  # a later row makes an earlier one moot
    EDITS = frozenset({"card_edit", "cb_edit", "topic", "scrub"})  # not new group messages

    def __init__(
        self,
        store: Store,
        transport: Transport | None,
        limiter: RateLimiter | None = None,
        lease: dt.timedelta = dt.timedelta(seconds=30),
        batch: int = 20,
        *,
        channels: dict[str, ChannelDelivery] | None = None,
        identity: Identity | None = None,
    ) -> None:
        self.store = store
        self.transport = transport  # the staff side; None when no staff group is configured
        self.channels = dict(channels or {})
        self.identity = identity
        self.limiter = limiter or RateLimiter()
        self.lease = lease
        self.batch = batch
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run_forever(self, stop: asyncio.Event, idle_s: float = 0.5) -> None:
        while not stop.is_set():
            try:
                sent = await self.run_once()
            except Exception:  # a database hiccup must not end delivery for good
                log.exception("outbox sweep failed")
                sent = 0
            if sent == 0:
                self._wake.clear()
                waiter = asyncio.ensure_future(self._wake.wait())
                stopper = asyncio.ensure_future(stop.wait())
                await asyncio.wait(
                    {waiter, stopper}, timeout=idle_s, return_when="FIRST_COMPLETED"
                )
                waiter.cancel()
                stopper.cancel()

    async def run_once(self) -> int:
        async with self.store.transaction() as repos:
            rows = await repos.outbox.claim_due(
                repos.now(),
                self.lease,
                self.batch,
                user_channels=sorted(self.channels),
                staff=self.transport is not None,
            )
        done = 0
        for row in rows:
            done += await self._deliver(row)
        return done

    async def _deliver(self, row: OutboxMessage) -> int:
        try:
            key, is_group = self.chat_key(row)
            await self.limiter.acquire(key, is_group and row.kind not in self.EDITS)
            delivered: Delivered | None
            if row.target == "user":
                delivered = await self._to_person(row)
            else:
                delivered = await self._to_staff(row)
            if delivered is None:
                await self._finish(row.id, "skipped", None)
                return 0
        except asyncio.CancelledError:  # shutting down: hand the row back for the next start
            await self._reschedule(row.id, 0.0, count=False)
            raise
        except RetryLater as exc:
            self.limiter.pause(self.chat_key(row)[0], exc.after)
            await self._reschedule(row.id, exc.after, count=False)
            return 0
        except Undeliverable as exc:
            await self._finish(row.id, "failed", None, problem=_problem(exc))
            return 0
        except Exception as exc:  # network errors, 5xx: back off and try again
            log.warning("outbox send failed (%s); will retry", type(exc).__name__)
            await self._reschedule(row.id, min(MAX_BACKOFF_S, 2.0 ** (row.attempts + 1)))
            return 0
        await self._finish(row.id, "sent", delivered)
        return 1

    def chat_key(self, row: OutboxMessage) -> tuple[str, bool]:
        """The rate-limit key of the row's destination, and whether it is a group."""
        if row.target == "user":
            who = row.case_id if row.case_id is not None else f"cb{row.callback_id}"
            return f"{row.channel}:user:{who}", False
        assert self.transport is not None
        return self.transport.chat_key(row)

    async def _to_person(self, row: OutboxMessage) -> Delivered:
        delivery = self.channels.get(row.channel)
        if delivery is None or self.identity is None:
            raise Undeliverable("channel not configured here")
        if "addr" not in row.payload:
            raise Undeliverable("address erased")  # the case closed or was forgotten
        address = self.identity.decrypt(base64.b64decode(row.payload["addr"]))
        return await delivery.deliver(address, Outbound.from_payload(row.payload))

    async def _to_staff(self, row: OutboxMessage) -> Delivered | None:
        assert self.transport is not None
        # rendered after the rate-limit wait, so an edit shows the case as it is now
        async with self.store.transaction() as repos:
            if row.kind in self.COALESCE and await repos.outbox.superseded(row):
                return None
            prepared = await self.transport.render(repos, row)
        if prepared is None:
            return None
        return await self.transport.send(row, prepared)

    async def _reschedule(self, row_id: int, after: float, count: bool = True) -> None:
        async with self.store.transaction() as repos:
            row = await repos.outbox.get(row_id)
            if row is None:
                return
            row.attempts += 1 if count else 0
            row.lease_until = None
            row.next_attempt_at = repos.now() + dt.timedelta(seconds=after)
            if row.attempts >= MAX_ATTEMPTS:
                row.status = "failed"

    async def _finish(
        self, row_id: int, status: str, delivered: Delivered | None, problem: str | None = None
    ) -> None:
        async with self.store.transaction() as repos:
            row = await repos.outbox.get(row_id)
            if row is None or row.status != "pending":
                return
            if problem == "opted_out" and row.case_id is not None:  # nothing more until they
                await repos.conversations.mark_blocked_for_case(row.case_id)  # write again
            if problem is not None and row.case_id is not None and row.target == "user":
                case = await repos.cases.get(row.case_id)
                if case is not None:  # the staff see on the card that the person is not reached
                    await mark_delivery(repos, case, problem)
            row.status, row.sent_at, row.lease_until = status, repos.now(), None
            row.dedup_key = None  # a later edit of the same card may be queued again
            if row.target == "user":
                row.payload = {}  # the address and text are not kept once delivered
                if delivered is not None:  # the provider's id, for its delivery reports
                    row.external_id = delivered.external_id
            if delivered is not None and row.target != "user" and self.transport is not None:
                await self.transport.record(repos, row, delivered)
