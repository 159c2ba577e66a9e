"""Render a dialog outcome for Telegram: HTML text (every value escaped) and inline keyboards.

Callback data carries only the stable choice id (`c|<id>`), never user text, and stays under
Telegram's 64-byte limit. "I need help now" is always the last row, alone.
"""

from __future__ import annotations

import html

from aiogram import Bot
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.channels.split import split_text
from bot.dialogs import Reply
from bot.dialogs import texts as t
from bot.dialogs.model import Choice
from bot.dialogs.prompts import HELP_NOW
from bot.i18n import gettext, render

MAX_CALLBACK_BYTES = 64
MAX_TEXT = 4096
# Buttons per row for menus of short labels; everything else gets one button per row.
COLUMNS = {"region": 2, "lang": 3, "age": 3, "gender": 2}


class ChoiceData(CallbackData, prefix="c", sep="|"):
    """A pressed dialog choice; `|` separates because choice ids contain `:`."""

    id: str


def pack_choice(choice_id: str) -> str:
    packed = ChoiceData(id=choice_id).pack()
    assert len(packed.encode()) < MAX_CALLBACK_BYTES, choice_id
    return packed


def _kind(choice: Choice) -> str:
    return choice.id.partition(":")[0] if ":" in choice.id else choice.id


def keyboard(choices: list[Choice], language: str) -> InlineKeyboardMarkup | None:
    """Rows grouped by kind of choice (regions two by two); help-now last, on its own."""
    if not choices:
        return None
    rows: list[list[InlineKeyboardButton]] = []
    last_kind = ""
    for choice in [c for c in choices if c.id != HELP_NOW]:
        kind = _kind(choice)
        button = InlineKeyboardButton(
            text=render(choice.label, language), callback_data=pack_choice(choice.id)
        )
        width = COLUMNS.get(kind, 1)
        if rows and kind == last_kind and len(rows[-1]) < width:
            rows[-1].append(button)
        else:
            rows.append([button])
        last_kind = kind
    for choice in choices:
        if choice.id == HELP_NOW:
            rows.append(
                [
                    InlineKeyboardButton(
                        text=render(choice.label, language), callback_data=pack_choice(HELP_NOW)
                    )
                ]
            )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def plain_text(reply: Reply, language: str) -> str:
    """All messages of one turn as one text, before escaping."""
    return "\n\n".join(render(m, language) for m in reply.messages)


def reply_text(reply: Reply, language: str) -> str:
    """All messages of one turn in one Telegram message, HTML-escaped."""
    return html.escape(plain_text(reply, language), quote=False)


def _escaped_len(text: str) -> int:
    return len(html.escape(text, quote=False))


def chunks(plain: str) -> list[str]:
    """A plain text as HTML-escaped parts of at most 4,096 characters each (split at
    paragraph breaks where possible; nothing is cut off)."""
    return [html.escape(part, quote=False) for part in split_text(plain, MAX_TEXT, _escaped_len)]


async def send_reply(bot: Bot, chat_id: int, reply: Reply, language: str) -> list[Message]:
    """Send one turn: its texts, with the choices as a keyboard on the last message."""
    text = plain_text(reply, language)
    markup = keyboard(reply.choices, language)
    if not text and markup is None:
        return []
    parts = chunks(text or gettext(t.CHOOSE_OPTION, language))
    sent = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        sent.append(
            await bot.send_message(
                chat_id, part, parse_mode="HTML", reply_markup=markup if last else None
            )
        )
    return sent


async def send_text(bot: Bot, chat_id: int, key: str, language: str) -> Message:
    return await bot.send_message(
        chat_id, html.escape(gettext(key, language), quote=False), parse_mode="HTML"
    )
