"""In-process Telegram channel: the real dispatcher and services, a mocked Bot, SQLite."""

from __future__ import annotations

import datetime as dt
import html
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiogram import Dispatcher
from aiogram.methods import SendMessage
from aiogram.types import Update
from pydantic import SecretStr

from bot.app import App, build_app
from bot.config import Settings
from bot.handlers.channel import TelegramChannel
from bot.outbox import OutboxSender
from bot.services.clock import ManualClock
from bot.services.duty import FixedDuty
from bot.telegram.sender import SendGuard
from tests.dialog_driver import NOW
from tests.fakes import FakeClassifier
from tests.integration.conftest import identity, store  # noqa: F401 (fixtures)
from tests.staff_fakes import NoWaitLimiter

from .mocked_bot import MockedBot

_ids = itertools.count(1)


@dataclass
class Recorder:
    """Stands in for asyncio.sleep: records the delays instead of waiting."""

    delays: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@dataclass
class Telegram:
    app: App
    channel: TelegramChannel
    bot: MockedBot
    dp: Dispatcher
    sleeps: Recorder

    async def feed(self, update: dict[str, Any]) -> None:
        await self.dp.feed_update(
            self.bot, Update.model_validate(update, context={"bot": self.bot})
        )

    async def say(self, user_id: int, text: str, lang: str = "en") -> int:
        message_id = next(_ids)
        await self.feed(message_update(user_id, message_id, lang, text=text))
        return message_id

    async def press(self, user_id: int, data: str, menu: SendMessage | None = None) -> None:
        """Press a button on `menu` (a message the bot sent), as Telegram would report it."""
        n = next(_ids)
        shown: dict[str, Any] = {"text": html.unescape(menu.text) if menu else "?"}
        if menu is not None and menu.reply_markup is not None:
            shown["reply_markup"] = menu.reply_markup.model_dump(exclude_none=True)
        await self.feed(
            {
                "update_id": n,
                "callback_query": {
                    "id": str(n),
                    "from": user(user_id, "en"),
                    "chat_instance": "x",
                    "data": data,
                    "message": {
                        "message_id": 1,
                        "date": 0,
                        "chat": {"id": user_id, "type": "private"},
                        **shown,
                    },
                },
            }
        )


def user(user_id: int, lang: str) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Kid", "language_code": lang}


def message_update(user_id: int, message_id: int, lang: str, **content: Any) -> dict[str, Any]:
    return {
        "update_id": next(_ids),
        "message": {
            "message_id": message_id,
            "date": int(dt.datetime.now(dt.UTC).timestamp()),
            "chat": {"id": user_id, "type": "private"},
            "from": user(user_id, lang),
            **content,
        },
    }


STAFF_CHAT = -1001234567890


def settings_for(tmp_path: Path, staff_chat_id: int | None = None) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/tg.db",
        secret_key=SecretStr("unit-test-secret-key-0123456789"),
        telegram_token=SecretStr("42:TEST-mocked-bot-token-abcdefghijklmnop"),
        staff_chat_id=staff_chat_id,
        staff_language="en",
    )


@dataclass
class StaffTelegram(Telegram):
    """The same, with the staff group router and an outbox delivering through the mocked bot."""

    outbox: OutboxSender | None = None

    async def staff_says(self, staff_id: int, text: str, **extra: Any) -> None:
        await self.feed(
            {
                "update_id": next(_ids),
                "message": {
                    "message_id": next(_ids),
                    "date": int(dt.datetime.now(dt.UTC).timestamp()),
                    "chat": {"id": STAFF_CHAT, "type": "supergroup", "title": "staff"},
                    "from": user(staff_id, "en"),
                    "text": text,
                    **extra,
                },
            }
        )

    async def deliver(self) -> None:
        assert self.outbox is not None
        for _ in range(20):
            if await self.outbox.run_once() == 0:
                return


async def build_staff_telegram(tmp_path: Path) -> StaffTelegram:
    bot = MockedBot()
    settings = settings_for(tmp_path, STAFF_CHAT).model_copy(
        update={"telegram_group_per_minute": 10_000}
    )
    app = await build_app(settings, FakeClassifier(), FixedDuty(True), bot=bot)
    assert app.telegram is not None
    channel = app.telegram.channel
    sleeps = Recorder()
    bot.session.middleware(SendGuard(channel.chat_log, sleep=sleeps))
    app.outbox.limiter = NoWaitLimiter()  # the sender skips a busy chat instead of waiting
    return StaffTelegram(app, channel, bot, app.telegram.dispatcher, sleeps, app.outbox)


@pytest.fixture
async def staff_tg(tmp_path: Path) -> AsyncIterator[StaffTelegram]:
    tg = await build_staff_telegram(tmp_path)
    try:
        yield tg
    finally:
        await tg.app.close()


@pytest.fixture
async def tg(tmp_path: Path) -> AsyncIterator[Telegram]:
    bot = MockedBot()
    # a fixed clock: callback slots are the same in every run
    app = await build_app(
        settings_for(tmp_path), FakeClassifier(), FixedDuty(False), bot=bot, clock=ManualClock(NOW)
    )
    assert app.telegram is not None
    channel = app.telegram.channel
    sleeps = Recorder()
    bot.session.middleware(SendGuard(channel.chat_log, sleep=sleeps))
    try:
        yield Telegram(app, channel, bot, app.telegram.dispatcher, sleeps)
    finally:
        await app.close()
