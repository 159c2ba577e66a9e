"""Delivers the staff side's outbox rows through the Telegram Bot API (aiogram).

The staff group sees cards (edited in place), relayed user messages, re-alerts; the
coordinator gets alerts. Rows for people go through their channel's delivery instead
(`bot/channels/delivery.py`). Nothing here logs an address.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters

from bot.handlers.render import chunks
from bot.i18n import translations
from bot.outbox import Delivered, RetryLater, Undeliverable
from bot.privacy import Identity
from bot.staff import callback_cards, cards
from bot.staff import texts as st
from bot.staff.callbacks import StaffAction
from bot.telegram.sender import single_attempt
from storage.models_staff import OutboxMessage
from storage.repositories import Repos

MAX_CAPTION = 1024  # Telegram's limit for a media caption


@dataclass(slots=True)
class Prepared:
    chat_id: int
    text: str | None = None
    markup: InlineKeyboardMarkup | None = None
    edit_message_id: int | None = None
    reply_to: int | None = None
    thread_id: int | None = None
    topic_name: str | None = None
    copy_from: tuple[int, int] | None = None  # (chat, message) of the person's media
    delete_message_id: int | None = None  # retention: delete, or blank when too old
    delete_thread_id: int | None = None  # retention: the case's forum topic
    more: list[str] = field(default_factory=list)  # further parts of a long text
    extra: dict[str, Any] = field(default_factory=dict)


def keyboard(rows: list[list[cards.Button]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=b.label,
                    callback_data=StaffAction(action=b.action, case=b.case, value=b.value).pack(),
                )
                for b in row
            ]
            for row in rows
        ]
    )


class TelegramTransport:
    def __init__(
        self,
        bot: Bot,
        staff_chat_id: int,
        coordinator_chat_id: int | None,
        staff_language: str,
        identity: Identity | None = None,
    ) -> None:
        self.bot = bot
        self.identity = identity  # to copy a person's photo from their chat to the case
        self.staff_chat_id = staff_chat_id
        self.coordinator_chat_id = coordinator_chat_id
        self.lang = staff_language

    def chat_key(self, row: OutboxMessage) -> tuple[str, bool]:
        if row.target == "coordinator":
            return "telegram:coordinator", (self.coordinator_chat_id or 0) < 0
        return "telegram:staff", True

    async def render(self, repos: Repos, row: OutboxMessage) -> Prepared:
        if row.callback_id is not None:
            return await self._callback_row(repos, row)
        case = await repos.cases.get(row.case_id or 0)
        if case is None:
            raise Undeliverable("case gone")
        _ = translations(self.lang).gettext
        if row.target == "coordinator":
            if self.coordinator_chat_id is None:
                raise Undeliverable("no coordinator configured")
            key = (
                st.COORDINATOR_NOBODY
                if row.payload.get("key") == "nobody"
                else (st.COORDINATOR_ALERT)
            )
            urgency = _(cards.urgency_label(case))
            text = _(key).format(number=case.id, urgency=urgency)
            return Prepared(self.coordinator_chat_id, text=html.escape(text))
        if row.kind in ("card", "card_edit"):
            footer = cards.close_form_prompt(case, self.lang) if case.close_draft else ""
            messages = await repos.cases.messages(case.id)
            view = cards.card(case, messages, self.lang, repos.now(), footer)
            text = view.text
            edit = case.card_message_id if row.kind == "card_edit" else None
            return Prepared(
                self.staff_chat_id, html.escape(text), keyboard(view.rows), edit_message_id=edit
            )
        if row.kind == "topic":
            return Prepared(self.staff_chat_id, topic_name=f"#{case.id}")
        if row.kind == "scrub":
            text = _(st.REMOVED_AFTER_RETENTION).format(number=case.id)
            return Prepared(
                self.staff_chat_id,
                text=html.escape(text),
                delete_message_id=row.payload.get("message"),
                delete_thread_id=row.payload.get("thread"),
            )
        if row.kind == "realert":
            text = _(st.REALERT).format(number=case.id)
        else:  # relay_in: what the user wrote, masked; split when over Telegram's limit
            text = _(st.FROM_USER).format(number=case.id) + "\n" + row.payload.get("text", "")
        copy_from = None
        if "copy" in row.payload:  # their photo or voice, copied with the masked caption
            if case.routing_enc is None or self.identity is None:
                raise Undeliverable("address erased")
            user_chat = int(self.identity.decrypt(case.routing_enc))
            copy_from = (user_chat, int(row.payload["copy"]))
        parts = chunks(text)
        return Prepared(
            self.staff_chat_id,
            parts[0],
            reply_to=None if case.thread_id else case.card_message_id,
            thread_id=case.thread_id,
            copy_from=copy_from,
            more=parts[1:],
        )

    async def _callback_row(self, repos: Repos, row: OutboxMessage) -> Prepared:
        """A callback's card, 'due now' card, note, or coordinator alert (never the number)."""
        cb = await repos.callbacks.get(row.callback_id or 0)
        if cb is None:
            raise Undeliverable("callback gone")
        if row.target == "coordinator":
            if self.coordinator_chat_id is None:
                raise Undeliverable("no coordinator configured")
            text = callback_cards.coordinator_text(cb, self.lang)
            return Prepared(self.coordinator_chat_id, text=html.escape(text))
        if row.kind == "cb_note":
            text = callback_cards.note_text(
                cb, self.lang, row.payload.get("key", ""), row.payload.get("text", "")
            )
            return Prepared(self.staff_chat_id, html.escape(text), reply_to=cb.card_message_id)
        view = callback_cards.card(cb, self.lang, due=row.kind == "cb_due")
        edit = cb.card_message_id if row.kind == "cb_edit" else None
        return Prepared(
            self.staff_chat_id, html.escape(view.text), keyboard(view.rows), edit_message_id=edit
        )

    async def send(self, row: OutboxMessage, prepared: Any) -> Delivered:
        with single_attempt():  # waits and retries are the outbox's, per destination
            return await self._send(prepared)

    async def _send(self, p: Prepared) -> Delivered:
        try:
            return await self._call(p)
        except TelegramRetryAfter as exc:
            raise RetryLater(float(exc.retry_after)) from None
        except TelegramForbiddenError:
            raise Undeliverable("forbidden") from None
        except TelegramBadRequest as exc:
            if "not modified" in exc.message:
                return Delivered(message_id=p.edit_message_id)
            if p.edit_message_id is not None and "not found" in exc.message:
                p.edit_message_id = None  # the card was deleted: post a new one
                return await self._call(p)
            raise Undeliverable("bad request") from None
        except TelegramNotFound:
            raise Undeliverable("not found") from None

    async def _scrub(self, p: Prepared) -> Delivered:
        if p.delete_thread_id is not None:
            await self.bot.delete_forum_topic(p.chat_id, p.delete_thread_id)
            return Delivered()
        message_id = p.delete_message_id or 0
        try:
            await self.bot.delete_message(p.chat_id, message_id)
        except TelegramBadRequest:  # older than 48 hours: a bot can still edit its own
            try:
                await self.bot.edit_message_text(
                    text=p.text or "", chat_id=p.chat_id, message_id=message_id
                )
            except TelegramBadRequest:  # a copied photo or voice: blank its caption
                await self.bot.edit_message_caption(
                    chat_id=p.chat_id, message_id=message_id, caption=p.text or ""
                )
        return Delivered()

    async def _call(self, p: Prepared) -> Delivered:
        if p.delete_message_id is not None or p.delete_thread_id is not None:
            return await self._scrub(p)
        if p.topic_name is not None:
            topic = await self.bot.create_forum_topic(p.chat_id, p.topic_name)
            return Delivered(thread_id=topic.message_thread_id)
        reply = (
            ReplyParameters(message_id=p.reply_to, allow_sending_without_reply=True)
            if (p.reply_to)
            else None
        )
        if p.copy_from is not None:  # the person's photo or voice, with a masked caption
            # a caption holds 1,024 characters: a longer text follows as messages
            caption = p.text if p.text and len(p.text) <= MAX_CAPTION else None
            copied = await self.bot.copy_message(
                p.chat_id,
                p.copy_from[0],
                p.copy_from[1],
                caption=caption,
                parse_mode="HTML",
                message_thread_id=p.thread_id,
                reply_parameters=reply,
            )
            rest = p.more if caption is not None else [p.text or "", *p.more]
            return await self._send_parts(p, [t for t in rest if t], reply, [copied.message_id])
        if p.edit_message_id is not None:
            await self.bot.edit_message_text(
                text=p.text or "",
                chat_id=p.chat_id,
                message_id=p.edit_message_id,
                reply_markup=p.markup,
                parse_mode="HTML",
            )
            return Delivered(message_id=p.edit_message_id)
        return await self._send_parts(p, [p.text or "", *p.more], reply)

    async def _send_parts(
        self,
        p: Prepared,
        texts: list[str],
        reply: ReplyParameters | None,
        ids: list[int] | None = None,
    ) -> Delivered:
        ids = list(ids or [])
        for text in texts:
            sent = await self.bot.send_message(
                p.chat_id,
                text,
                reply_markup=p.markup,
                parse_mode="HTML",
                message_thread_id=p.thread_id,
                reply_parameters=reply,
            )
            ids.append(sent.message_id)
        return Delivered(message_id=ids[0], part_ids=tuple(ids[1:]))

    async def record(self, repos: Repos, row: OutboxMessage, delivered: Delivered) -> None:
        if row.callback_id is not None and row.kind in ("cb_card", "cb_edit", "cb_due"):
            cb = await repos.callbacks.get(row.callback_id)
            if cb is not None and delivered.message_id is not None:
                cb.card_message_id = delivered.message_id  # the latest card is the live one
            return
        if row.case_id is None or row.target != "staff":
            return
        case = await repos.cases.get(row.case_id)
        if case is None:
            return
        if row.kind == "topic" and delivered.thread_id is not None:
            case.thread_id = delivered.thread_id
        if row.kind in ("card", "card_edit") and delivered.message_id is not None:
            case.card_message_id = delivered.message_id
        for message_id in (delivered.message_id, *delivered.part_ids):
            if message_id is not None:  # a reply to any part routes back to the case
                await repos.relay.add(case.id, message_id)
