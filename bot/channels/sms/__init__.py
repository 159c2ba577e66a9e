"""SMS through Twilio: keywords and rendering, the webhook (inbound) and the REST delivery.

The composition root calls `sms_delivery` (the outbox's channel) and `add_sms_routes` (the
webhook on the shared HTTP server) when the Twilio settings are present.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from aiohttp import web

from bot.channels.sms.delivery import CHANNEL, SmsDelivery, build_client
from bot.config import Settings
from bot.jobs import Job

if TYPE_CHECKING:
    from bot.app import App

__all__ = ["CHANNEL", "add_sms_routes", "sms_delivery"]

SEEN_SIDS_KEPT = dt.timedelta(days=1)  # Twilio retries within minutes; a day is plenty
SEEN_SIDS_SWEEP_S = 3600.0


def sms_delivery(settings: Settings) -> SmsDelivery:
    return SmsDelivery(build_client(settings), settings)


def add_sms_routes(app: App, http: web.Application) -> tuple[Job, float]:
    """Register the webhooks; returns the sweep that forgets old MessageSids."""
    from bot.channels.sms.webhook import SOURCE, SmsWebhook

    settings = app.settings
    assert settings.twilio_auth_token is not None and settings.public_url is not None
    webhook = SmsWebhook(
        app.turns,
        app.store,
        app.inbox,
        settings.twilio_auth_token.get_secret_value(),
        settings.public_url,
        settings.sms_path,
    )
    webhook.register(http)
    # an SMS whose webhook handler died before its turn committed: handled from the inbox
    app.inbox.handle(SOURCE, webhook.from_inbox)

    async def forget_seen() -> None:
        async with app.store.transaction() as repos:
            await repos.sms_inbound.purge(repos.now() - SEEN_SIDS_KEPT)

    return forget_seen, SEEN_SIDS_SWEEP_S
