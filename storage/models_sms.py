"""Tables of the SMS channel: the replies to webhooks already answered (Twilio retries)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow


class SmsInbound(Base):
    """An inbound SMS already handled, by Twilio's MessageSid, with the TwiML body we answered.

    Twilio re-posts a webhook it got no answer to; the same MessageSid gets the same answer and
    no second turn. No phone number and no text of the person: only our own reply, kept for a
    day (see `SmsInboundRepo.purge`).
    """

    __tablename__ = "sms_inbound"

    message_sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    reply: Mapped[str | None] = mapped_column(Text, nullable=True)  # None while in progress
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
