"""The SMS channel's inbound half: Twilio's webhooks on the shared aiohttp server.

    POST {sms_path}          a message from a phone → one dialog turn → the reply as TwiML
    POST {sms_path}/status   a delivery report for a message we sent → the outbox row

Every request must carry a valid `X-Twilio-Signature` for the public URL
(`HELPLINE_PUBLIC_URL` + path, so it holds behind a proxy); anything else gets 403 and changes
nothing. Twilio re-posts a webhook it got no answer to: a MessageSid seen before gets the
reply it got the first time and no second turn.

An inbound SMS is stored in the durable inbox (bot/inbox.py; MessageSid as its id, the
update encrypted) before anything else, leased to this request and handled at once, so the
reply goes back as TwiML; the turn marks the inbox row handled in its own transaction. If
the handler fails or the process dies mid-turn, the row stays pending and the inbox worker
handles it (`from_inbox`): no HTTP response waits then, so the reply goes out through the
outbox to the phone. `sms_inbound` keeps the TwiML answered, for Twilio's retries.

The phone number is used for the conversation's pseudonym and, while a case is open, as its
encrypted routing address; it is never logged.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import phonenumbers
from aiohttp import web
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot.channels.sms import keywords
from bot.channels.sms import texts as st
from bot.channels.sms.delivery import CHANNEL
from bot.channels.sms.render import body, split_body
from bot.dialogs import Event
from bot.dialogs.model import ClearChat, Msg
from bot.inbox import Inbox, current_update
from bot.services.turns import Inbound, Outcome, TurnService
from bot.staff.outbox_rows import mark_delivery
from storage import Store

log = logging.getLogger(__name__)

SOURCE = CHANNEL  # the inbox source of inbound SMS ("sms")
MAX_SID = 64  # the length of sms_inbound.message_sid (Twilio's are 34)
SAME_SID_WAIT_S = 10.0  # a retry that arrives while the first post is still being handled
FAILED = frozenset({"failed", "undelivered"})
OPTED_OUT_CODES = frozenset({21610, 30004})
BAD_ADDRESS_CODES = frozenset({30003, 30005, 30006, 21211, 21614})


def twiml(texts: list[str]) -> str:
    response = MessagingResponse()
    for text in texts:
        response.message(text)
    return str(response)


def routing_address(sender: str) -> str:
    """The sender as E.164 (one person, one pseudonym, however Twilio spells it)."""
    try:
        number = phonenumbers.parse(sender, "KZ")
    except phonenumbers.NumberParseException:
        return sender.strip()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@dataclass
class SmsWebhook:
    turns: TurnService
    store: Store
    inbox: Inbox
    auth_token: str
    public_url: str
    path: str = "/sms/twilio"

    def register(self, app: web.Application) -> None:
        app.router.add_post(self.path, self.inbound)
        app.router.add_post(self.path + "/status", self.status)

    async def _signed_form(self, request: web.Request) -> dict[str, str] | None:
        form = await request.post()
        params = {key: value for key, value in form.items() if isinstance(value, str)}
        signature = request.headers.get("X-Twilio-Signature", "")
        url = self.public_url + request.rel_url.path_qs
        if not signature or not RequestValidator(self.auth_token).validate(url, params, signature):
            return None
        return params

    async def inbound(self, request: web.Request) -> web.Response:
        params = await self._signed_form(request)
        if params is None:
            return web.Response(status=403, text="invalid signature")
        sid = params.get("MessageSid") or params.get("SmsSid") or ""
        sender = params.get("From", "")
        if not sid or not sender.strip():
            return web.Response(status=400, text="MessageSid and From are required")
        if len(sid) > MAX_SID:  # no Twilio SID; and more than its column holds (PostgreSQL: 500)
            return web.Response(status=400, text="MessageSid is too long")
        address = routing_address(sender)
        update = {
            "address": address,
            "body": params.get("Body", ""),
            "num_media": params.get("NumMedia", "0"),
        }
        try:  # stored (encrypted) before anything else: a crash from here on loses nothing
            held = await self.inbox.hold(SOURCE, sid, address, update)
        except Exception as exc:  # not stored: Twilio posts it again
            log.error("sms not stored (%s)", type(exc).__name__.lower())
            return web.Response(status=500)
        if held is None:  # handled, or being handled: the reply it got (or got queued)
            return _xml(await self._earlier_reply(sid))
        try:
            reply = await self.turn(address, update["body"], update["num_media"], inbox_id=held)
        except Exception:
            await self.inbox.release(held)  # the inbox worker handles it; reply by the outbox
            raise
        async with self.store.transaction() as repos:
            await repos.sms_inbound.answered(sid, reply)
        return _xml(reply)

    async def from_inbox(self, update: dict[str, Any]) -> None:
        """An SMS left pending (its webhook's handler died or failed), handled by the inbox
        worker: no HTTP response waits for it, so the reply goes to the phone by the outbox."""
        await self.turn(
            update["address"],
            update.get("body", ""),
            update.get("num_media", "0"),
            inbox_id=current_update(),
            by_outbox=True,
        )

    async def _earlier_reply(self, sid: str) -> str:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SAME_SID_WAIT_S
        while True:
            async with self.store.transaction() as repos:
                _seen, reply = await repos.sms_inbound.reply_for(sid)
            if reply is not None:
                return reply
            if not await self.inbox.is_pending(SOURCE, sid):
                return twiml([])  # handled by the worker: its reply went by the outbox
            if loop.time() > deadline:
                return twiml([])  # still in hand: the reply follows by the outbox if need be
            await asyncio.sleep(0.1)

    async def turn(
        self,
        address: str,
        text: str,
        num_media: str = "0",
        *,
        inbox_id: int | None = None,
        by_outbox: bool = False,
    ) -> str:
        """One message from a phone: the turn, and the TwiML that answers it (empty when
        `by_outbox`: the reply was queued in the turn's own transaction)."""
        parsed = keywords.parse(text)
        event = parsed.event
        if num_media not in ("", "0") and not text.strip():
            event = Event("unsupported")  # a picture or a voice message (MMS)
        inbound = Inbound(
            CHANNEL,
            address,
            event,
            inbox_id=inbox_id,
            keeps_stop=parsed.keyword != "start",
            reply_by_outbox=by_outbox,
        )
        if parsed.keyword == "more":
            outcome = await self.turns.resume(inbound)
            choices = outcome.reply.choices
            texts = [] if outcome.silenced else [body([], choices, outcome.language, page=1)]
            return twiml([] if by_outbox else texts)
        outcome = await self.turns.handle(inbound)
        if by_outbox or (outcome.silenced and parsed.keyword != "help"):
            return twiml([])  # opted out: read (a crisis still reaches the staff), not answered
        return twiml(split_body(render_outcome(outcome)))

    async def status(self, request: web.Request) -> web.Response:
        params = await self._signed_form(request)
        if params is None:
            return web.Response(status=403, text="invalid signature")
        sid = params.get("MessageSid") or params.get("SmsSid") or ""
        state = params.get("MessageStatus", "")
        if sid and state in FAILED:
            await self.delivery_failed(sid, _problem(_error_code(params.get("ErrorCode"))))
        return web.Response(status=204)

    async def delivery_failed(self, sid: str, problem: str) -> None:
        async with self.store.transaction() as repos:
            row = await repos.outbox.by_external_id(sid)
            if row is None:
                return
            row.status = "failed"
            if row.case_id is None:
                return
            case = await repos.cases.get(row.case_id)
            if case is not None:
                await mark_delivery(repos, case, problem)
            if problem == "opted_out":
                await repos.conversations.mark_blocked_for_case(row.case_id)
        log.info("an SMS to a person was not delivered; the case card says so")


def render_outcome(outcome: Outcome) -> str:
    reply = outcome.reply
    extra: list[str] = []
    if any(isinstance(a, ClearChat) for a in outcome.channel_actions):
        from bot.channels.sms.render import text_of

        extra.append(text_of(Msg(st.CLEAR), outcome.language))
    return body(reply.messages, reply.choices, outcome.language, extra)


def _error_code(value: str | None) -> int:
    """Twilio's ErrorCode as a number; anything else (empty, "abc", "1e3") counts as unknown."""
    text = (value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        return 0
    return int(text)


def _problem(code: int) -> str:
    if code in OPTED_OUT_CODES:
        return "opted_out"
    if code in BAD_ADDRESS_CODES:
        return "bad_address"
    return "relay_failed"


def _xml(text: str) -> web.Response:
    return web.Response(text=text, content_type="application/xml")
