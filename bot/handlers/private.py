"""Private chats with children and adults: every update becomes one dialog turn.

update -> Event -> TurnService.handle -> render. Nothing here decides what to say.
"""

from __future__ import annotations

import html
import re

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.classify.types import Classification
from bot.dialogs import Event
from bot.dialogs import texts as t
from bot.handlers import texts as ht
from bot.handlers.channel import TelegramChannel
from bot.handlers.render import ChoiceData, send_text
from bot.privacy import mask
from bot.services.turns import Outcome

ANY_COMMAND = Command(re.compile(r"[A-Za-z0-9_]{1,32}"))


def build_router() -> Router:
    """A fresh router per Dispatcher (a router can be attached to one parent only)."""
    router = Router(name="private")
    router.message.filter(F.chat.type == "private")
    router.edited_message.filter(F.chat.type == "private")
    router.callback_query.filter(F.message.chat.type == "private")
    router.message.register(run_command, ANY_COMMAND)
    router.message.register(take_text, F.text)
    router.message.register(take_other_content)
    router.edited_message.register(answer_edit)
    router.callback_query.register(press_choice, ChoiceData.filter())
    router.callback_query.register(ignore_other_button)
    return router


async def run_command(
    message: Message, command: CommandObject, bot: Bot, channel: TelegramChannel
) -> None:
    """/start [source], /help, /lang, /new, /forget, /privacy, /stop, /clear and unknown ones."""
    event = Event("command", command=command.command.lower(), arg=(command.args or "").strip())
    await channel.answer(bot, message, event)


async def take_text(
    message: Message,
    bot: Bot,
    channel: TelegramChannel,
    classification: Classification | None = None,
) -> None:
    event = Event("text", text=message.text or "", classification=classification)
    await channel.answer(bot, message, event)


async def take_other_content(
    message: Message,
    bot: Bot,
    channel: TelegramChannel,
    classification: Classification | None = None,
) -> None:
    """Photos, voice, video, files: in a case they are copied to the person who has it (the
    dialog decides); elsewhere, and for stickers, locations, contacts: "I read only text".

    A caption is read, though: a crisis written under a photo must not be missed.
    """
    found = classification or channel.classify(message.caption)
    kind = relayable_media(message)
    if kind is not None:
        event = Event(
            "media",
            text=message.caption or "",
            classification=found,
            media=kind,
            media_ref=message.message_id,
        )
    elif message.caption and found is not None and found.is_crisis:
        event = Event("text", text=message.caption, classification=found)
    else:
        event = Event("unsupported")
    await channel.answer(bot, message, event)


def relayable_media(message: Message) -> str | None:
    """Content a counsellor may see, copied with a masked caption. Not locations or contacts
    (an address, a phone number), nor a file whose name may say who the child is."""
    if message.document is not None:
        name = (message.document.file_name or "").rsplit(".", 1)[0].replace("_", " ")
        return "document" if mask(name) == name else None
    for kind in ("photo", "voice", "video", "audio", "animation"):
        if getattr(message, kind) is not None:
            return kind
    return None


async def answer_edit(message: Message, bot: Bot, channel: TelegramChannel) -> None:
    """Edits do not change the dialog, unless the new text is a crisis."""
    text = message.text or message.caption
    found = channel.classify(text)
    if text and found is not None and found.is_crisis:
        event = Event("text", text=text, classification=found)
        await channel.answer(bot, message, event)
        return
    language = await channel.language_of(message.chat.id, message.from_user)
    await send_text(bot, message.chat.id, ht.EDITED, language)


async def press_choice(
    query: CallbackQuery, callback_data: ChoiceData, bot: Bot, channel: TelegramChannel
) -> None:
    await query.answer()
    if not isinstance(query.message, Message):  # too old to be shown: answer in a new one
        chat_id = query.from_user.id
    else:
        chat_id = query.message.chat.id
    event = Event("choice", choice=callback_data.id)
    outcome = await channel.turn(chat_id, query.from_user, event)
    if isinstance(query.message, Message):
        await mark_answered(query.message, query.data or "", outcome)
    await channel.show(bot, chat_id, outcome)


async def ignore_other_button(query: CallbackQuery) -> None:
    await query.answer()


async def mark_answered(menu: Message, data: str, outcome: Outcome) -> None:
    """Remove the answered menu's keyboard and show the chosen option under its question."""
    stale = any(m.key == t.OLD_BUTTON for m in outcome.reply.messages)
    rows = menu.reply_markup.inline_keyboard if menu.reply_markup else []
    label = next((b.text for row in rows for b in row if b.callback_data == data), None)
    text = menu.html_text
    if label is not None and not stale:
        text += "\n\n✓ " + html.escape(label)
    try:
        await menu.edit_text(text, parse_mode="HTML", reply_markup=None)
    except TelegramBadRequest:  # unchanged, or deleted meanwhile: the next question still goes
        return
