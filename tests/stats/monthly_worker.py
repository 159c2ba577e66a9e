"""One process of the monthly-report test: the real scheduler (Sweeps), the real
MonthlyReport and the real Telegram sender (to the emulator), at a fixed clock.

    python -m tests.stats.monthly_worker DB_URL API_URL CHAT_ID 2026-03-01T09:00 SECONDS
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sys

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.jobs import Sweeps
from bot.services.stats.monthly import MonthlyReport
from bot.services.stats.service import StatsService
from bot.telegram.report_sender import TelegramReportSender
from storage import Store
from tests.e2e.emulator import BOT_TOKEN


async def main(db_url: str, api_url: str, chat_id: int, now: dt.datetime, seconds: float) -> None:
    store = Store(db_url)
    bot = Bot(BOT_TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api_url)))
    monthly = MonthlyReport(
        StatsService(store, 5), TelegramReportSender(bot, chat_id), "ru", clock=lambda: now
    )
    busy = asyncio.Lock()

    async def sweep() -> bool:
        async with busy:
            return await monthly.run_due()

    sweeps = Sweeps({"monthly_report": (sweep, 0.3)})
    sweeps.start()
    try:
        await asyncio.sleep(seconds)
    finally:
        async with busy:  # stop between sweeps, never in the middle of sending a report
            await sweeps.stop()
        await bot.session.close()
        await store.close()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # "skipped: already running"
    url, api, chat, when, secs = sys.argv[1:6]
    moment = dt.datetime.fromisoformat(when).replace(tzinfo=dt.UTC)
    asyncio.run(main(url, api, int(chat), moment, float(secs)))
