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
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


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


# The breakdowns of the statistics report (SPEC section 7), in packs of a few columns whose
# value combinations are few (hundreds). Each pack has one covering index (its columns, then
# period_date), so the report is one index-only grouped scan per pack, not one per column:
# three scans for sixteen breakdowns (bench/stats.py).
STATS_PACKS: tuple[tuple[str, ...], ...] = (
    ("caller", "gender", "age_band", "urgency", "channel", "language", "repeat_contact", "demo"),
    ("region", "citizenship", "nationality", "education"),
    ("living_situation", "family_status", "service", "outcome", "source"),
)
STATS_DIMENSIONS: tuple[str, ...] = tuple(name for pack in STATS_PACKS for name in pack)


class IntakeRecord(Base):
    """Anonymized statistics row (SPEC section 6): period, not timestamps; slugs, not text.

    Categories are rows of `intake_categories` (groupable in SQL); `categories` reads and
    writes them as a list of slugs. `demo` marks synthetic rows from `helpline demo-data`.
    """

    __tablename__ = "intake_records"
    __table_args__ = (
        *(
            Index(f"ix_intake_stats_{i}", *pack, "period_date")
            for i, pack in enumerate(STATS_PACKS, 1)
        ),
        Index("ix_intake_stats_claim", "urgency", "period_date", "time_to_claim_s"),
    )

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
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    category_rows: Mapped[list[IntakeCategory]] = relationship(
        back_populates="record",
        cascade="all, delete-orphan",
        lazy="selectin",  # async sessions cannot lazy-load; a record has one or two rows
        order_by="IntakeCategory.position",
    )

    @property
    def categories(self) -> list[str]:
        return [row.slug for row in self.category_rows]

    @categories.setter
    def categories(self, slugs: list[str]) -> None:
        # Keep rows that stay (no delete + insert of one key); drop repeats.
        kept = {row.slug: row for row in self.category_rows}
        rows = []
        for position, slug in enumerate(dict.fromkeys(slugs)):
            row = kept.get(slug) or IntakeCategory(slug=slug)
            row.position = position
            row.period_date = self.period_date
            rows.append(row)
        self.category_rows = rows


class IntakeCategory(Base):
    """One consultation category of an intake record. `period_date` is the record's, copied
    so that counts per category of a period are one index-only scan, without a join."""

    __tablename__ = "intake_categories"
    __table_args__ = (Index("ix_intake_categories_stats", "slug", "period_date"),)

    intake_id: Mapped[int] = mapped_column(
        ForeignKey("intake_records.id", ondelete="CASCADE"), primary_key=True
    )
    slug: Mapped[str] = mapped_column(String(24), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    period_date: Mapped[dt.date] = mapped_column(Date)
    record: Mapped[IntakeRecord] = relationship(back_populates="category_rows")


@event.listens_for(IntakeCategory, "before_insert")
def _copy_period_date(_mapper: object, _conn: object, row: IntakeCategory) -> None:
    """Categories given before the record's date (constructor order) still get it."""
    if row.period_date is None and row.record is not None:
        row.period_date = row.record.period_date


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
