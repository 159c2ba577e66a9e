"""Tables. The intake table has no column that could hold an identifier or message text."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything stored here is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[str]: JSON}


class Conversation(Base):
    """One contact's dialog. Known only by the HMAC pseudonym of its channel address."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(2))
    triage_count: Mapped[int] = mapped_column(Integer, default=0)
    intake_id: Mapped[int | None] = mapped_column(
        ForeignKey("intake_records.id", ondelete="SET NULL"), nullable=True
    )
    stopped: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Case(Base):
    """A contact that needs a human. The routing address is encrypted and erased on close."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), nullable=True, index=True
    )
    intake_id: Mapped[int | None] = mapped_column(
        ForeignKey("intake_records.id", ondelete="SET NULL"), nullable=True
    )
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    urgency: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(24))
    signals: Mapped[list[str]] = mapped_column(JSON, default=list)
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(2))
    caller: Mapped[str | None] = mapped_column(String(12), nullable=True)
    age_band: Mapped[str | None] = mapped_column(String(8), nullable=True)
    gender: Mapped[str | None] = mapped_column(String(8), nullable=True)
    region: Mapped[str | None] = mapped_column(String(24), nullable=True)
    routing_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(24), nullable=True)
    # Staff side: where the card and the case's forum topic are in the staff group.
    card_message_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    thread_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    realerts: Mapped[int] = mapped_column(Integer, default=0)
    close_draft: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # Why messages to the person do not arrive, shown on the card: opted_out (STOP),
    # bad_address (not a mobile number), relay_failed (a delivery report said failed).
    delivery_problem: Mapped[str | None] = mapped_column(String(16), nullable=True)


class CaseMessage(Base):
    """Transcript of an open case, masked before it is stored; erased after retention."""

    __tablename__ = "case_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(8))  # user | staff
    text_masked: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class IntakeRecord(Base):
    """Anonymized statistics row (SPEC section 6): period, not timestamps; slugs, not text."""

    __tablename__ = "intake_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_date: Mapped[dt.date] = mapped_column(Date, index=True)
    period_hour: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(String(32), nullable=True)
    language: Mapped[str] = mapped_column(String(2))
    caller: Mapped[str | None] = mapped_column(String(12), nullable=True)
    age_band: Mapped[str | None] = mapped_column(String(8), nullable=True)
    gender: Mapped[str | None] = mapped_column(String(8), nullable=True)
    region: Mapped[str | None] = mapped_column(String(24), nullable=True)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    urgency: Mapped[str] = mapped_column(String(8))
    service: Mapped[str | None] = mapped_column(String(16), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(24), nullable=True)
    repeat_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    time_to_claim_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    citizenship: Mapped[str | None] = mapped_column(String(24), nullable=True)
    nationality: Mapped[str | None] = mapped_column(String(24), nullable=True)
    education: Mapped[str | None] = mapped_column(String(24), nullable=True)
    living_situation: Mapped[str | None] = mapped_column(String(24), nullable=True)
    family_status: Mapped[str | None] = mapped_column(String(24), nullable=True)


class Callback(Base):
    """A parent's callback request. The number and the parent's address are encrypted, and
    erased when the callback is done or cancelled, and at the retention deadline.

    status: draft (number given, not confirmed) → pending → taken → done | cancelled;
    `waiting` after two unanswered calls, until the parent picks a new slot.
    """

    __tablename__ = "callbacks"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), nullable=True, index=True
    )
    intake_id: Mapped[int | None] = mapped_column(
        ForeignKey("intake_records.id", ondelete="SET NULL"), nullable=True
    )
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    window: Mapped[str] = mapped_column(String(8), default="")  # "15-18", helpline time
    service: Mapped[str] = mapped_column(String(16), default="psychological")
    language: Mapped[str] = mapped_column(String(2), default="ru")
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Issue 10: the slot, who the parent is (for the card), and the staff side.
    slot: Mapped[str | None] = mapped_column(String(16), nullable=True)  # 20261201-15-18
    slot_start: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True, index=True
    )
    slot_end: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    channel: Mapped[str] = mapped_column(String(16), default="telegram")
    routing_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    category: Mapped[str | None] = mapped_column(String(24), nullable=True)
    caller: Mapped[str | None] = mapped_column(String(12), nullable=True)
    age_band: Mapped[str | None] = mapped_column(String(8), nullable=True)
    region: Mapped[str | None] = mapped_column(String(24), nullable=True)
    taken_by: Mapped[str | None] = mapped_column(String(64), nullable=True)  # staff alias no.
    no_answers: Mapped[int] = mapped_column(Integer, default=0)
    reminded: Mapped[bool] = mapped_column(Boolean, default=False)
    due_announced: Mapped[bool] = mapped_column(Boolean, default=False)
    card_message_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ChatMessage(Base):
    """Ids of Telegram messages in a private chat, kept only for /clear's 48-hour window.

    No chat id and no text: at /clear time the chat id comes from the update itself.
    """

    __tablename__ = "chat_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64), index=True)
    message_id: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
