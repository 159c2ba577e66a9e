"""The Telegram channel process: Bot, Dispatcher, long polling or webhook, graceful shutdown.

`run_telegram(settings)` is what `helpline run` starts when a token is set. The builders
(`build_bot`, `build_channel`, `build_dispatcher`, `build_webhook_app`) are used by tests
in-process as well.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import signal
from collections.abc import Awaitable
from typing import Any
from urllib.parse import urlparse

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from aiogram.types import BotCommand
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot.app import App, build_app
from bot.config import Settings
from bot.handlers import errors, private
from bot.handlers.channel import TelegramChannel
from bot.handlers.middlewares import FloodControl, RememberInbound
from bot.handlers.ordering import PrivateChatOrder
from bot.handlers.texts import COMMAND_DESCRIPTIONS
from bot.i18n import gettext
from bot.jobs import Sweeps, default_jobs
from bot.outbox import OutboxSender, RateLimiter
from bot.services.stats.monthly import MonthlyReport
from bot.staff.router import build_staff_router, build_stray_staff_buttons_router
from bot.staff.stats_router import build_stats_router
from bot.staff.telegram_transport import TelegramTransport
from bot.telegram.chat_log import ChatLog
from bot.telegram.report_sender import TelegramReportSender
from bot.telegram.response_models import pin_response_models
from bot.telegram.sender import SendGuard, SendHooks

log = logging.getLogger(__name__)

DEFAULT_WEBHOOK_PATH = "/telegram/webhook"
CHAT_LOG_SWEEP_S = 3600.0
MONTHLY_SWEEP_S = 600.0  # the monthly report is claimed in the database: sent once


def webhook_secret(settings: Settings) -> str:
    """The configured secret, or one derived from the secret key (stable across restarts)."""
    if settings.telegram_webhook_secret is not None:
        return settings.telegram_webhook_secret.get_secret_value()
    key = settings.secret_key_bytes()
    return hmac.new(key, b"helpline telegram webhook v1", hashlib.sha256).hexdigest()


def build_bot(settings: Settings, hooks: SendHooks | None = None) -> Bot:
    if settings.telegram_token is None:
        raise RuntimeError("HELPLINE_TELEGRAM_TOKEN is not set")
    api = (
        TelegramAPIServer.from_base(settings.telegram_api_url)
        if settings.telegram_api_url
        else PRODUCTION
    )
    pin_response_models()
    session = AiohttpSession(api=api)
    session.middleware(SendGuard(hooks))
    return Bot(settings.telegram_token.get_secret_value(), session=session)


def build_channel(app: App) -> TelegramChannel:
    chat_log = ChatLog(app.store, app.identity)
    return TelegramChannel(app.turns, chat_log, app.settings.default_language)


def build_dispatcher(
    app: App, channel: TelegramChannel, outbox: OutboxSender | None = None
) -> Dispatcher:
    dp = Dispatcher(channel=channel, staff=app.staff, stats=app.stats, outbox=outbox)
    dp.update.outer_middleware(PrivateChatOrder())
    users = private.build_router()
    users.message.outer_middleware(RememberInbound(channel))
    users.message.outer_middleware(FloodControl(channel))
    users.edited_message.outer_middleware(FloodControl(channel))
    dp.include_router(errors.build_router())
    if app.settings.staff_chat_id is not None and outbox is not None:
        staff_chat, staff_lang = app.settings.staff_chat_id, app.settings.staff_language
        dp.include_router(build_stats_router(staff_chat, staff_lang))  # before the relay
        dp.include_router(build_staff_router(staff_chat, staff_lang))
    dp.include_router(build_stray_staff_buttons_router())
    dp.include_router(users)
    return dp


async def optional(call: Awaitable[Any], what: str) -> None:
    """Calls a bot can live without: a Bot API that refuses them gets a warning, no more."""
    try:
        await call
    except (TelegramAPIError, TelegramNetworkError) as exc:
        log.warning("%s refused (%s); going on", what, type(exc).__name__.lower())


async def set_commands(bot: Bot, default_language: str) -> None:
    """The command menu, with descriptions in each language (and a default)."""
    for code in ("kk", "ru", "en", ""):
        lang = code or default_language
        commands = [
            BotCommand(command=name, description=gettext(text, lang))
            for name, text in COMMAND_DESCRIPTIONS.items()
        ]
        await optional(bot.set_my_commands(commands, language_code=code or None), "setmycommands")


def webhook_path(settings: Settings) -> str:
    return urlparse(settings.telegram_webhook_url or "").path or DEFAULT_WEBHOOK_PATH


def build_webhook_app(dp: Dispatcher, bot: Bot, secret: str, path: str) -> web.Application:
    """aiohttp app: Telegram's secret header is checked on every request (401 otherwise)."""
    aio = web.Application()
    SimpleRequestHandler(dp, bot, secret_token=secret).register(aio, path=path)
    aio.router.add_get("/health", lambda _request: _ok())
    return aio


async def _ok() -> web.Response:
    return web.Response(text="ok")


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)


async def _serve_webhook(
    dp: Dispatcher, bot: Bot, settings: Settings, stop: asyncio.Event
) -> None:
    secret = webhook_secret(settings)
    runner = web.AppRunner(build_webhook_app(dp, bot, secret, webhook_path(settings)))
    await runner.setup()
    await web.TCPSite(runner, settings.http_host, settings.http_port).start()
    log.info("webhook server listening")
    try:
        await bot.set_webhook(
            settings.telegram_webhook_url or "",
            secret_token=secret,
            allowed_updates=dp.resolve_used_update_types(),
        )
    except (TelegramAPIError, TelegramNetworkError) as exc:  # maybe set by hand: keep serving
        log.error("setWebhook failed (%s)", type(exc).__name__.lower())
    _stop_on_signals(stop)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


async def run_telegram(settings: Settings) -> None:
    app = await build_app(settings)
    channel = build_channel(app)
    bot = build_bot(settings, channel.chat_log)
    outbox: OutboxSender | None = None
    if settings.staff_chat_id is not None:
        transport = TelegramTransport(
            bot,
            app.identity,
            settings.staff_chat_id,
            settings.coordinator_chat_id,
            settings.staff_language,
        )
        limiter = RateLimiter(group_per_minute=settings.telegram_group_per_minute)
        outbox = OutboxSender(app.store, transport, limiter)
        app.turns.on_commit = outbox.wake
    else:
        log.warning("HELPLINE_STAFF_CHAT_ID is not set: escalations are stored, not delivered")
    dp = build_dispatcher(app, channel, outbox)
    jobs = default_jobs(app.store, app.staff, settings.retention_days)
    jobs["chat_messages"] = (channel.chat_log.purge, CHAT_LOG_SWEEP_S)
    report_chat = settings.coordinator_chat_id or settings.staff_chat_id
    if report_chat is not None and settings.stats_monthly_report:
        monthly = MonthlyReport(
            app.stats,
            TelegramReportSender(bot, report_chat),
            settings.staff_language,
            settings.stats_report_hour,
        )
        jobs["monthly_report"] = (monthly.run_due, MONTHLY_SWEEP_S)
    sweeps = Sweeps(jobs)
    stop = asyncio.Event()
    # Extra webhook workers may leave delivery and sweeps to one process (SPEC section 9).
    sending = outbox is not None and settings.outbox_sender
    workers = [asyncio.create_task(outbox.run_forever(stop))] if outbox and sending else []
    if settings.outbox_sender:
        sweeps.start()
    try:
        await set_commands(bot, settings.default_language)
        if settings.telegram_webhook_url:
            await _serve_webhook(dp, bot, settings, stop)
        else:
            await optional(bot.delete_webhook(), "deletewebhook")
            await dp.start_polling(
                bot, handle_signals=True, allowed_updates=dp.resolve_used_update_types()
            )
    finally:
        stop.set()
        await sweeps.stop()
        for worker in workers:  # a send waiting for a rate-limit slot need not be awaited:
            worker.cancel()  # its row stays leased and is sent after the next start
        await asyncio.gather(*workers, return_exceptions=True)
        await channel.chat_log.flush()
        await bot.session.close()
        await app.close()
        log.info("telegram channel stopped")
