"""aiogram router of the staff group for callbacks and referrals: the callback card's
buttons, /callbacks and /refer.

The number goes only to the staff member who took the callback: in a private message from the
bot, or, when they have never started a chat with the bot (Telegram then refuses: 403), in an
alert only they see (answerCallbackQuery show_alert). Never in the group, never in a log.
"""

from __future__ import annotations

import contextlib
import html

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.dialogs import referrals
from bot.i18n import render, translations
from bot.outbox import OutboxSender
from bot.services.callback_desk import CallbackDesk, DeskAnswer
from bot.staff import callback_cards as cc
from bot.staff import callback_texts as ct
from bot.staff import cards
from bot.staff import texts as st
from bot.staff.callbacks import StaffAction
from bot.staff.telegram_transport import keyboard

_REFUSALS = {"no_case": st.NO_SUCH_CASE, "not_yours": st.CLAIM_FIRST}


def _say(answer: DeskAnswer, lang: str) -> str:
    _ = translations(lang).gettext
    args = dict(answer.args)
    if "alias" in args:
        args["alias"] = cards.alias(lang, args["alias"])
    return _(_REFUSALS.get(answer.key or "", answer.key or st.RELAYED)).format(**args)


def build_callback_router(staff_chat_id: int, staff_language: str) -> Router:
    router = Router(name="staff_callbacks")
    router.message.filter(F.chat.id == staff_chat_id)
    router.callback_query.filter(F.message.chat.id == staff_chat_id)
    lang = staff_language
    _ = translations(lang).gettext

    @router.callback_query(StaffAction.filter(F.action.in_({"take", "number"})))
    async def take_callback(
        query: CallbackQuery,
        callback_data: StaffAction,
        desk: CallbackDesk,
        bot: Bot,
        outbox: OutboxSender,
    ) -> None:
        answer = await desk.take(callback_data.case, query.from_user.id)
        outbox.wake()
        if not answer.ok or answer.callback is None or answer.phone is None:
            refusal = answer if not answer.ok else DeskAnswer(ct.CB_NOT_OPEN)
            refusal.args.setdefault("number", callback_data.case)
            await query.answer(_say(refusal, lang), show_alert=True)
            return
        cb = answer.callback
        text = _(ct.CB_NUMBER).format(
            number=cb.id,
            phone=answer.phone,
            specialist=cc.specialist(cb, lang),
            slot=cc.slot_label(cb, lang),
            language=cb.language,
        )
        try:
            await bot.send_message(query.from_user.id, html.escape(text), parse_mode="HTML")
        except (TelegramForbiddenError, TelegramBadRequest):  # never started the bot
            alert = _(ct.CB_NUMBER_ALERT).format(number=cb.id, phone=answer.phone)
            await query.answer(alert[:200], show_alert=True)
            return
        await query.answer(_(ct.CB_NUMBER_SENT))

    @router.callback_query(StaffAction.filter(F.action.in_({"called", "noanswer", "cbcancel"})))
    async def finish_callback(
        query: CallbackQuery,
        callback_data: StaffAction,
        desk: CallbackDesk,
        outbox: OutboxSender,
    ) -> None:
        cb_id, who = callback_data.case, query.from_user.id
        if callback_data.action == "called":
            answer = await desk.called(cb_id, who)
        elif callback_data.action == "noanswer":
            answer = await desk.no_answer(cb_id, who)
        else:
            answer = await desk.cancel(cb_id, who)
        outbox.wake()
        await query.answer(None if answer.ok else _say(answer, lang), show_alert=not answer.ok)

    @router.callback_query(StaffAction.filter(F.action == "resched"))
    async def offer_new_times(
        query: CallbackQuery, callback_data: StaffAction, desk: CallbackDesk
    ) -> None:
        answer = await desk.reschedule_options(callback_data.case, query.from_user.id)
        if not answer.ok or not isinstance(query.message, Message):
            await query.answer(_say(answer, lang), show_alert=True)
            return
        await query.answer()
        await query.message.reply(
            html.escape(_(ct.CB_CHOOSE_SLOT).format(number=callback_data.case)),
            parse_mode="HTML",
            reply_markup=keyboard(cc.slot_buttons(callback_data.case, answer.offered, lang)),
        )

    @router.callback_query(StaffAction.filter(F.action == "slot"))
    async def move_to_time(
        query: CallbackQuery,
        callback_data: StaffAction,
        desk: CallbackDesk,
        outbox: OutboxSender,
    ) -> None:
        answer = await desk.reschedule(callback_data.case, query.from_user.id, callback_data.value)
        outbox.wake()
        await query.answer(None if answer.ok else _say(answer, lang), show_alert=not answer.ok)
        if answer.ok and isinstance(query.message, Message):
            with contextlib.suppress(TelegramBadRequest):  # the time menu has done its job
                await query.message.delete()

    @router.message(Command("callbacks"))
    async def list_callbacks(message: Message, desk: CallbackDesk) -> None:
        lines = [cc.list_line(cb, lang) for cb in await desk.today_and_overdue()]
        await message.reply(html.escape("\n".join(lines) if lines else _(ct.CB_LIST_NONE)))

    @router.message(Command("refer"))
    async def refer(
        message: Message, command: CommandObject, desk: CallbackDesk, outbox: OutboxSender
    ) -> None:
        args = (command.args or "").split()
        if not args or not args[0].lstrip("#").isdigit() or message.from_user is None:
            await message.reply(html.escape(_(ct.REFER_USAGE)))
            return
        case_id = int(args[0].lstrip("#"))
        if len(args) == 1:
            found, entries = await desk.referrals_for(case_id)
            if not found.ok:
                await message.reply(html.escape(_say(found, lang)))
            elif not entries:
                await message.reply(html.escape(_(ct.REFER_NONE).format(number=case_id)))
            else:
                lines = [_(ct.REFER_LIST).format(number=case_id)]
                lines += [
                    f"{e.id} — " + render(referrals.entry_msg(e, lang), lang) for e in entries
                ]
                await message.reply(html.escape("\n".join(lines)))
            return
        entry = desk.directory.get(args[1])
        if entry is None:
            await message.reply(html.escape(_(ct.REFER_NO_ENTRY).format(entry=args[1])))
            return
        user_lang = await desk.case_language(case_id) or lang
        text = render(referrals.entry_msg(entry, user_lang), user_lang)
        answer = await desk.refer(case_id, message.from_user.id, entry, text)
        outbox.wake()
        if answer.ok:
            await message.reply(html.escape(_(ct.REFER_SENT).format(number=case_id)))
        else:
            await message.reply(html.escape(_say(answer, lang)))

    return router
