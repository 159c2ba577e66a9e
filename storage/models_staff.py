"""Tables of the staff side: roster, durable outbox, relay links, audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow


class StaffMember(Base):
    """A staff member known by the pseudonym of their Telegram id and a numbered alias."""

    __tablename__ = "staff_members"

    id: Mapped[int] = mapped_column(primary_key=True)  # the alias number: "Counsellor 3"
    pseudonym: Mapped[str] = mapped_column(String(64), unique=True)
    on_duty: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class OutboxMessage(Base):
    """A message to deliver, written in the same transaction as the change that causes it.

    `target` is "staff", "coordinator" or "user" (a user row carries the encrypted routing
    address; it is erased with the payload once sent). Rows of one case are sent in id order.
    """

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("dedup_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), nullable=True, index=True
    )
    # A callback's rows (its card, notes, messages to the parent) are ordered like a case's.
    callback_id: Mapped[int | None] = mapped_column(
        ForeignKey("callbacks.id", ondelete="CASCADE"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(12))
    # the channel that delivers the row: the person's channel for "user" rows, else telegram
    channel: Mapped[str] = mapped_column(String(16), default="telegram", index=True)
    # 0 crisis cards and safety texts, 1 other cards and alerts, 2 relays, 3 the rest
    priority: Mapped[int] = mapped_column(Integer, default=3, index=True)
    # rows of one stream go out in id order: "u:<pseudonym>" (a person), "c:<case>:<target>"
    stream: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dedup_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # the provider's id of the sent message (Twilio's MessageSid), for delivery reports
    external_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)


class RelayLink(Base):
    """A message in the staff group that belongs to a case, so replies to it route back."""

    __tablename__ = "relay_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    staff_message_id: Mapped[int] = mapped_column(Integer, unique=True)


class AuditEntry(Base):
    """Staff actions by pseudonym and time (SPEC section 6)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    case_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    callback_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # What an export covered, e.g. "stats 2026-01-01..2026-03-31 md"; no personal data.
    detail: Mapped[str | None] = mapped_column(String(64), nullable=True)
