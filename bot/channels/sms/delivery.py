"""The SMS channel's outbound half (`ChannelDelivery`): Twilio's Messages REST API.

Staff replies, "a counsellor joined", case-closed notices and callback messages reach a basic
phone here; a turn's own reply goes back in the webhook's TwiML instead (`webhook.py`),
except for an SMS the inbox worker handles after its webhook handler died (no response waits).
Twilio's answers are reported to the outbox in the seam's terms:

* 429 → `RetryAfter` (this destination waits, the row stays);
* 5xx and network errors → raised as they are: the outbox retries with backoff;
* 21610 (the number replied STOP to the carrier) → `OptedOut`;
* 21211 / 21614 / 21612 / 21408 (invalid, not mobile, unreachable) → `BadAddress`;
  the outbox marks the case so the staff see it on the card.

Twilio's own HTTP logger prints request lines at INFO; it is given a logger that keeps quiet
below WARNING, and nothing here logs the number or the text.
"""

from __future__ import annotations

import logging

from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from bot.channels.delivery import BadAddress, Delivered, OptedOut, Outbound, RetryAfter
from bot.channels.sms.render import outbound_body, split_body
from bot.config import Settings

CHANNEL = "sms"
OPTED_OUT = frozenset({21610})
BAD_ADDRESS = frozenset({21211, 21614, 21612, 21408, 21606})
TOO_MANY_REQUESTS_WAIT_S = 5.0

log = logging.getLogger(__name__)
_quiet = logging.getLogger("bot.channels.sms.twilio_http")
_quiet.setLevel(logging.WARNING)


def build_client(settings: Settings) -> Client:
    """The twilio REST client on aiohttp; pointed at `HELPLINE_TWILIO_API_URL` when set."""
    assert settings.twilio_account_sid is not None and settings.twilio_auth_token is not None
    client = Client(
        settings.twilio_account_sid,
        settings.twilio_auth_token.get_secret_value(),
        http_client=AsyncTwilioHttpClient(logger=_quiet, timeout=15.0),
    )
    if settings.twilio_api_url:
        client.api.base_url = settings.twilio_api_url
    return client


class SmsDelivery:
    name = CHANNEL
    replies_inline = True  # a turn's reply goes back as TwiML, not through the outbox

    def __init__(self, client: Client, settings: Settings) -> None:
        self.client = client
        self.sender = settings.twilio_from
        self.service = settings.twilio_messaging_service_sid
        base = settings.public_url or ""
        self.status_url = f"{base}{settings.sms_path}/status" if base else None

    async def deliver(self, address: str, message: Outbound) -> Delivered:
        sids = [await self.send(address, part) for part in split_body(outbound_body(message))]
        return Delivered(external_id=sids[-1] if sids else None)

    async def send(self, address: str, body: str) -> str:
        kwargs: dict[str, str] = {"to": address, "body": body}
        if self.service is not None:
            kwargs["messaging_service_sid"] = self.service
        else:
            assert self.sender is not None
            kwargs["from_"] = self.sender
        if self.status_url is not None:
            kwargs["status_callback"] = self.status_url
        try:
            sent = await self.client.messages.create_async(**kwargs)
        except TwilioRestException as exc:
            raise _reported(exc) from None  # the exception's text holds the number
        return str(sent.sid)

    async def close(self) -> None:
        http = self.client.http_client
        if isinstance(http, AsyncTwilioHttpClient):
            await http.close()


class TwilioServerError(Exception):
    """Twilio answered 5xx (or something unexpected): the outbox retries with backoff."""


def _reported(exc: TwilioRestException) -> Exception:
    if exc.status == 429:
        return RetryAfter(TOO_MANY_REQUESTS_WAIT_S)
    if exc.code in OPTED_OUT:
        return OptedOut(f"twilio {exc.code}")
    if exc.code in BAD_ADDRESS:
        return BadAddress(f"twilio {exc.code}")
    return TwilioServerError(f"twilio {exc.status} {exc.code}")
