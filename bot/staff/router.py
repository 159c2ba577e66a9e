"""aiogram router of the staff group: buttons on cards, commands, and replies to relay.

Only updates from the configured staff group count as staff actions; staff buttons pressed
anywhere else are ignored (and logged without identifiers).
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.i18n import translations
from bot.outbox import OutboxSender
from bot.staff import cards
from bot.staff import texts as st
from bot.staff.callbacks import StaffAction
from bot.staff.service import Answer, StaffService

log = logging.getLogger(__name__)
FORM_ACTIONS = ("close", "cat", "catnext", "svc", "out", "prof", "profdone")


def _say(answer: Answer, lang: str) -> str:
    _ = translations(lang).gettext
    args = dict(answer.args)
    if "alias" in args:
        args["alias"] = cards.alias(lang, args["alias"])
    return _(answer.key or st.RELAYED).format(**args)


def build_staff_router(staff_chat_id: int, staff_language: str) -> Router:
    router = Router(name="staff")
    router.message.filter(F.chat.id == staff_chat_id)
    router.callback_query.filter(F.message.chat.id == staff_chat_id)
    lang = staff_language
    _ = translations(lang).gettext

    @router.callback_query(StaffAction.filter())
    async def press_card_button(
        query: CallbackQuery, callback_data: StaffAction, staff: StaffService, outbox: OutboxSender
    ) -> None:
        case, who = callback_data.case, query.from_user.id
        if callback_data.action == "claim":
            answer = await staff.claim(case, who)
        elif callback_data.action == "release":
            answer = await staff.release(case, who)
        elif callback_data.action in FORM_ACTIONS:
            answer = await staff.close_form(case, who, callback_data.action, callback_data.value)
        else:
            answer = Answer(st.NO_SUCH_CASE, {"number": case})
        outbox.wake()
        await query.answer(None if answer.ok else _say(answer, lang), show_alert=not answer.ok)

    @router.message(Command("duty"))
    async def set_duty(message: Message, command: CommandObject, staff: StaffService) -> None:
        arg = (command.args or "").strip().lower()
        if arg not in ("on", "off") or message.from_user is None:
            await message.reply(_(st.DUTY_USAGE))
            return
        alias_no = await staff.set_duty(message.from_user.id, arg == "on")
        key = st.DUTY_ON if arg == "on" else st.DUTY_OFF
        await message.reply(_(key).format(alias=cards.alias(lang, alias_no)))

    @router.message(Command("who"))
    async def show_duty(message: Message, staff: StaffService) -> None:
        on_duty = await staff.on_duty()
        aliases = ", ".join(cards.alias(lang, n) for n in on_duty)
        await message.reply(
            _(st.WHO_LIST).format(aliases=aliases) if on_duty else _(st.WHO_NOBODY)
        )

    @router.message(Command("cases"))
    async def list_cases(message: Message, staff: StaffService) -> None:
        lines = [
            _(st.CASE_LINE).format(
                number=c.id,
                urgency=_(cards.urgency_label(c)),
                category=_(cards.CATEGORY_LABELS.get(c.category, st.UNKNOWN)),
                status=cards.status_line(c, lang),
            )
            for c in await staff.open_cases()
        ]
        await message.reply("\n".join(lines) if lines else _(st.CASES_NONE))

    @router.message(Command("case", "close"))
    async def show_or_close_case(
        message: Message, command: CommandObject, staff: StaffService, outbox: OutboxSender
    ) -> None:
        arg = (command.args or "").strip().lstrip("#")
        if not arg.isdigit() or message.from_user is None:
            await message.reply(_(st.CASE_USAGE))
            return
        if command.command == "case":
            answer = await staff.repost_card(int(arg))
        else:
            answer = await staff.close_now(int(arg), message.from_user.id)
        outbox.wake()
        if not answer.ok:
            await message.reply(_say(answer, lang))

    @router.message(F.from_user.is_bot.is_(False))
    async def relay_to_user(message: Message, staff: StaffService, outbox: OutboxSender) -> None:
        case_id = await _case_of(message, staff)
        if case_id is None or message.from_user is None:
            return  # ordinary talk in the staff group
        if message.text is not None:
            answer = await staff.relay_to_user(case_id, message.from_user.id, message.text, None)
        else:  # photo, voice, document: copied, so no staff name travels with it
            answer = await staff.relay_to_user(
                case_id, message.from_user.id, None, message.message_id
            )
        outbox.wake()
        if not answer.ok:
            await message.reply(_say(answer, lang))

    return router


async def _case_of(message: Message, staff: StaffService) -> int | None:
    if message.reply_to_message is not None:
        found = await staff.case_for_message(message.reply_to_message.message_id)
        if found is not None:
            return found
    if message.is_topic_message and message.message_thread_id is not None:
        return await staff.case_for_thread(message.message_thread_id)
    return None


def build_stray_staff_buttons_router() -> Router:
    """Staff buttons pressed outside the staff group: do nothing, say nothing useful."""
    router = Router(name="stray_staff_buttons")

    @router.callback_query(StaffAction.filter())
    async def ignore_stray_button(query: CallbackQuery) -> None:
        log.warning("staff button pressed outside the staff group; ignored")
        await query.answer()

    return router
