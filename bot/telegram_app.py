"""The Telegram channel: Bot, Dispatcher, long polling or webhook, and its delivery.

The composition root (`bot.app.build_app`) calls `telegram_delivery` (the Bot, the staff
transport and the `ChannelDelivery` the outbox uses) and `build_runtime` (the dispatcher and
what `App.serve` runs). The builders (`build_bot`, `build_channel`, `build_dispatcher`,
`build_webhook_app`) are used by tests in-process as well.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from aiogram.types import BotCommand
from aiohttp import web

from bot.config import Settings
from bot.handlers import errors, private
from bot.handlers.channel import TelegramChannel
from bot.handlers.middlewares import FloodControl, RememberInbound
from bot.handlers.ordering import PrivateChatOrder
from bot.handlers.texts import COMMAND_DESCRIPTIONS
from bot.i18n import gettext
from bot.inbox import Inbox
from bot.outbox import OutboxSender
from bot.privacy import Identity
from bot.staff.callback_router import build_callback_router
from bot.staff.router import build_staff_router, build_stray_staff_buttons_router
from bot.staff.stats_router import build_stats_router
from bot.staff.telegram_transport import TelegramTransport
from bot.telegram import intake
from bot.telegram.chat_log import ChatLog
from bot.telegram.delivery import TelegramDelivery
from bot.telegram.response_models import pin_response_models
from bot.telegram.sender import SendGuard, SendHooks
from storage import Store

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

DEFAULT_WEBHOOK_PATH = "/telegram/webhook"


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


@dataclass
class TelegramParts:
    """What the outbox needs from Telegram, built before the turn service."""

    bot: Bot
    chat_log: ChatLog
    delivery: TelegramDelivery
    staff_transport: TelegramTransport | None


def telegram_delivery(
    settings: Settings, store: Store, identity: Identity, bot: Bot | None = None
) -> TelegramParts:
    chat_log = ChatLog(store, identity)
    bot = bot or build_bot(settings, chat_log)
    staff_transport = None
    if settings.staff_chat_id is not None:
        staff_transport = TelegramTransport(
            bot,
            settings.staff_chat_id,
            settings.coordinator_chat_id,
            settings.staff_language,
            identity,
        )
    delivery = TelegramDelivery(bot, settings.staff_chat_id)
    return TelegramParts(bot, chat_log, delivery, staff_transport)


def build_channel(app: App, chat_log: ChatLog | None = None) -> TelegramChannel:
    chat_log = chat_log or ChatLog(app.store, app.identity)
    return TelegramChannel(app.turns, chat_log, app.settings.default_language, outbox=app.outbox)


def build_dispatcher(
    app: App, channel: TelegramChannel, outbox: OutboxSender | None = None
) -> Dispatcher:
    outbox = outbox or app.outbox
    dp = Dispatcher(
        channel=channel, staff=app.staff, stats=app.stats, outbox=outbox, desk=app.desk
    )
    dp.update.outer_middleware(PrivateChatOrder())
    users = private.build_router()
    users.message.outer_middleware(RememberInbound(channel))
    users.message.outer_middleware(FloodControl(channel))
    users.edited_message.outer_middleware(FloodControl(channel))
    dp.include_router(errors.build_router())
    if app.settings.staff_chat_id is not None:
        staff_chat, staff_lang = app.settings.staff_chat_id, app.settings.staff_language
        dp.include_router(build_stats_router(staff_chat, staff_lang))  # before the relay
        dp.include_router(build_callback_router(staff_chat, staff_lang))
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


def build_webhook_app(inbox: Inbox, secret: str, path: str) -> web.Application:
    """aiohttp app: Telegram's secret header is checked on every request (401 otherwise);
    an update is stored in the inbox before the 200 (see bot/telegram/intake.py). (The app
    itself serves the route on the root's HTTP server, beside /healthz and /readyz.)"""
    aio = web.Application()
    aio.router.add_post(path, intake.webhook_route(inbox, secret))
    return aio


async def _serve_webhook(
    dp: Dispatcher,
    bot: Bot,
    inbox: Inbox,
    settings: Settings,
    stop: asyncio.Event,
    shared: bool = False,
) -> None:
    """Own HTTP server, or (`shared`) the root's, where `build_runtime` registered the route."""
    secret = webhook_secret(settings)
    runner = None
    if not shared:
        runner = web.AppRunner(build_webhook_app(inbox, secret, webhook_path(settings)))
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
    try:
        await stop.wait()
    finally:
        if runner is not None:  # no new requests; stored updates are handled by the inbox
            await runner.cleanup()


@dataclass
class TelegramRuntime:
    """The running half of the channel: what `App.serve` starts and `App.close` ends."""

    settings: Settings
    bot: Bot
    channel: TelegramChannel
    dispatcher: Dispatcher
    inbox: Inbox
    shared_http: bool = False  # the webhook route is on the root's HTTP server (with SMS)

    async def serve(self, stop: asyncio.Event) -> None:
        """Receive (webhook or polling) into the inbox; `App.serve` runs the inbox worker
        that handles it from there (and drains it on stop)."""
        try:
            await set_commands(self.bot, self.settings.default_language)
            if self.settings.telegram_webhook_url:
                await _serve_webhook(
                    self.dispatcher, self.bot, self.inbox, self.settings, stop, self.shared_http
                )
            else:
                await optional(self.bot.delete_webhook(), "deletewebhook")
                used = self.dispatcher.resolve_used_update_types()
                await intake.poll(self.bot, self.inbox, stop, used)
        finally:
            stop.set()
            log.info("telegram channel stopped")

    async def close(self) -> None:
        await self.channel.chat_log.flush()
        await self.bot.session.close()


def build_runtime(app: App, parts: TelegramParts) -> TelegramRuntime:
    channel = build_channel(app, parts.chat_log)
    dp = build_dispatcher(app, channel)
    app.inbox.handle(intake.SOURCE, intake.feeder(dp, parts.bot))
    # A worker takes no updates: its HTTP server carries only /healthz and /readyz.
    receives = app.settings.receives_updates
    shared = app.http is not None and bool(app.settings.telegram_webhook_url) and receives
    if shared:  # one HTTP server for every webhook channel
        assert app.http is not None
        secret = webhook_secret(app.settings)
        app.http.router.add_post(
            webhook_path(app.settings), intake.webhook_route(app.inbox, secret)
        )
    return TelegramRuntime(app.settings, parts.bot, channel, dp, app.inbox, shared)


async def run_telegram(settings: Settings) -> None:
    """`helpline run` with a token: every configured channel through the one root."""
    from bot.app import build_app

    app = await build_app(settings)
    try:
        await app.serve()
    finally:
        await app.close()
