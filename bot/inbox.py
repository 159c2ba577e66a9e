"""The durable inbox: an update is written to the database before it is acknowledged, and
handled from there.

* `Inbox.accept` stores one update (encrypted; deduplicated by its source's id: Telegram
  update_id, Twilio MessageSid) and commits; only then does the channel answer 200 to the
  webhook (or ask Telegram for the next updates, which acknowledges these).
* `Inbox.hold` stores one update the same way and leases it to the caller, who handles it
  at once (the SMS webhook answers with the reply as TwiML); what it leaves pending (an
  error, a crash) the worker below handles once the lease runs out (or at once if released).
* `Inbox.run(stop)` handles stored updates: per conversation (`key`) one at a time and in
  arrival order, different conversations at once, across processes too (the oldest
  unhandled update of a conversation is leased only when its earlier ones are handled;
  SKIP LOCKED on PostgreSQL). A crash after the acknowledgement loses nothing: the lease
  runs out and the update is handled after the restart. On stop, what is in flight is
  finished before returning (graceful drain).
* Handling an update twice is prevented where it matters: the turn service marks the
  update handled in the turn's own transaction (`current_update()` tells it which one),
  so a turn committed just before a crash is not applied again.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from bot.privacy import Identity
from storage import Store
from storage.models_inbox import InboxUpdate
from storage.retry import is_transient, retry_transient

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Awaitable[None]]

_CURRENT: ContextVar[int | None] = ContextVar("inbox_update", default=None)


def current_update() -> int | None:
    """The inbox row being handled in this task (None outside the inbox worker)."""
    return _CURRENT.get()


class Inbox:
    def __init__(
        self,
        store: Store,
        identity: Identity,
        *,
        concurrency: int = 8,
        lease: dt.timedelta = dt.timedelta(seconds=30),
        drain_s: float = 25.0,
    ) -> None:
        self.store = store
        self.identity = identity
        self.concurrency = concurrency
        self.lease = lease
        self.drain_s = drain_s
        self.handlers: dict[str, Handler] = {}
        self._wake = asyncio.Event()
        self._busy: dict[str, asyncio.Task[None]] = {}

    def handle(self, source: str, handler: Handler) -> None:
        """Register how updates of one source ("telegram", "sms") are handled."""
        self.handlers[source] = handler

    def key(self, source: str, conversation: str) -> str:
        """The ordering key of a conversation: a pseudonym, never the address itself."""
        return f"{source}:{self.identity.pseudonym(source, conversation)[:64]}"

    async def accept(
        self, source: str, external_id: str, conversation: str, update: dict[str, Any]
    ) -> bool:
        """Store an update durably (retried through a locked or restarting database);
        False when it was stored before. Raises only when the database stays down."""
        sealed = {"enc": base64.b64encode(self.identity.encrypt(json.dumps(update))).decode()}
        key = self.key(source, conversation)

        async def write() -> bool:
            async with self.store.transaction() as repos:
                return await repos.inbox.add(source, external_id, key, sealed)

        added = await retry_transient(write, within_s=20.0, what="inbox accept")
        self._wake.set()
        return added

    async def hold(
        self, source: str, external_id: str, conversation: str, update: dict[str, Any]
    ) -> int | None:
        """Store an update (as `accept`) and lease it to the caller, who handles it at once
        (a webhook that answers with the reply). Returns the row's id while the caller holds
        it: a new update, or a redelivered one still pending whose lease is free or ran out
        (its first handler died). None when it is handled or being handled elsewhere. What
        the caller leaves pending (an error, a crash) the worker handles after the lease."""
        sealed = {"enc": base64.b64encode(self.identity.encrypt(json.dumps(update))).decode()}
        key = self.key(source, conversation)

        async def write() -> int | None:
            async with self.store.transaction() as repos:
                now = repos.now()
                added = await repos.inbox.add(source, external_id, key, sealed, now + self.lease)
                row = await repos.inbox.find(source, external_id)
                if row is None:
                    return None
                if added:  # stored by this call, already leased to it
                    return row.id
                return row.id if await repos.inbox.take(row.id, now, self.lease) else None

        return await retry_transient(write, within_s=20.0, what="inbox hold")

    async def release(self, row_id: int) -> None:
        """Hand a held update back: the worker handles it now (not after the lease)."""
        await self._release(row_id)
        self._wake.set()

    async def is_pending(self, source: str, external_id: str) -> bool:
        async with self.store.transaction() as repos:
            row = await repos.inbox.find(source, external_id)
            return row is not None and row.status == "pending"

    # --- the worker ----------------------------------------------------------------------

    async def run(self, stop: asyncio.Event, idle_s: float = 0.5) -> None:
        """Handle stored updates until `stop`; then finish what is in flight."""
        while not stop.is_set():
            try:
                started = await self.run_once()
            except Exception as exc:  # the database may be restarting: try again shortly
                log.warning("inbox claim failed (%s)", type(exc).__name__.lower())
                started = 0
            if started == 0:
                self._wake.clear()
                waiter = asyncio.ensure_future(self._wake.wait())
                stopper = asyncio.ensure_future(stop.wait())
                await asyncio.wait(
                    {waiter, stopper}, timeout=idle_s, return_when="FIRST_COMPLETED"
                )
                waiter.cancel()
                stopper.cancel()
        await self.drain()

    async def drain(self) -> None:
        """Wait for the updates in flight (graceful shutdown)."""
        tasks = list(self._busy.values())
        if tasks:
            await asyncio.wait(tasks, timeout=self.drain_s)

    async def run_once(self) -> int:
        free = self.concurrency - len(self._busy)
        if free <= 0:
            return 0
        async with self.store.transaction() as repos:
            rows = await repos.inbox.claim(repos.now(), self.lease, free, set(self._busy))
        for row in rows:
            self._busy[row.key] = asyncio.create_task(self._handle(row))
        return len(rows)

    async def _handle(self, row: InboxUpdate) -> None:
        token = _CURRENT.set(row.id)
        try:
            handler = self.handlers.get(row.source)
            if handler is None:
                await self._release(row.id)  # another process handles this source
                return
            update = json.loads(self.identity.decrypt(base64.b64decode(row.payload["enc"])))
            await handler(update)
            await self._done(row.id)
        except Exception as exc:
            if is_transient(exc):  # left pending: handled again after its lease
                log.warning("inbox update failed (%s); will retry", type(exc).__name__.lower())
            else:  # it would fail the same way every time: not a reason to stop the line
                log.error("inbox update dropped (%s)", type(exc).__name__.lower())
                await self._done(row.id)
        finally:
            _CURRENT.reset(token)
            self._busy.pop(row.key, None)
            self._wake.set()

    async def _done(self, row_id: int) -> None:
        async def write() -> None:
            async with self.store.transaction() as repos:
                await repos.inbox.mark_handled(row_id)

        await retry_transient(write, what="inbox done")

    async def _release(self, row_id: int) -> None:
        async with self.store.transaction() as repos:
            await repos.inbox.release(row_id)
