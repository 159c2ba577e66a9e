"""What the Telegram handlers share: turning an update into an `Inbound`, running the turn,
and showing its outcome. Handlers stay a few lines each on top of this."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.types import Message, User

from bot.classify.types import LANGUAGES, Classification
from bot.dialogs import Event
from bot.dialogs.model import ClearChat
from bot.handlers.render import send_reply
from bot.inbox import current_update
from bot.outbox import OutboxSender
from bot.services.turns import Inbound, Outcome, TurnService
from bot.telegram.chat_log import CHANNEL, ChatLog
from bot.telegram.ratelimit import TokenBuckets

log = logging.getLogger(__name__)

# Telegram sends IETF tags ("ru", "ru-RU", "kk"); some clients say "kz" for Kazakh.
_LANGUAGE_ALIASES = {"kz": "kk"}


def platform_language(user: User | None) -> str | None:
    code = (user.language_code or "") if user is not None else ""
    base = code.replace("_", "-").split("-", 1)[0].lower()
    base = _LANGUAGE_ALIASES.get(base, base)
    return base if base in LANGUAGES else None


class TelegramChannel:
    def __init__(
        self,
        turns: TurnService,
        chat_log: ChatLog,
        default_language: str = "ru",
        buckets: TokenBuckets | None = None,
        outbox: OutboxSender | None = None,
    ) -> None:
        self.turns = turns
        self.chat_log = chat_log
        self.default_language = default_language
        self.buckets = buckets or TokenBuckets()
        self.outbox = outbox  # replies go through it (sent at once when the API is up)

    def classify(self, text: str | None) -> Classification | None:
        return self.turns.classify(text or "")

    async def turn(self, chat_id: int, user: User | None, event: Event) -> Outcome:
        inbound = Inbound(
            CHANNEL, str(chat_id), event, platform_language(user), inbox_id=current_update()
        )
        return await self.turns.handle(inbound)

    async def answer(self, bot: Bot, message: Message, event: Event) -> None:
        """Run the turn for a user's message and show its outcome in that chat."""
        outcome = await self.turn(message.chat.id, message.from_user, event)
        await self.show(bot, message.chat.id, outcome)

    async def show(self, bot: Bot, chat_id: int, outcome: Outcome) -> None:
        """Send the turn's reply (queued in the outbox by the turn: sent now when the Bot
        API answers, later by the outbox worker when it does not); carry out what only the
        channel can do (/clear)."""
        if self.outbox is not None and outcome.outbox_ids:
            await self.outbox.send_now(outcome.outbox_ids)
        elif self.outbox is None:
            await send_reply(bot, chat_id, outcome.reply, outcome.language)
        if any(isinstance(a, ClearChat) for a in outcome.channel_actions):
            # Nothing is sent afterwards: an empty chat is the answer, and no notice is
            # left behind on a phone someone else may read.
            await self.chat_log.clear(bot, chat_id)

    async def language_of(self, chat_id: int, user: User | None) -> str:
        """The conversation's language, for texts outside a turn (flood notice, apology)."""
        try:
            async with self.turns.store.transaction() as repos:
                conv = await repos.conversations.get(self.chat_log.pseudonym(chat_id))
                if conv is not None:
                    return conv.language
        except Exception as exc:  # the database may be what failed: fall back, still answer
            log.warning("conversation language unavailable (%s)", type(exc).__name__.lower())
        return platform_language(user) or self.default_language
