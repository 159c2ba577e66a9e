"""`/stats [month|quarter|year|FROM TO]` in the staff group: the report of a period, as
text, charts and the table as a file. Each request is an audited export."""

from __future__ import annotations

import asyncio
import datetime as dt

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.i18n import translations
from bot.services.stats import texts as tx
from bot.services.stats.delivery import report_parts
from bot.services.stats.periods import PeriodError, parse_period
from bot.services.stats.service import StatsService
from bot.staff.service import StaffService
from bot.telegram.report_sender import TelegramReportSender


def build_stats_router(staff_chat_id: int, staff_language: str) -> Router:
    router = Router(name="staff_stats")
    router.message.filter(F.chat.id == staff_chat_id)
    lang = staff_language

    @router.message(Command("stats"))
    async def send_stats(
        message: Message,
        command: CommandObject,
        bot: Bot,
        staff: StaffService,
        stats: StatsService,
    ) -> None:
        try:
            start, end = parse_period((command.args or "").split(), dt.datetime.now(dt.UTC).date())
        except PeriodError:
            await message.reply(translations(lang).gettext(tx.USAGE))
            return
        if message.from_user is None:
            return
        actor = staff.staff_pseudonym(message.from_user.id)
        report = await stats.export(start, end, actor, f"telegram {lang}")
        parts = await asyncio.to_thread(report_parts, report, lang)  # charts take a while
        sender = TelegramReportSender(bot, message.chat.id, message.message_thread_id)
        await sender.send_report(parts)

    return router
