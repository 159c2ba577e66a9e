"""Repositories: the only code that builds queries. One `Repos` per transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.inbox_repo import InboxRepo
from storage.models import (
    Callback,
    Case,
    CaseMessage,
    ChatMessage,
    Conversation,
    IntakeRecord,
    utcnow,
)
from storage.sms_repos import SmsInboundRepo
from storage.staff_repos import (
    AuditRepo,
    DueCaseRepo,
    OutboxRepo,
    RelayRepo,
    RetentionRepo,
    StaffRepo,
)
from storage.stats_repo import ReportRunRepo, StatsRepo

MAX_ID = 2**31 - 1  # ids are 32-bit integer columns on PostgreSQL


class ConversationRepo:
    def __init__(self, session: AsyncSession, lock_rows: bool) -> None:
        self.s = session
        self.lock_rows = lock_rows

    async def get(self, pseudonym: str) -> Conversation | None:
        query = select(Conversation).where(Conversation.pseudonym == pseudonym)
        if self.lock_rows:  # serialize turns of one conversation across processes
            query = query.with_for_update()
        return (await self.s.execute(query)).scalar_one_or_none()

    async def by_id(self, conversation_id: int, lock: bool = False) -> Conversation | None:
        query = select(Conversation).where(Conversation.id == conversation_id)
        if lock and self.lock_rows:  # a staff action stepping the dialog, as a turn would
            query = query.with_for_update()
        return (await self.s.execute(query)).scalar_one_or_none()

    async def get_or_create(
        self, pseudonym: str, channel: str, state: dict[str, Any], language: str
    ) -> tuple[Conversation, bool]:
        found = await self.get(pseudonym)
        if found is not None:
            return found, False
        conv = Conversation(pseudonym=pseudonym, channel=channel, state=state, language=language)
        try:
            async with self.s.begin_nested():
                self.s.add(conv)
        except IntegrityError:  # another process created it first
            found = await self.get(pseudonym)
            assert found is not None
            return found, False
        return conv, True

    async def delete(self, conv: Conversation) -> None:
        await self.s.delete(conv)

    async def count(self) -> int:
        return int((await self.s.execute(select(func.count(Conversation.id)))).scalar_one())

    async def mark_blocked(self, pseudonym: str, blocked: bool = True) -> None:
        """The user blocked the bot (Telegram 403), or wrote again after unblocking it."""
        await self.s.execute(
            update(Conversation)
            .where(Conversation.pseudonym == pseudonym, Conversation.blocked.is_not(blocked))
            .values(blocked=blocked)
            .execution_options(synchronize_session=False)
        )

    async def mark_blocked_for_case(self, case_id: int) -> None:
        """The person of a case blocked the bot or opted out (reported by a channel)."""
        conv_id = select(Case.conversation_id).where(Case.id == case_id).scalar_subquery()
        await self.s.execute(
            update(Conversation)
            .where(Conversation.id == conv_id)
            .values(blocked=True)
            .execution_options(synchronize_session=False)
        )


class CaseRepo:
    def __init__(self, session: AsyncSession, lock_rows: bool = False) -> None:
        self.s = session
        self.lock_rows = lock_rows

    async def get(self, case_id: int, lock: bool = False) -> Case | None:
        if not 0 < case_id <= MAX_ID:  # a forged button or a typo: no such case, no overflow
            return None
        query = select(Case).where(Case.id == case_id)
        if lock and self.lock_rows:  # two staff pressing Claim at once: one wins
            query = query.with_for_update()
        return (await self.s.execute(query)).scalar_one_or_none()

    async def try_claim(self, case_id: int, by: str, now: dt.datetime) -> bool:
        """Compare-and-set, so of two staff pressing Claim at once exactly one wins, on
        SQLite (no row locks) as on PostgreSQL."""
        result = await self.s.execute(
            update(Case)
            .where(Case.id == case_id, Case.status == "open")
            .values(status="claimed", claimed_by=by, claimed_at=now, due_at=None)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    async def conversation_pseudonym(self, case_id: int) -> str | None:
        if not 0 < case_id <= MAX_ID:
            return None
        query = (
            select(Conversation.pseudonym)
            .join(Case, Case.conversation_id == Conversation.id)
            .where(Case.id == case_id)
        )
        return (await self.s.execute(query)).scalar_one_or_none()

    async def open_for(self, conversation_id: int) -> Case | None:
        query = (
            select(Case)
            .where(Case.conversation_id == conversation_id, Case.status != "closed")
            .order_by(Case.id.desc())
            .limit(1)
        )
        return (await self.s.execute(query)).scalar_one_or_none()

    async def add(self, case: Case) -> Case:
        self.s.add(case)
        await self.s.flush()
        return case

    async def conversation_of(self, case_id: int) -> Conversation | None:
        query = select(Conversation).join(Case, Case.conversation_id == Conversation.id)
        return (await self.s.execute(query.where(Case.id == case_id))).scalar_one_or_none()

    async def open_of_conversation(self, conversation_id: int) -> list[Case]:
        query = select(Case).where(
            Case.conversation_id == conversation_id, Case.status != "closed"
        )
        return list((await self.s.execute(query.order_by(Case.id))).scalars())

    async def add_message(self, case_id: int, direction: str, text_masked: str) -> None:
        self.s.add(CaseMessage(case_id=case_id, direction=direction, text_masked=text_masked))

    async def messages(self, case_id: int) -> list[CaseMessage]:
        query = select(CaseMessage).where(CaseMessage.case_id == case_id).order_by(CaseMessage.id)
        return list((await self.s.execute(query)).scalars())

    async def not_closed(self) -> list[Case]:
        query = select(Case).where(Case.status != "closed").order_by(Case.id)
        return list((await self.s.execute(query)).scalars())

    async def not_closed_in_thread(self, thread_id: int) -> int | None:
        """The open case whose forum topic this is (a staff message to relay)."""
        query = select(Case.id).where(Case.thread_id == thread_id, Case.status != "closed")
        return (await self.s.execute(query.limit(1))).scalar_one_or_none()

    async def list(self, status: str | None = None) -> list[Case]:
        query = select(Case).order_by(Case.id)
        if status is not None:
            query = query.where(Case.status == status)
        return list((await self.s.execute(query)).scalars())

    async def forget_conversation(self, conversation_id: int, now: dt.datetime) -> tuple[int, ...]:
        """/forget: close the person's cases, erase routing and transcripts; keep no link.
        Returns the cases, so their cards can be redrawn without the erased text."""
        ids = select(Case.id).where(Case.conversation_id == conversation_id)
        case_ids = tuple((await self.s.execute(ids)).scalars())
        await self.s.execute(delete(CaseMessage).where(CaseMessage.case_id.in_(ids)))
        await self.s.execute(
            update(Case)
            .where(Case.conversation_id == conversation_id, Case.status != "closed")
            .values(status="closed", outcome="no_contact", closed_at=now)
        )
        await self.s.execute(
            update(Case)
            .where(Case.conversation_id == conversation_id)
            .values(routing_enc=None, conversation_id=None, close_draft=None, due_at=None)
        )
        return case_ids


class IntakeRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, record: IntakeRecord) -> IntakeRecord:
        self.s.add(record)
        await self.s.flush()
        return record

    async def get(self, intake_id: int) -> IntakeRecord | None:
        return await self.s.get(IntakeRecord, intake_id)

    async def list(self) -> list[IntakeRecord]:
        return list(
            (await self.s.execute(select(IntakeRecord).order_by(IntakeRecord.id))).scalars()
        )


class CallbackRepo:
    ACTIVE = ("draft", "pending", "taken", "waiting")
    SCHEDULED = ("pending", "taken")

    def __init__(self, session: AsyncSession, lock_rows: bool = False) -> None:
        self.s = session
        self.lock_rows = lock_rows

    async def add(self, callback: Callback) -> Callback:
        self.s.add(callback)
        await self.s.flush()
        return callback

    async def get(self, callback_id: int, lock: bool = False) -> Callback | None:
        query = select(Callback).where(Callback.id == callback_id)
        if lock and self.lock_rows:
            query = query.with_for_update()
        return (await self.s.execute(query)).scalar_one_or_none()

    async def active_for(self, conversation_id: int) -> Callback | None:
        """The conversation's one request that is not done or cancelled yet."""
        query = (
            select(Callback)
            .where(Callback.conversation_id == conversation_id, Callback.status.in_(self.ACTIVE))
            .order_by(Callback.id.desc())
            .limit(1)
        )
        return (await self.s.execute(query)).scalar_one_or_none()

    async def to_remind(self, until: dt.datetime, limit: int = 50) -> list[Callback]:
        """Scheduled callbacks whose reminder time has come (their slot starts before
        `until`); claimed with SKIP LOCKED so two workers never both remind."""
        query = (
            select(Callback)
            .where(
                Callback.status.in_(self.SCHEDULED),
                Callback.reminded.is_(False),
                Callback.slot_start <= until,
            )
            .order_by(Callback.slot_start)
            .limit(limit)
        )
        if self.lock_rows:
            query = query.with_for_update(skip_locked=True)
        return list((await self.s.execute(query)).scalars())

    async def due(self, now: dt.datetime, limit: int = 50) -> list[Callback]:
        """Scheduled callbacks whose slot has opened and that were not announced yet."""
        query = (
            select(Callback)
            .where(
                Callback.status.in_(self.SCHEDULED),
                Callback.due_announced.is_(False),
                Callback.slot_start <= now,
            )
            .order_by(Callback.slot_start)
            .limit(limit)
        )
        if self.lock_rows:
            query = query.with_for_update(skip_locked=True)
        return list((await self.s.execute(query)).scalars())

    async def scheduled_before(self, until: dt.datetime) -> list[Callback]:
        """For /callbacks: every scheduled or waiting callback whose slot starts before
        `until` (today's and overdue ones)."""
        query = (
            select(Callback)
            .where(
                Callback.status.in_(("pending", "taken", "waiting")),
                Callback.slot_start < until,
            )
            .order_by(Callback.slot_start, Callback.id)
        )
        return list((await self.s.execute(query)).scalars())

    async def forget_conversation(self, conversation_id: int, now: dt.datetime) -> list[int]:
        """/forget: open requests are cancelled, every number and address erased, the link to
        the conversation dropped. Returns the ids whose staff cards must be redrawn."""
        query = select(Callback.id).where(
            Callback.conversation_id == conversation_id,
            Callback.status.in_(("pending", "taken", "waiting")),
        )
        shown = list((await self.s.execute(query)).scalars())
        await self.s.execute(
            delete(Callback).where(
                Callback.conversation_id == conversation_id, Callback.status == "draft"
            )
        )
        await self.s.execute(
            update(Callback)
            .where(
                Callback.conversation_id == conversation_id,
                Callback.status.in_(("pending", "taken", "waiting")),
            )
            .values(status="cancelled", closed_at=now)
        )
        await self.s.execute(
            update(Callback)
            .where(Callback.conversation_id == conversation_id)
            .values(phone_enc=None, routing_enc=None, conversation_id=None)
        )
        return shown

    async def list(self) -> list[Callback]:
        return list((await self.s.execute(select(Callback).order_by(Callback.id))).scalars())


class ChatMessageRepo:
    """Message ids of private chats, for /clear; rows older than Telegram's window are purged."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, pseudonym: str, message_ids: list[int]) -> None:
        self.s.add_all(ChatMessage(pseudonym=pseudonym, message_id=m) for m in message_ids)

    async def since(self, pseudonym: str, after: dt.datetime) -> list[int]:
        query = (
            select(ChatMessage.message_id)
            .where(ChatMessage.pseudonym == pseudonym, ChatMessage.sent_at > after)
            .order_by(ChatMessage.message_id)
        )
        return sorted(set((await self.s.execute(query)).scalars()))

    async def delete_for(self, pseudonym: str) -> None:
        await self.s.execute(delete(ChatMessage).where(ChatMessage.pseudonym == pseudonym))

    async def purge(self, before: dt.datetime) -> int:
        result = await self.s.execute(delete(ChatMessage).where(ChatMessage.sent_at <= before))
        return int(getattr(result, "rowcount", 0) or 0)


class Repos:
    """The repositories bound to one transaction."""

    def __init__(self, session: AsyncSession, lock_rows: bool = False) -> None:
        self.session = session
        self.conversations = ConversationRepo(session, lock_rows)
        self.cases = CaseRepo(session, lock_rows)
        self.intakes = IntakeRepo(session)
        self.callbacks = CallbackRepo(session, lock_rows)
        self.staff = StaffRepo(session)
        self.outbox = OutboxRepo(session, lock_rows)
        self.relay = RelayRepo(session)
        self.audit = AuditRepo(session)
        self.due_cases = DueCaseRepo(session, lock_rows)
        self.retention = RetentionRepo(session)
        self.chat_messages = ChatMessageRepo(session)
        self.inbox = InboxRepo(session, lock_rows)
        self.stats = StatsRepo(session)
        self.report_runs = ReportRunRepo(session)
        self.sms_inbound = SmsInboundRepo(session)

    @staticmethod
    def now() -> dt.datetime:
        return utcnow()
