"""Sends a statistics report into a Telegram chat: text, the charts as photos, the table as
a file. No parse mode: labels are shown exactly as they are."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BufferedInputFile

from bot.services.stats.delivery import ReportParts


class TelegramReportSender:
    def __init__(self, bot: Bot, chat_id: int, thread_id: int | None = None) -> None:
        self.bot = bot
        self.chat_id = chat_id
        self.thread_id = thread_id

    async def send_report(self, parts: ReportParts) -> None:
        chat, thread = self.chat_id, self.thread_id
        for text in parts.texts:
            await self.bot.send_message(chat, text, message_thread_id=thread)
        for name, png, caption in parts.photos:
            photo = BufferedInputFile(png, name)
            await self.bot.send_photo(chat, photo, caption=caption, message_thread_id=thread)
        for name, data in parts.documents:
            document = BufferedInputFile(data, name)
            await self.bot.send_document(chat, document, message_thread_id=thread)
