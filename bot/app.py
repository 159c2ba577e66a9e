"""The composition root: the one place that builds storage, services, every configured
channel, the outbox and its sender, and the sweeps. Nothing happens at import.

    app = await build_app(settings)          # builds; sends and listens to nothing yet
    await app.serve(stop)                    # runs every channel, the sender, the sweeps
    await app.close()

Channels: Telegram when a token is set; the console for `helpline chat` (and for `helpline
run` when no other channel is configured). Each channel contributes its inbound half (an
aiogram dispatcher, a terminal loop) and its outbound half, a `ChannelDelivery` the outbox
sender picks per row (`bot/channels/delivery.py`). A new channel is one inbound module and
one delivery module, registered here.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import signal
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from aiohttp import web

from bot.channels.console import CHANNEL as CONSOLE
from bot.channels.console import ConsoleDelivery
from bot.channels.delivery import ChannelDelivery, queued_reply_channels
from bot.classify.types import Classifier
from bot.config import Settings
from bot.directory import Directory
from bot.directory import load as load_directory
from bot.health import add_health_routes
from bot.inbox import Inbox
from bot.jobs import Job, Sweeps, default_jobs
from bot.masking import warm_up
from bot.outbox import OutboxSender, RateLimiter, Transport
from bot.privacy import Identity
from bot.services.callback_desk import CallbackDesk
from bot.services.callbacks import CallbackBook
from bot.services.clock import Clock, system_clock
from bot.services.duty import DutyRoster
from bot.services.locks import KeyedLocks
from bot.services.stats.monthly import MonthlyReport
from bot.services.stats.service import StatsService
from bot.services.turns import TurnService
from bot.staff.escalation import Escalations, Timeouts
from bot.staff.service import StaffService
from storage import Store

if TYPE_CHECKING:
    from aiogram import Bot

    from bot.telegram_app import TelegramRuntime

log = logging.getLogger(__name__)

CHAT_LOG_SWEEP_S = 3600.0
SENDER_DRAIN_S = 10.0
MONTHLY_SWEEP_S = 600.0  # the monthly report is claimed in the database: sent once


@dataclass(frozen=True, slots=True)
class ConsoleIO:
    """A terminal session: where the console channel reads and writes, and who is typing."""

    inp: TextIO
    out: TextIO
    address: str = "local"


@dataclass
class App:
    settings: Settings
    store: Store
    identity: Identity
    turns: TurnService
    staff: StaffService
    outbox: OutboxSender
    desk: CallbackDesk
    directory: Directory
    inbox: Inbox
    stats: StatsService
    channels: dict[str, ChannelDelivery] = field(default_factory=dict)
    jobs: dict[str, tuple[Job, float]] = field(default_factory=dict)
    telegram: TelegramRuntime | None = None
    console: ConsoleIO | None = None
    # the one HTTP server of the webhook channels (SMS; Telegram in webhook mode)
    http: web.Application | None = None

    async def serve(self, stop: asyncio.Event | None = None) -> None:
        """Run every configured channel, the outbox sender and the sweeps until `stop` is
        set, a signal arrives, or (console) the input ends."""
        stop = stop or asyncio.Event()
        _stop_on_signals(stop)
        # Roles: web processes take updates and leave delivery and sweeps to the worker; a
        # worker takes no updates; `all` does everything (SPEC section 9).
        sending = self.settings.sends_and_sweeps
        workers = [asyncio.create_task(self.outbox.run_forever(stop))] if sending else []
        sweeps = Sweeps(self.jobs)
        if sending:
            sweeps.start()
        # the durable inbox is handled wherever updates are received (any source: Telegram,
        # SMS, or both); on stop it finishes what is in flight before the sender drains
        handling = (
            asyncio.create_task(self.inbox.run(stop))
            if self.inbox.handlers and self.settings.receives_updates
            else None
        )
        try:
            runners = []
            if self.telegram is not None and self.settings.receives_updates:
                runners.append(asyncio.create_task(self.telegram.serve(stop)))
            if self.console is not None:
                runners.append(asyncio.create_task(self._serve_console(stop)))
            if self.http is not None:
                runners.append(asyncio.create_task(self._serve_http(stop)))
            if not runners:
                log.warning("no channel configured")
            await asyncio.gather(*runners)
        finally:
            stop.set()
            if handling is not None:
                await handling  # drains the updates in flight
            await sweeps.stop()
            # the sender finishes the sends in hand (nothing in it waits for a rate slot),
            # so a message that went out is marked sent and not sent again after a restart
            _done, hanging = (
                await asyncio.wait(workers, timeout=SENDER_DRAIN_S) if workers else ((), ())
            )
            for worker in hanging:
                worker.cancel()  # its row is handed back for the next start
            await asyncio.gather(*workers, return_exceptions=True)

    async def _serve_console(self, stop: asyncio.Event) -> None:
        from bot.channels.console import run_console

        assert self.console is not None
        io = self.console
        try:
            await run_console(
                self.turns, io.inp, io.out, address=io.address, stop=stop, outbox=self.outbox
            )
        finally:
            stop.set()

    async def _serve_http(self, stop: asyncio.Event) -> None:
        assert self.http is not None
        runner = web.AppRunner(self.http)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.settings.http_host, self.settings.http_port)
            await site.start()
            log.info("webhook server listening")
            await stop.wait()
        finally:
            stop.set()
            await runner.cleanup()

    async def close(self) -> None:
        if self.telegram is not None:
            await self.telegram.close()
        for channel in self.channels.values():
            closing = getattr(channel, "close", None)
            if closing is not None:
                await closing()
        await self.store.close()


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)


async def build_app(
    settings: Settings,
    classifier: Classifier | None = None,
    duty: DutyRoster | None = None,
    *,
    bot: Bot | None = None,
    console: ConsoleIO | None = None,
    clock: Clock = system_clock,
) -> App:
    """Build everything the settings configure. `bot` replaces the Telegram Bot (tests pass
    a mocked one); `console` adds a terminal session as a channel."""
    if classifier is None:
        from bot.classify import load_classifier

        classifier = load_classifier()
    warm_up()  # the masker's word lists load now, not on the first crisis message
    store = Store(settings.database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    try:
        await store.prepare()  # SQLite migrates itself; PostgreSQL needs `helpline migrate`
    except BaseException:
        await store.close()
        raise
    identity = Identity(settings.secret_key_bytes())
    timeouts = Timeouts(settings.claim_timeout, settings.urgent_claim_timeout)
    locks = KeyedLocks()  # one lock per conversation, for turns and staff actions alike
    staff = StaffService(store, identity, timeouts, locks)
    directory = load_directory(settings.directory_file, samples=settings.directory_samples)
    book = CallbackBook(
        identity,
        settings.callback_schedule(),
        clock,
        dt.timedelta(minutes=settings.callback_reminder_minutes),
    )

    channels: dict[str, ChannelDelivery] = {}
    staff_transport: Transport | None = None
    telegram_parts = None
    if settings.telegram_enabled or bot is not None:
        from bot.telegram_app import telegram_delivery

        telegram_parts = telegram_delivery(settings, store, identity, bot)
        channels[telegram_parts.delivery.name] = telegram_parts.delivery
        staff_transport = telegram_parts.staff_transport
    if console is not None:
        channels[CONSOLE] = ConsoleDelivery(console.out, console.address)
    if settings.sms_enabled:
        from bot.channels.sms import sms_delivery

        sms = sms_delivery(settings)
        channels[sms.name] = sms
    if staff_transport is None and (settings.telegram_enabled or settings.sms_enabled):
        log.warning("HELPLINE_STAFF_CHAT_ID is not set: escalations are stored, not delivered")

    limiter = RateLimiter(group_per_minute=settings.telegram_group_per_minute)
    outbox = OutboxSender(store, staff_transport, limiter, channels=channels, identity=identity)
    turns = TurnService(
        store,
        classifier,
        identity,
        duty or staff,  # the roster the staff keep with /duty on|off
        default_language=settings.default_language,
        reply_within_hours=settings.reply_within_hours,
        escalations=Escalations(timeouts),
        on_commit=outbox.wake,  # cards leave within a second of the turn that opened them
        locks=locks,
        retry_within_s=settings.db_retry_s,
        outbox_channels=queued_reply_channels(channels),  # replies through the outbox
        callbacks=book,
        directory=directory,
    )
    desk = CallbackDesk(store, identity, book, directory)
    inbox = Inbox(store, identity, lease=dt.timedelta(seconds=settings.inbox_lease_s))
    stats = StatsService(store, settings.stats_min_cell)
    app = App(
        settings,
        store,
        identity,
        turns,
        staff,
        outbox,
        desk,
        directory,
        inbox,
        stats,
        channels,
        console=console,
    )
    app.jobs = default_jobs(store, staff, settings.retention_days, desk)
    if settings.serves_http or settings.sms_enabled:  # webhooks, /healthz and /readyz
        app.http = web.Application()
        add_health_routes(app.http, store)
    if settings.sms_enabled:
        from bot.channels.sms import add_sms_routes

        assert app.http is not None
        app.jobs["sms_inbound"] = add_sms_routes(app, app.http)
    if telegram_parts is not None:
        from bot.telegram_app import build_runtime

        app.telegram = build_runtime(app, telegram_parts)
        app.jobs["chat_messages"] = (app.telegram.channel.chat_log.purge, CHAT_LOG_SWEEP_S)
        report_chat = settings.coordinator_chat_id or settings.staff_chat_id
        if report_chat is not None and settings.stats_monthly_report:
            from bot.telegram.report_sender import TelegramReportSender

            sender = TelegramReportSender(telegram_parts.bot, report_chat)
            monthly = MonthlyReport(
                stats, sender, settings.staff_language, settings.stats_report_hour
            )
            app.jobs["monthly_report"] = (monthly.run_due, MONTHLY_SWEEP_S)
    return app
