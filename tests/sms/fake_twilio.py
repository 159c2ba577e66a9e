"""A local fake of Twilio's Messages REST API (an aiohttp server), and signing like Twilio.

`POST /2010-04-01/Accounts/{AccountSid}/Messages.json` with Basic auth answers like Twilio
(201 and a message resource with a fresh SM… sid) and records what was sent; `fail(status,
code)` makes the next request fail with Twilio's error body. The test points the real twilio
REST client at it with HELPLINE_TWILIO_API_URL.
"""

from __future__ import annotations

import base64
import itertools
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer
from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
FROM = "+77001112233"
PUBLIC_URL = "https://helpline.example.kz"


def sign(url: str, params: dict[str, str], token: str = AUTH_TOKEN) -> str:
    """The X-Twilio-Signature Twilio would send (twilio's own RequestValidator)."""
    return str(RequestValidator(token).compute_signature(url, params))


@dataclass
class SentSms:
    sid: str
    to: str
    body: str
    sender: str | None
    service: str | None
    status_callback: str | None


@dataclass
class FakeTwilio:
    sent: list[SentSms] = field(default_factory=list)
    failures: deque[tuple[int, int]] = field(default_factory=deque)
    requests: int = 0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    server: TestServer | None = None

    def fail(self, status: int, code: int, times: int = 1) -> None:
        self.failures.extend([(status, code)] * times)

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/")

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/2010-04-01/Accounts/{account}/Messages.json", self._create)
        self.server = TestServer(app)
        await self.server.start_server()

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    async def _create(self, request: web.Request) -> web.Response:
        self.requests += 1
        expected = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
        if request.headers.get("Authorization") != expected:
            return _error(401, 20003, "Authenticate")
        if request.match_info["account"] != ACCOUNT_SID:
            return _error(404, 20404, "not found")
        form = await request.post()
        if self.failures:
            status, code = self.failures.popleft()
            return _error(status, code, "scripted failure")
        sid = f"SM{next(self._ids):032x}"
        sms = SentSms(
            sid,
            str(form["To"]),
            str(form.get("Body", "")),
            _opt(form.get("From")),
            _opt(form.get("MessagingServiceSid")),
            _opt(form.get("StatusCallback")),
        )
        self.sent.append(sms)
        return web.json_response(
            {
                "sid": sid,
                "account_sid": ACCOUNT_SID,
                "to": sms.to,
                "from": sms.sender,
                "body": sms.body,
                "status": "queued",
                "num_segments": "1",
                "direction": "outbound-api",
                "api_version": "2010-04-01",
                "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
            },
            status=201,
        )


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)


def _error(status: int, code: int, message: str) -> web.Response:
    body = {"code": code, "message": message, "more_info": "", "status": status}
    return web.json_response(body, status=status)
