"""Outer middlewares of the private-chat router: keep message ids for /clear, flood control."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import Message, TelegramObject

from bot.handlers import texts as ht
from bot.handlers.channel import TelegramChannel
from bot.handlers.render import send_text

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def _private(event: TelegramObject) -> Message | None:
    return event if isinstance(event, Message) and event.chat.type == "private" else None


class RememberInbound(BaseMiddleware):
    """Keeps the id of every user message (for /clear); failure never blocks the turn."""

    def __init__(self, channel: TelegramChannel) -> None:
        self.channel = channel

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        message = _private(event)
        if message is not None:
            try:
                await self.channel.chat_log.received(message.chat.id, message.message_id)
            except Exception as exc:
                log.warning("could not record an inbound message id (%s)", type(exc).__name__)
        return await handler(event, data)


class FloodControl(BaseMiddleware):
    """Drops messages over the per-user rate, with one friendly notice per window.

    A message over the limit is classified first: a crisis always goes through, and its
    classification travels on in `data` so the turn does not compute it again.
    """

    def __init__(self, channel: TelegramChannel) -> None:
        self.channel = channel

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        message = _private(event)
        if message is None:
            return await handler(event, data)
        key = self.channel.chat_log.pseudonym(message.chat.id)
        if self.channel.buckets.allow(key):
            return await handler(event, data)
        classification = self.channel.classify(message.text or message.caption)
        if classification is not None and classification.is_crisis:
            data["classification"] = classification
            return await handler(event, data)
        log.info("message over the rate limit dropped")
        if self.channel.buckets.should_notice(key):
            bot: Bot = data["bot"]
            language = await self.channel.language_of(message.chat.id, message.from_user)
            await send_text(bot, message.chat.id, ht.SLOW_DOWN, language)
        return None
