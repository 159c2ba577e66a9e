"""Durable, rate-limited delivery of every outbound message (replies, cards, relays, notices).

Rows are written in the same transaction as the change that causes them, leased in one
transaction, sent outside any transaction, and marked sent in another: a crash between
the two at worst re-sends the row after its lease, and a restart or an outage loses
nothing. Rows of one stream (one person, or one case's staff side) go out in order.

The sender picks the channel per row: rows for a person go to the `ChannelDelivery` of the
row's channel (`bot/channels/delivery.py`), rows for the staff group and the coordinator go
to the staff transport (Telegram). A process only takes rows it can deliver.

Order: priority first (0 crisis cards and crisis safety texts, 1 other cards and alerts,
2 relays, 3 the rest), then the stream served longest ago, so one noisy case or a flood of
accounts cannot starve another. Nothing waits inside the worker: a destination that is
paused (429 retry_after) or over its rate has its row handed back with a due time, and the
worker goes on with the others. `send_now` is the fast path a turn uses for its own reply.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
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
from bot.outbox_limits import RateLimiter
from bot.privacy import Identity
from bot.staff.outbox_rows import mark_delivery
from storage import Store
from storage.models_staff import OutboxMessage
from storage.repositories import Repos
from storage.retry import retry_transient

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 300.0
URGENT_MAX_BACKOFF_S = 5.0  # a crisis card or safety text is retried at least this often
MAX_ATTEMPTS = 50  # about four hours of retries at the longest backoff
INLINE_WAIT_S = 1.0  # the fast path may wait this long for a rate-limit slot

RetryLater = RetryAfter  # the name the staff transport has always raised
__all__ = [
    "Delivered",
    "OutboxSender",
    "RateLimiter",
    "RetryLater",
    "Transport",
    "Undeliverable",
]


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
        self._served: dict[str, float] = {}  # stream -> when it was last served (fairness)
        self._next_due = 0.0

    def wake(self) -> None:
        self._wake.set()

    # --- the worker ----------------------------------------------------------------------

    async def run_forever(self, stop: asyncio.Event, idle_s: float = 0.5) -> None:
        """Keep up to `batch` sends in flight; claim again as soon as one finishes or a
        turn wakes the sender, so a new crisis card never waits for a whole batch. On stop,
        the sends in hand are finished (marked sent, not sent again after a restart)."""
        inflight: set[asyncio.Task[int]] = set()
        while not stop.is_set():
            claimed = 0
            room = self.batch - len(inflight)
            if room > 0:
                try:
                    rows = await self._claim(room)
                except Exception as exc:  # a database hiccup must not end delivery for good
                    log.warning("outbox sweep failed (%s)", type(exc).__name__.lower())
                    rows = []
                for row in rows:
                    task = asyncio.create_task(self._deliver(row))
                    inflight.add(task)
                    task.add_done_callback(self._sent_one(inflight))
                claimed = len(rows)
            if claimed == 0:
                wait = idle_s
                if self._next_due > 0:  # a held-back row becomes sendable sooner
                    wait = max(0.01, min(idle_s, self._next_due - time.monotonic()))
                self._wake.clear()
                waiter = asyncio.ensure_future(self._wake.wait())
                stopper = asyncio.ensure_future(stop.wait())
                await asyncio.wait({waiter, stopper}, timeout=wait, return_when="FIRST_COMPLETED")
                waiter.cancel()
                stopper.cancel()
        if inflight:
            await asyncio.wait(inflight)

    def _sent_one(self, inflight: set[asyncio.Task[int]]) -> Callable[[asyncio.Task[int]], None]:
        def done(task: asyncio.Task[int]) -> None:
            inflight.discard(task)
            self._wake.set()  # room for the next row

        return done

    async def run_once(self) -> int:
        """Lease the rows that may go now (best first), send them concurrently; returns how
        many were sent."""
        rows = await self._claim(self.batch)
        results = await asyncio.gather(*(self._deliver(row) for row in rows))
        return sum(results)

    async def _claim(self, limit: int) -> list[OutboxMessage]:
        self._next_due = 0.0
        async with self.store.transaction() as repos:
            return await repos.outbox.claim_due(
                repos.now(),
                self.lease,
                limit,
                user_channels=sorted(self.channels),
                staff=self.transport is not None,
                take=self._take,
                order=self._fair_order,
            )

    def _fair_order(self, rows: Sequence[OutboxMessage]) -> list[OutboxMessage]:
        """Priority first; within a priority, the stream served longest ago first."""
        return sorted(
            rows, key=lambda r: (r.priority, self._served.get(r.stream or "", 0.0), r.id)
        )

    def _slot(self, row: OutboxMessage) -> float:
        """Take the row's rate-limit slot and return 0, or return how long to wait."""
        key, is_group = self.chat_key(row)
        group_message = is_group and row.kind not in self.EDITS
        per_chat = row.kind != "reply"  # answering someone who just wrote
        return self.limiter.try_acquire(key, group_message, row.priority, per_chat)

    def _take(self, row: OutboxMessage) -> bool:
        """Whether the row may be sent now; takes its rate-limit slot if so."""
        wait = self._slot(row)
        if wait > 0:
            due = time.monotonic() + wait
            self._next_due = min(self._next_due, due) if self._next_due else due
            return False
        return True

    # --- the fast path -------------------------------------------------------------------

    async def send_now(self, row_ids: Sequence[int]) -> int:
        """Send a turn's own rows at once (in order) when the destination is free; a row that
        cannot go now (earlier rows of the person waiting, API down, rate) stays for the
        worker. Returns how many were sent."""
        sent = 0
        for row_id in row_ids:
            row = await self._lease_one(row_id)
            if row is None:
                self.wake()
                return sent
            if not await self._deliver(row):
                self.wake()
                return sent
            sent += 1
        return sent

    async def release_stream(self, stream: str) -> None:
        """A console session starting again after its process died: nobody else can be
        delivering to that terminal, so its leases are handed back at once; the dead
        session's own turn replies are dropped (the resume repeats where the dialog is),
        what the staff sent is delivered."""
        async with self.store.transaction() as repos:
            await repos.outbox.release_leases(stream)

    async def _lease_one(self, row_id: int) -> OutboxMessage | None:
        for _ in range(2):
            async with self.store.transaction() as repos:
                row = await repos.outbox.lease_if_next(row_id, repos.now(), self.lease)
                if row is None:
                    return None
                wait = self._slot(row)
                if wait == 0:
                    return row
                row.lease_until = None  # hand it back while we wait (or to the worker)
            if wait > INLINE_WAIT_S:
                return None
            await asyncio.sleep(wait)
        return None

    # --- one row -------------------------------------------------------------------------

    async def _deliver(self, row: OutboxMessage) -> int:
        try:
            delivered: Delivered | None
            if row.target == "user":
                delivered = await self._to_person(row)
            else:
                delivered = await self._to_staff(row)
            if delivered is None:
                await self._finish(row.id, "skipped", None)
                return 0
        except asyncio.CancelledError:  # shutting down: hand the row back for the next start
            await self._reschedule(row, 0.0, count=False)
            raise
        except RetryAfter as exc:
            self.limiter.pause(self.chat_key(row)[0], exc.after)
            await self._reschedule(row, exc.after, count=False)
            return 0
        except Undeliverable as exc:
            await self._finish(row.id, "failed", None, problem=_problem(exc))
            return 0
        except Exception as exc:  # network errors, 5xx: back off and try again
            log.warning("outbox send failed (%s); will retry", type(exc).__name__.lower())
            cap = URGENT_MAX_BACKOFF_S if row.priority == 0 else MAX_BACKOFF_S
            await self._reschedule(row, min(cap, 2.0 ** (row.attempts + 1)))
            return 0
        if row.stream:
            self._served[row.stream] = time.monotonic()
        await self._finish(row.id, "sent", delivered)
        return 1

    def chat_key(self, row: OutboxMessage) -> tuple[str, bool]:
        """The rate-limit key of the row's destination, and whether it is a group."""
        if row.target == "user":
            who = row.case_id if row.case_id is not None else f"cb{row.callback_id}"
            return f"{row.channel}:{row.stream or who}", False
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
        # rendered just before sending, so an edit shows the case as it is now
        async with self.store.transaction() as repos:
            if row.kind in self.COALESCE and await repos.outbox.superseded(row):
                return None
            prepared = await self.transport.render(repos, row)
        if prepared is None:
            return None
        return await self.transport.send(row, prepared)

    # --- bookkeeping: retried, so a sent row is marked sent once the database is back -----

    async def _reschedule(self, row: OutboxMessage, after: float, count: bool = True) -> None:
        async def write() -> None:
            async with self.store.transaction() as repos:
                await repos.outbox.reschedule(row.id, after, count, MAX_ATTEMPTS)

        await retry_transient(write, what="outbox reschedule")

    async def _finish(
        self, row_id: int, status: str, delivered: Delivered | None, problem: str | None = None
    ) -> None:
        async def write() -> None:
            async with self.store.transaction() as repos:
                row = await repos.outbox.finish(row_id, status)
                if row is None:
                    return
                if problem == "opted_out":  # nothing more until they write again
                    await self._mark_opted_out(repos, row)
                if problem is not None and row.case_id is not None and row.target == "user":
                    case = await repos.cases.get(row.case_id)
                    if case is not None:  # the staff see on the card the person is not reached
                        await mark_delivery(repos, case, problem)
                if row.target == "user" and delivered is not None:
                    row.external_id = delivered.external_id  # for the provider's reports
                if delivered is not None and row.target != "user" and self.transport is not None:
                    await self.transport.record(repos, row, delivered)

        await retry_transient(write, what="outbox finish")

    @staticmethod
    async def _mark_opted_out(repos: Repos, row: OutboxMessage) -> None:
        if row.stream and row.stream.startswith("u:"):
            await repos.conversations.mark_blocked(row.stream[2:], True)
        elif row.case_id is not None:
            await repos.conversations.mark_blocked_for_case(row.case_id)
