"""The Telegram channel's outbound half (`ChannelDelivery`): one message to a private chat.

Renders an `Outbound` the Telegram way (HTML, every value escaped; choices as an inline
keyboard on the last part; texts over 4,096 characters split at paragraph breaks) and maps
Bot API failures onto the delivery contract. The bot's session (SendGuard) records the ids
of sent messages for /clear and marks a chat blocked on 403.
"""

from __future__ import annotations

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
)

from bot.channels.delivery import BadAddress, Delivered, OptedOut, Outbound, RetryAfter
from bot.dialogs import Reply
from bot.dialogs import texts as t
from bot.handlers.render import chunks, keyboard, plain_text
from bot.i18n import gettext
from bot.telegram.sender import single_attempt

CHANNEL = "telegram"


def render(message: Outbound) -> tuple[list[str], bool]:
    """The HTML parts of a message, and whether the last one carries the keyboard."""
    if message.text is not None:
        return chunks(message.text), False
    reply = Reply(list(message.messages), list(message.choices))
    text = plain_text(reply, message.language)
    if not text and message.choices:
        text = gettext(t.CHOOSE_OPTION, message.language)
    return (chunks(text) if text else []), bool(message.choices)


class TelegramDelivery:
    name = CHANNEL

    def __init__(self, bot: Bot, staff_chat_id: int | None = None) -> None:
        self.bot = bot
        self.staff_chat_id = staff_chat_id  # where copied media (a counsellor's photo) is

    async def deliver(self, address: str, message: Outbound) -> Delivered:
        try:
            chat_id = int(address)
        except ValueError:
            raise BadAddress("not a chat id") from None
        try:
            with single_attempt():
                return await self._send(chat_id, message)
        except TelegramRetryAfter as exc:
            raise RetryAfter(float(exc.retry_after)) from None
        except TelegramForbiddenError:
            raise OptedOut("blocked") from None
        except (TelegramBadRequest, TelegramNotFound):
            raise BadAddress("refused") from None

    async def _send(self, chat_id: int, message: Outbound) -> Delivered:
        if message.copy_of is not None:
            if self.staff_chat_id is None:
                raise BadAddress("no staff group to copy from")
            copied = await self.bot.copy_message(chat_id, self.staff_chat_id, message.copy_of)
            return Delivered(message_id=copied.message_id)
        parts, with_keyboard = render(message)
        markup = keyboard(list(message.choices), message.language) if with_keyboard else None
        last_id: int | None = None
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            sent = await self.bot.send_message(
                chat_id, part, parse_mode="HTML", reply_markup=markup if last else None
            )
            last_id = sent.message_id
        return Delivered(message_id=last_id)
