"""Last line of defence: whatever failed, the user still gets an answer with the 24/7 numbers.

Logs only the exception's type: messages of database or API errors can carry user data.
"""

from __future__ import annotations

import contextlib
import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramForbiddenError
from aiogram.types import ErrorEvent, User

from bot.handlers import texts as ht
from bot.handlers.channel import TelegramChannel
from bot.handlers.render import send_text

log = logging.getLogger(__name__)


def build_router() -> Router:
    router = Router(name="errors")
    router.errors.register(apologize)
    return router


def private_chat(event: ErrorEvent) -> tuple[int, User | None] | None:
    update = event.update
    message = update.message or update.edited_message
    if message is not None and message.chat.type == "private":
        return message.chat.id, message.from_user
    query = update.callback_query
    if query is not None and query.message is not None and query.message.chat.type == "private":
        return query.message.chat.id, query.from_user
    return None


async def apologize(event: ErrorEvent, bot: Bot, channel: TelegramChannel) -> None:
    log.error("update failed: " + type(event.exception).__name__)  # a class name, no data
    where = private_chat(event)
    if where is None or isinstance(event.exception, TelegramForbiddenError):
        return  # not a user's chat, or the user blocked the bot: nobody to answer
    if event.update.callback_query is not None:
        with contextlib.suppress(Exception):  # already answered or expired: fine
            await event.update.callback_query.answer()
    chat_id, user = where
    try:
        await send_text(bot, chat_id, ht.ERROR_APOLOGY, await channel.language_of(chat_id, user))
    except Exception as exc:
        log.error("could not send the apology (%s)", type(exc).__name__.lower())
