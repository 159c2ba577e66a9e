"""Updates of one private chat are handled one after another, in the order they arrived.

aiogram handles each update as its own task, so three quick messages from a child could
otherwise be classified, relayed to staff and answered out of order. The lock is taken
before the first await of the chain (an uncontended asyncio.Lock does not suspend and a
contended one queues FIFO), so arrival order is kept; different chats still run at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Chat, TelegramObject

from bot.services.locks import KeyedLocks

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class PrivateChatOrder(BaseMiddleware):
    def __init__(self) -> None:
        self.locks = KeyedLocks()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        chat = data.get("event_chat")
        if not isinstance(chat, Chat) or chat.type != "private":
            return await handler(event, data)
        async with self.locks.hold(str(chat.id)):
            return await handler(event, data)
