"""Repository of the SMS channel's webhook replies (idempotency by MessageSid)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models_sms import SmsInbound


class SmsInboundRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def claim(self, message_sid: str) -> bool:
        """True when this MessageSid is new (it is now taken); False when seen before."""
        try:
            async with self.s.begin_nested():
                self.s.add(SmsInbound(message_sid=message_sid))
        except IntegrityError:
            return False
        return True

    async def reply_for(self, message_sid: str) -> tuple[bool, str | None]:
        """(seen, reply): the answer given to this MessageSid, None while still in progress."""
        found = await self.s.get(SmsInbound, message_sid, populate_existing=True)
        return (found is not None, found.reply if found is not None else None)

    async def answered(self, message_sid: str, reply: str) -> None:
        found = await self.s.get(SmsInbound, message_sid)
        if found is None:
            self.s.add(SmsInbound(message_sid=message_sid, reply=reply))
        else:
            found.reply = reply

    async def release(self, message_sid: str) -> None:
        """The turn failed: let Twilio's retry run it again."""
        await self.s.execute(delete(SmsInbound).where(SmsInbound.message_sid == message_sid))

    async def purge(self, before: dt.datetime) -> int:
        result = await self.s.execute(delete(SmsInbound).where(SmsInbound.created_at < before))
        return int(getattr(result, "rowcount", 0) or 0)

    async def count(self) -> int:
        return len(list((await self.s.execute(select(SmsInbound.message_sid))).scalars()))
