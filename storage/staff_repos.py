"""Repositories of the staff side: roster, outbox, relay links, audit, due cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.inbox_repo import InboxRepo
from storage.models import Callback, Case, CaseMessage, utcnow
from storage.models_staff import AuditEntry, OutboxMessage, RelayLink, StaffMember


class StaffRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def get_or_create(self, pseudonym: str) -> StaffMember:
        query = select(StaffMember).where(StaffMember.pseudonym == pseudonym)
        found = (await self.s.execute(query)).scalar_one_or_none()
        if found is not None:
            return found
        member = StaffMember(pseudonym=pseudonym)
        try:
            async with self.s.begin_nested():
                self.s.add(member)
        except IntegrityError:
            return (await self.s.execute(query)).scalar_one()
        return member

    async def on_duty(self) -> list[StaffMember]:
        query = select(StaffMember).where(StaffMember.on_duty.is_(True)).order_by(StaffMember.id)
        return list((await self.s.execute(query)).scalars())

    async def anyone_on_duty(self) -> bool:
        query = select(func.count(StaffMember.id)).where(StaffMember.on_duty.is_(True))
        return int((await self.s.execute(query)).scalar_one()) > 0


class OutboxRepo:
    def __init__(self, session: AsyncSession, lock_rows: bool) -> None:
        self.s = session
        self.lock_rows = lock_rows

    async def add(
        self,
        kind: str,
        target: str,
        case_id: int | None = None,
        payload: dict[str, Any] | None = None,
        dedup_key: str | None = None,
        channel: str = "telegram",
        callback_id: int | None = None,
        *,
        priority: int = 3,
        stream: str | None = None,
    ) -> OutboxMessage | None:
        """Queue a message; with a dedup_key already queued, nothing is added. Rows of one
        `stream` are sent in id order (default: the case's rows to this target)."""
        if stream is None and case_id is not None:
            stream = f"c:{case_id}:{target}"
        elif stream is None and callback_id is not None:
            stream = f"cb:{callback_id}:{target}"
        row = OutboxMessage(
            kind=kind,
            target=target,
            case_id=case_id,
            callback_id=callback_id,
            payload=payload or {},
            dedup_key=dedup_key,
            channel=channel,
            priority=priority,
            stream=stream,
        )
        try:
            async with self.s.begin_nested():
                self.s.add(row)
        except IntegrityError:
            return None
        return row

    def _sendable(self, now: dt.datetime) -> list[ColumnElement[bool]]:
        """Pending, due, not leased, and no earlier row of its stream still pending."""
        earlier = aliased(OutboxMessage)
        blocked = (
            select(earlier.id)
            .where(
                earlier.stream == OutboxMessage.stream,
                earlier.id < OutboxMessage.id,
                earlier.status == "pending",
            )
            .exists()
        )
        return [
            OutboxMessage.status == "pending",
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now),
            or_(OutboxMessage.stream.is_(None), ~blocked),
        ]

    async def claim_due(
        self,
        now: dt.datetime,
        lease: dt.timedelta,
        limit: int = 50,
        user_channels: Sequence[str] = ("telegram",),
        staff: bool = True,
        take: Callable[[OutboxMessage], bool] | None = None,
        order: Callable[[Sequence[OutboxMessage]], list[OutboxMessage]] | None = None,
    ) -> list[OutboxMessage]:
        """Lease up to `limit` sendable rows this sender can deliver (rows for people on
        `user_channels`, staff-side rows when `staff`), best priority first. `order` may
        re-rank the candidates (fairness) and `take` refuse one (its destination is busy)."""
        deliverable = [
            and_(OutboxMessage.target == "user", OutboxMessage.channel.in_(user_channels))
        ]
        if staff:
            deliverable.append(OutboxMessage.target != "user")
        query = (
            select(OutboxMessage)
            .where(*self._sendable(now), or_(*deliverable))
            .order_by(OutboxMessage.priority, OutboxMessage.id)
            .limit(limit * 3)  # some candidates may be refused by `take`
        )
        if self.lock_rows:  # several senders never take the same row
            query = query.with_for_update(skip_locked=True, of=OutboxMessage)
        candidates = list((await self.s.execute(query)).scalars())
        chosen: list[OutboxMessage] = []
        for row in order(candidates) if order else candidates:
            if len(chosen) >= limit:
                break
            if (take is None or take(row)) and await self._lease(row, now, lease):
                chosen.append(row)
        return chosen

    async def _lease(self, row: OutboxMessage, now: dt.datetime, lease: dt.timedelta) -> bool:
        """Compare-and-set, so a row is leased once even when the SELECT ran outside the
        writing transaction (SQLite) or two senders (the turn's fast path and the worker)
        chose it at the same moment."""
        result = await self.s.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == row.id,
                OutboxMessage.status == "pending",
                or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now),
            )
            .values(lease_until=now + lease)
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) != 1:
            return False
        row.lease_until = now + lease
        return True

    async def lease_if_next(
        self, row_id: int, now: dt.datetime, lease: dt.timedelta
    ) -> OutboxMessage | None:
        """Lease one row if it is sendable now (the fast path of a turn's own reply)."""
        query = select(OutboxMessage).where(OutboxMessage.id == row_id, *self._sendable(now))
        if self.lock_rows:
            query = query.with_for_update(skip_locked=True, of=OutboxMessage)
        row = (await self.s.execute(query)).scalar_one_or_none()
        if row is None or not await self._lease(row, now, lease):
            return None
        return row

    async def release_leases(self, stream: str) -> None:
        await self.s.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.stream == stream,
                OutboxMessage.status == "pending",
                OutboxMessage.kind == "reply",
            )
            .values(status="skipped", payload={}, lease_until=None)
            .execution_options(synchronize_session=False)
        )
        await self.s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.stream == stream, OutboxMessage.status == "pending")
            .values(lease_until=None)
            .execution_options(synchronize_session=False)
        )

    async def reschedule(self, row_id: int, after: float, count: bool, max_attempts: int) -> None:
        row = await self.s.get(OutboxMessage, row_id)
        if row is None or row.status != "pending":
            return
        row.attempts += 1 if count else 0
        row.lease_until = None
        row.next_attempt_at = utcnow() + dt.timedelta(seconds=after)
        if row.attempts >= max_attempts:
            row.status = "failed"

    async def finish(self, row_id: int, status: str) -> OutboxMessage | None:
        """Mark a row sent/failed/skipped, once: None when it was already finished."""
        row = await self.s.get(OutboxMessage, row_id)
        if row is None or row.status != "pending":
            return None
        row.status, row.sent_at, row.lease_until = status, utcnow(), None
        row.dedup_key = None  # a later edit of the same card may be queued again
        if row.target == "user":
            row.payload = {}  # the address and text are not kept once delivered
        return row

    async def superseded(self, row: OutboxMessage) -> bool:
        """A later row of the same kind for the same case is waiting (it will say more)."""
        query = select(func.count(OutboxMessage.id)).where(
            OutboxMessage.case_id == row.case_id,
            OutboxMessage.callback_id == row.callback_id,
            OutboxMessage.kind == row.kind,
            OutboxMessage.status == "pending",
            OutboxMessage.id > row.id,
        )
        return int((await self.s.execute(query)).scalar_one()) > 0

    async def get(self, row_id: int) -> OutboxMessage | None:
        return await self.s.get(OutboxMessage, row_id)

    async def drop_to_user(self, conversation_id: int, and_their_words: bool = False) -> int:
        """/stop, /clear: messages queued for the person are not sent after all. /forget also
        drops what they wrote that is still on its way to the staff group."""
        cases = select(Case.id).where(Case.conversation_id == conversation_id)
        which = OutboxMessage.target == "user"
        if and_their_words:
            which = or_(which, OutboxMessage.kind == "relay_in")
        result = await self.s.execute(
            delete(OutboxMessage).where(
                OutboxMessage.status == "pending", which, OutboxMessage.case_id.in_(cases)
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def by_external_id(self, external_id: str) -> OutboxMessage | None:
        query = select(OutboxMessage).where(OutboxMessage.external_id == external_id)
        return (await self.s.execute(query.limit(1))).scalar_one_or_none()

    async def pending_count(self) -> int:
        query = select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "pending")
        return int((await self.s.execute(query)).scalar_one())

    async def list(self) -> list[OutboxMessage]:
        return list(
            (await self.s.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars()
        )


class RelayRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, case_id: int, staff_message_id: int) -> None:
        try:
            async with self.s.begin_nested():
                self.s.add(RelayLink(case_id=case_id, staff_message_id=staff_message_id))
        except IntegrityError:
            pass  # already linked: a retried send

    async def case_for(self, staff_message_id: int) -> int | None:
        query = select(RelayLink.case_id).where(RelayLink.staff_message_id == staff_message_id)
        return (await self.s.execute(query)).scalar_one_or_none()


class AuditRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(
        self,
        actor: str,
        action: str,
        case_id: int | None,
        callback_id: int | None = None,
        detail: str | None = None,
    ) -> None:
        self.s.add(
            AuditEntry(
                actor=actor, action=action, case_id=case_id, callback_id=callback_id, detail=detail
            )
        )

    async def list(self) -> list[AuditEntry]:
        return list((await self.s.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars())


class DueCaseRepo:
    """Cases waiting for a claim past their deadline, for the re-alert sweep."""

    def __init__(self, session: AsyncSession, lock_rows: bool) -> None:
        self.s = session
        self.lock_rows = lock_rows

    async def due(self, now: dt.datetime, limit: int = 50) -> list[Case]:
        query = (
            select(Case)
            .where(
                and_(
                    Case.status == "open",
                    Case.urgency.in_(("crisis", "urgent")),
                    Case.due_at.is_not(None),
                    Case.due_at <= now,
                )
            )
            .order_by(Case.due_at)
            .limit(limit)
        )
        if self.lock_rows:
            query = query.with_for_update(skip_locked=True)
        return list((await self.s.execute(query)).scalars())


class RetentionRepo:
    """Erasure of what is kept only for a while (SPEC section 6)."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def staff_traces(
        self, closed_before: dt.datetime, limit: int = 200
    ) -> list[tuple[int, int | None, list[int]]]:
        """Cases closed before the cut-off whose card, topic or relayed messages are still in
        the staff group: (case id, forum topic id, bot message ids). Forgotten with
        `forget_staff_traces` once their removal is queued."""
        linked = select(RelayLink.case_id).distinct()
        query = (
            select(Case.id, Case.thread_id, Case.card_message_id)
            .where(
                Case.status == "closed",
                Case.closed_at < closed_before,
                or_(
                    Case.thread_id.is_not(None),
                    Case.card_message_id.is_not(None),
                    Case.id.in_(linked),
                ),
            )
            .order_by(Case.id)
            .limit(limit)
        )
        out = []
        for case_id, thread_id, card_id in (await self.s.execute(query)).all():
            links = select(RelayLink.staff_message_id).where(RelayLink.case_id == case_id)
            ids = set((await self.s.execute(links)).scalars())
            if card_id is not None:
                ids.add(card_id)
            out.append((case_id, thread_id, sorted(ids)))
        return out

    async def forget_staff_traces(self, case_ids: list[int]) -> None:
        await self.s.execute(delete(RelayLink).where(RelayLink.case_id.in_(case_ids)))
        await self.s.execute(
            update(Case)
            .where(Case.id.in_(case_ids))
            .values(thread_id=None, card_message_id=None)
            .execution_options(synchronize_session=False)
        )

    async def purge(self, closed_before: dt.datetime, created_before: dt.datetime) -> int:
        """Transcripts of cases closed before the cut-off, every routing address and phone
        number older than the window, and delivered outbox rows."""
        old_closed = select(Case.id).where(Case.status == "closed", Case.closed_at < closed_before)
        purged = await self.s.execute(
            delete(CaseMessage).where(CaseMessage.case_id.in_(old_closed))
        )
        await self.s.execute(
            update(Case).where(Case.created_at < created_before).values(routing_enc=None)
        )
        await self.s.execute(
            update(Callback)
            .where(Callback.created_at < created_before)
            .values(phone_enc=None, routing_enc=None)
        )
        await self.s.execute(
            delete(OutboxMessage).where(
                OutboxMessage.status != "pending", OutboxMessage.created_at < created_before
            )
        )
        await InboxRepo(self.s, False).purge(created_before)
        return int(getattr(purged, "rowcount", 0) or 0)
