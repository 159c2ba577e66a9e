"""The message-id log and the blocked flag, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import DeleteMessages

from bot.privacy import Identity
from bot.telegram.chat_log import DELETE_WINDOW, ChatLog
from storage import Store
from storage.models import ChatMessage

from .mocked_bot import MockedBot

CHAT = 4242


async def test_blocked_flag_follows_403_and_the_next_message(
    store: Store, identity: Identity
) -> None:
    log = ChatLog(store, identity)
    async with store.transaction() as repos:
        await repos.conversations.get_or_create(log.pseudonym(CHAT), "telegram", {}, "ru")
    await log.blocked(CHAT)
    assert log.is_blocked(CHAT)
    async with store.transaction() as repos:
        conv = await repos.conversations.get(log.pseudonym(CHAT))
        assert conv is not None and conv.blocked
    await log.received(CHAT, 7)
    assert not log.is_blocked(CHAT)
    async with store.transaction() as repos:
        conv = await repos.conversations.get(log.pseudonym(CHAT))
        assert conv is not None and not conv.blocked


async def test_clear_deletes_recent_ids_in_batches_and_purges_old_ones(
    store: Store, identity: Identity
) -> None:
    log = ChatLog(store, identity)
    await log.sent(CHAT, list(range(1, 151)))
    async with store.transaction() as repos:
        old = repos.now() - DELETE_WINDOW - dt.timedelta(minutes=1)
        repos.session.add(ChatMessage(pseudonym=log.pseudonym(CHAT), message_id=999, sent_at=old))
    bot = MockedBot()
    assert await log.clear(bot, CHAT) == 150
    batches = [c.message_ids for c in bot.session.calls]
    assert [len(b) for b in batches] == [100, 50] and 999 not in batches[0] + batches[1]
    assert await log.purge() == 0  # the old row went with the /clear
    async with store.transaction() as repos:
        assert await repos.chat_messages.since(log.pseudonym(CHAT), old - DELETE_WINDOW) == []


async def test_clear_falls_back_to_one_by_one(store: Store, identity: Identity) -> None:
    log = ChatLog(store, identity)
    await log.sent(CHAT, [5, 6])
    bot = MockedBot()
    bot.session.fail(TelegramBadRequest(DeleteMessages(chat_id=CHAT, message_ids=[5]), "no"))
    await log.clear(bot, CHAT)
    assert [type(c).__name__ for c in bot.session.calls] == [
        "DeleteMessages",
        "DeleteMessage",
        "DeleteMessage",
    ]
