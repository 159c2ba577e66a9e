"""Telegram updates into the durable inbox (webhook and long polling), and out of it into
the dispatcher.

The webhook answers 200 only after the update is stored (401 without Telegram's secret,
500 when the database stays down, so Telegram delivers it again). Polling stores a batch
before asking for the next one, which is what acknowledges it to Telegram.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from aiogram.types import Update
from aiohttp import web

from bot.inbox import Inbox

log = logging.getLogger(__name__)

SOURCE = "telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
POLL_TIMEOUT_S = 10


def conversation_of(update: dict[str, Any]) -> str:
    """The chat an update belongs to (its updates are handled in order)."""
    for kind in ("message", "edited_message", "channel_post", "my_chat_member"):
        chat = (update.get(kind) or {}).get("chat")
        if chat:
            return str(chat.get("id"))
    query = update.get("callback_query") or {}
    chat = (query.get("message") or {}).get("chat")
    if chat:
        return str(chat.get("id"))
    if query.get("from"):
        return str(query["from"].get("id"))
    return "other"


async def accept(inbox: Inbox, update: dict[str, Any]) -> bool:
    return await inbox.accept(SOURCE, str(update["update_id"]), conversation_of(update), update)


def feeder(dp: Dispatcher, bot: Bot) -> Any:
    """How the inbox hands a stored Telegram update to the dispatcher."""

    async def feed(update: dict[str, Any]) -> None:
        await dp.feed_update(bot, Update.model_validate(update, context={"bot": bot}))

    return feed


def webhook_route(inbox: Inbox, secret: str) -> Any:
    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return web.Response(status=401)
        try:
            update = json.loads(await request.text())
            if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
                return web.Response(status=400)
        except ValueError:
            return web.Response(status=400)
        try:
            await accept(inbox, update)
        except Exception as exc:  # not stored: not acknowledged, Telegram sends it again
            log.error("update not stored (%s)", type(exc).__name__.lower())
            return web.Response(status=500)
        return web.Response(text="ok")

    return receive


async def poll(bot: Bot, inbox: Inbox, stop: asyncio.Event, allowed_updates: list[str]) -> None:
    """Long polling into the inbox until `stop`."""
    offset: int | None = None
    backoff = 0.5
    while not stop.is_set():
        getting = asyncio.ensure_future(
            bot.get_updates(offset=offset, timeout=POLL_TIMEOUT_S, allowed_updates=allowed_updates)
        )
        stopper = asyncio.ensure_future(stop.wait())
        await asyncio.wait({getting, stopper}, return_when=asyncio.FIRST_COMPLETED)
        stopper.cancel()
        if not getting.done():  # stopping: these updates are not acknowledged, so they
            getting.cancel()  # come again after the restart
            break
        try:
            updates = getting.result()
        except (TelegramAPIError, TelegramNetworkError) as exc:
            log.warning("getupdates failed (%s)", type(exc).__name__.lower())
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 10.0)
            continue
        backoff = 0.5
        try:
            for update in updates:
                await accept(
                    inbox, update.model_dump(mode="json", exclude_none=True, by_alias=True)
                )
        except Exception as exc:  # not acknowledged: asked for again with the same offset
            log.error("updates not stored (%s)", type(exc).__name__.lower())
            await asyncio.sleep(backoff)
            continue
        if updates:
            offset = updates[-1].update_id + 1
