"""Render a dialog outcome for Telegram: HTML text (every value escaped) and inline keyboards.

Callback data carries only the stable choice id (`c|<id>`), never user text, and stays under
Telegram's 64-byte limit. "I need help now" is always the last row, alone.
"""

from __future__ import annotations

import html

from aiogram import Bot
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

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


def reply_text(reply: Reply, language: str) -> str:
    """All messages of one turn in one Telegram message, HTML-escaped."""
    return "\n\n".join(html.escape(render(m, language), quote=False) for m in reply.messages)


def _chunks(text: str) -> list[str]:
    """Split at paragraph breaks when a turn is longer than one Telegram message."""
    if len(text) <= MAX_TEXT:
        return [text]
    out, current = [], ""
    for part in text.split("\n\n"):
        candidate = f"{current}\n\n{part}" if current else part
        if len(candidate) > MAX_TEXT and current:
            out.append(current)
            candidate = part
        current = candidate[:MAX_TEXT]
    return [*out, current]


async def send_reply(bot: Bot, chat_id: int, reply: Reply, language: str) -> list[Message]:
    """Send one turn: its texts, with the choices as a keyboard on the last message."""
    text = reply_text(reply, language)
    markup = keyboard(reply.choices, language)
    if not text and markup is None:
        return []
    parts = (
        _chunks(text) if text else [html.escape(gettext(t.CHOOSE_OPTION, language), quote=False)]
    )
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
