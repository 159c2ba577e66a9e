"""Queries of the durable inbox (see storage/models_inbox.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import utcnow
from storage.models_inbox import InboxUpdate


class InboxRepo:
    def __init__(self, session: AsyncSession, lock_rows: bool) -> None:
        self.s = session
        self.lock_rows = lock_rows

    async def add(
        self,
        source: str,
        external_id: str,
        key: str,
        payload: dict[str, Any],
        lease_until: dt.datetime | None = None,
    ) -> bool:
        """Store an update; False when it was stored before (a redelivery). `lease_until`
        stores it already leased (the caller handles it at once; the worker after that)."""
        row = InboxUpdate(
            source=source,
            external_id=external_id,
            key=key,
            payload=payload,
            lease_until=lease_until,
        )
        try:
            async with self.s.begin_nested():
                self.s.add(row)
        except IntegrityError:
            return False
        return True

    async def claim(
        self, now: dt.datetime, lease: dt.timedelta, limit: int, busy_keys: set[str]
    ) -> list[InboxUpdate]:
        """Lease the oldest unhandled update of each conversation whose earlier updates are
        all handled (so one conversation's updates are handled in arrival order, by one
        process at a time); `busy_keys` are conversations this process is handling now."""
        earlier = aliased(InboxUpdate)
        waiting = (
            select(earlier.id)
            .where(
                earlier.key == InboxUpdate.key,
                earlier.id < InboxUpdate.id,
                earlier.status == "pending",
            )
            .exists()
        )
        query = (
            select(InboxUpdate)
            .where(
                InboxUpdate.status == "pending",
                or_(InboxUpdate.lease_until.is_(None), InboxUpdate.lease_until < now),
                ~waiting,
            )
            .order_by(InboxUpdate.id)
            .limit(limit + len(busy_keys))
        )
        if busy_keys:
            query = query.where(InboxUpdate.key.not_in(busy_keys))
        if self.lock_rows:  # several processes never take the same update
            query = query.with_for_update(skip_locked=True, of=InboxUpdate)
        rows = list((await self.s.execute(query)).scalars())[:limit]
        for row in rows:
            row.lease_until = now + lease
            row.attempts += 1
        return rows

    async def find(self, source: str, external_id: str) -> InboxUpdate | None:
        query = select(InboxUpdate).where(
            InboxUpdate.source == source, InboxUpdate.external_id == external_id
        )
        result = await self.s.execute(query.execution_options(populate_existing=True))
        return result.scalars().first()

    async def take(self, row_id: int, now: dt.datetime, lease: dt.timedelta) -> bool:
        """Lease one pending update whose lease is free or ran out; False when it is handled
        or someone else holds it."""
        result = await self.s.execute(
            update(InboxUpdate)
            .where(
                InboxUpdate.id == row_id,
                InboxUpdate.status == "pending",
                or_(InboxUpdate.lease_until.is_(None), InboxUpdate.lease_until < now),
            )
            .values(lease_until=now + lease, attempts=InboxUpdate.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    async def payload(self, row_id: int) -> dict[str, Any] | None:
        row = await self.s.get(InboxUpdate, row_id)
        return None if row is None or row.status != "pending" else dict(row.payload)

    async def mark_handled(self, row_id: int) -> bool:
        """Mark handled, once: False when it already was (the same update again)."""
        result = await self.s.execute(
            update(InboxUpdate)
            .where(InboxUpdate.id == row_id, InboxUpdate.status == "pending")
            .values(status="done", handled_at=utcnow(), payload={}, lease_until=None)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    async def release(self, row_id: int) -> None:
        await self.s.execute(
            update(InboxUpdate)
            .where(InboxUpdate.id == row_id, InboxUpdate.status == "pending")
            .values(lease_until=None)
            .execution_options(synchronize_session=False)
        )

    async def pending_count(self) -> int:
        query = select(InboxUpdate.id).where(InboxUpdate.status == "pending")
        return len(list((await self.s.execute(query)).scalars()))

    async def purge(self, before: dt.datetime) -> None:
        await self.s.execute(
            delete(InboxUpdate).where(
                InboxUpdate.status != "pending", InboxUpdate.created_at < before
            )
        )
