"""The whole app with SMS configured: the real webhook on an HTTP test server, the real
twilio REST client pointed at the fake, Telegram's staff group on a mocked Bot."""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiogram.methods import SendMessage
from aiogram.types import Update
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.app import App, build_app
from bot.classify import load_classifier
from bot.classify.types import Classifier
from bot.config import Settings
from bot.services.duty import FixedDuty
from tests.sms.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM, PUBLIC_URL, FakeTwilio, sign
from tests.staff_fakes import NoWaitLimiter
from tests.telegram.mocked_bot import MockedBot

STAFF_CHAT = -1001234567
STAFF_USER = 777
_sids = itertools.count(1)
_updates = itertools.count(1)


@pytest.fixture(scope="session")
def classifier() -> Classifier:
    return load_classifier()


@dataclass
class Sms:
    app: App
    client: TestClient[Any, Any]
    twilio: FakeTwilio
    bot: MockedBot
    replies: list[str] = field(default_factory=list)

    async def post(
        self, path: str, params: dict[str, str], signature: str | None = "sign"
    ) -> tuple[int, str]:
        headers = {}
        if signature == "sign":
            headers["X-Twilio-Signature"] = sign(PUBLIC_URL + path, params)
        elif signature is not None:
            headers["X-Twilio-Signature"] = signature
        response = await self.client.post(path, data=params, headers=headers)
        return response.status, await response.text()

    async def text(self, phone: str, body: str, sid: str | None = None) -> str:
        """A message from a phone, as Twilio posts it; returns what the TwiML says."""
        params = {
            "MessageSid": sid or f"SM{next(_sids):032x}",
            "AccountSid": ACCOUNT_SID,
            "From": phone,
            "To": FROM,
            "Body": body,
            "NumMedia": "0",
        }
        status, xml = await self.post("/sms/twilio", params)
        assert status == 200, xml
        reply = "\n".join(message_texts(xml))
        self.replies.append(reply)
        return reply

    async def deliver(self) -> None:
        while await self.app.outbox.run_once():
            pass

    def staff_texts(self) -> list[str]:
        return [c.text for c in self.bot.session.sent(SendMessage) if c.chat_id == STAFF_CHAT]

    async def staff_writes(self, text: str, reply_to: int) -> None:
        """A counsellor's message in the staff group, replying to a case message."""
        assert self.app.telegram is not None
        update = {
            "update_id": next(_updates),
            "message": {
                "message_id": 50_000 + next(_updates),
                "date": 0,
                "chat": {"id": STAFF_CHAT, "type": "supergroup", "title": "Staff"},
                "from": {"id": STAFF_USER, "is_bot": False, "first_name": "Staff"},
                "text": text,
                "reply_to_message": {
                    "message_id": reply_to,
                    "date": 0,
                    "chat": {"id": STAFF_CHAT, "type": "supergroup", "title": "Staff"},
                    "text": "card",
                },
            },
        }
        await self.app.telegram.dispatcher.feed_update(
            self.bot, Update.model_validate(update, context={"bot": self.bot})
        )


def message_texts(xml: str) -> list[str]:
    import html

    return [html.unescape(m) for m in re.findall(r"<Message>(.*?)</Message>", xml, re.S)]


def sms_settings(tmp_path: Path, twilio_url: str, **more: Any) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/sms.db",
        secret_key=SecretStr("unit-test-secret-key-0123456789"),
        telegram_token=SecretStr("42:TEST-mocked-bot-token-abcdefghijklmnop"),
        staff_chat_id=STAFF_CHAT,
        public_url=PUBLIC_URL,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=SecretStr(AUTH_TOKEN),
        twilio_from=FROM,
        twilio_api_url=twilio_url,
        **more,
    )


@pytest.fixture
async def sms(tmp_path: Path, classifier: Classifier) -> AsyncIterator[Sms]:
    twilio = FakeTwilio()
    await twilio.start()
    bot = MockedBot()
    app = await build_app(sms_settings(tmp_path, twilio.url), classifier, FixedDuty(True), bot=bot)
    app.outbox.limiter = NoWaitLimiter()  # `deliver` drains at once; limits are tested elsewhere
    assert app.http is not None
    client = TestClient(TestServer(app.http))
    await client.start_server()
    try:
        yield Sms(app, client, twilio, bot)
    finally:
        await client.close()
        await app.close()
        await twilio.close()
