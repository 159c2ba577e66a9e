"""Message ids of private chats for /clear, and the blocked flag of conversations.

Rows hold a pseudonym, a message id and a time; never the chat id (it comes from the update
at /clear time) and never text. Telegram lets a bot delete messages of a private chat for
48 hours, so rows older than that are useless and purged (on each /clear and by `purge`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.privacy import Identity
from storage import Store
from storage.models import ChatMessage

log = logging.getLogger(__name__)

CHANNEL = "telegram"
DELETE_WINDOW = dt.timedelta(hours=48)
DELETE_BATCH = 100  # deleteMessages takes at most 100 ids


FLUSH_AFTER_S = 0.5


class ChatLog:
    """Ids are buffered and written in one transaction every half second: one write per
    message sent would cost more than the turn itself under load. A crash loses at most
    the last half second of ids, which only means /clear misses those few messages."""

    def __init__(self, store: Store, identity: Identity) -> None:
        self.store = store
        self.identity = identity
        self._blocked: set[str] = set()  # pseudonyms; in memory, so sends stop at once
        self._pending: list[ChatMessage] = []
        self._flushing: asyncio.Task[None] | None = None

    def pseudonym(self, chat_id: int) -> str:
        return self.identity.pseudonym(CHANNEL, str(chat_id))

    # --- SendHooks (called by the session's SendGuard) -----------------------------------

    def is_blocked(self, chat_id: int) -> bool:
        return self.pseudonym(chat_id) in self._blocked

    async def blocked(self, chat_id: int) -> None:
        pseudonym = self.pseudonym(chat_id)
        self._blocked.add(pseudonym)
        async with self.store.transaction() as repos:
            await repos.conversations.mark_blocked(pseudonym, True)

    async def sent(self, chat_id: int, message_ids: list[int]) -> None:
        self._remember(self.pseudonym(chat_id), message_ids)

    def _remember(self, pseudonym: str, message_ids: list[int]) -> None:
        now = dt.datetime.now(dt.UTC)
        self._pending += [
            ChatMessage(pseudonym=pseudonym, message_id=m, sent_at=now) for m in message_ids
        ]
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.create_task(self._flush_soon())

    async def _flush_soon(self) -> None:
        await asyncio.sleep(FLUSH_AFTER_S)
        await self.flush()

    async def flush(self) -> None:
        """Write the buffered ids (also called before /clear and at shutdown)."""
        rows, self._pending = self._pending, []
        if not rows:
            return
        try:
            async with self.store.transaction() as repos:
                repos.session.add_all(rows)
        except Exception as exc:  # the ids only serve /clear: never let this break a turn
            log.warning("could not record message ids (%s)", type(exc).__name__.lower())

    # --- inbound -------------------------------------------------------------------------

    async def received(self, chat_id: int, message_id: int) -> None:
        """A user message: keep its id for /clear; writing again lifts a block (the turn
        itself also clears the stored flag)."""
        pseudonym = self.pseudonym(chat_id)
        self._remember(pseudonym, [message_id])
        if pseudonym in self._blocked:
            self._blocked.discard(pseudonym)
            async with self.store.transaction() as repos:
                await repos.conversations.mark_blocked(pseudonym, False)

    # --- /clear and the sweep ------------------------------------------------------------

    async def clear(self, bot: Bot, chat_id: int) -> int:
        """Delete this chat's messages still within Telegram's window; returns how many."""
        pseudonym = self.pseudonym(chat_id)
        await self.flush()
        async with self.store.transaction() as repos:
            now = repos.now()
            ids = await repos.chat_messages.since(pseudonym, now - DELETE_WINDOW)
            await repos.chat_messages.delete_for(pseudonym)
            await repos.chat_messages.purge(now - DELETE_WINDOW)
        for start in range(0, len(ids), DELETE_BATCH):
            batch = ids[start : start + DELETE_BATCH]
            try:
                await bot.delete_messages(chat_id, batch)
            except TelegramAPIError:  # an older Bot API without deleteMessages: one by one
                log.warning("deleteMessages refused; deleting one by one")
                await self._delete_each(bot, chat_id, batch)
        return len(ids)

    @staticmethod
    async def _delete_each(bot: Bot, chat_id: int, ids: list[int]) -> None:
        for message_id in ids:
            try:
                await bot.delete_message(chat_id, message_id)
            except TelegramAPIError:  # already gone, or too old: nothing left to do
                continue

    async def purge(self) -> int:
        """The periodic sweep: drop ids Telegram would no longer let us delete."""
        await self.flush()
        async with self.store.transaction() as repos:
            return await repos.chat_messages.purge(repos.now() - DELETE_WINDOW)
