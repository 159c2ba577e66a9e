"""Fuzzing the SMS side: Twilio form posts of every shape to the running app's webhook (signed,
forged, unsigned; fields missing, extra, empty or absurd), and delivery reports for known and
unknown SIDs. Each request gets a 200 with well-formed TwiML, a 403 (bad signature) or a 400
(required fields missing) — never a 500; a repeated MessageSid makes no second turn; the
sender's number, in any spelling, never appears in the log (issue 8)."""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
import traceback
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from aiohttp.test_utils import TestClient, TestServer
from hypothesis import given
from hypothesis import strategies as st

from bot.app import build_app
from bot.classify import load_classifier
from bot.services.duty import FixedDuty
from tests.sms.conftest import STAFF_USER, Sms, sms_settings
from tests.sms.fake_twilio import ACCOUNT_SID, FROM, PUBLIC_URL, FakeTwilio, sign
from tests.sms.test_webhook import CRISIS, card_id, open_case
from tests.staff_fakes import NoWaitLimiter
from tests.telegram.mocked_bot import MockedBot

from .strategies import FUZZ, ODD_DIGITS, texts

INBOUND = "/sms/twilio"
STATUS = "/sms/twilio/status"

# --- strategies -------------------------------------------------------------------------------

KEYWORDS = ["STOP", "START", "HELP", "FORGET", "NEW", "СТОП", "ТОҚТАТ", "ТОКТАТ", "ӨШІР", "ОШИР"]
KEYWORDS += ["unstop", "Справка", "удалить", "жаңа", "+", "more", "ещё", "/start", "/forget"]


def _any_case(word: str) -> st.SearchStrategy[str]:
    flips = st.lists(st.booleans(), min_size=len(word), max_size=len(word))
    return flips.map(
        lambda up: "".join(c.upper() if u else c.lower() for c, u in zip(word, up, strict=True))
    )


def keywords() -> st.SearchStrategy[str]:
    word = st.sampled_from(KEYWORDS).flatmap(_any_case)
    dressing = st.sampled_from(["", " ", "!", ".", "\n", "  ", "?!"])
    return st.builds(lambda a, w, b: a + w + b, dressing, word, dressing)


def bodies() -> st.SearchStrategy[str]:
    return st.one_of(
        texts(),
        keywords(),
        st.integers(-3, 40).map(str),  # menu numbers, and some no menu has
        st.text(alphabet=ODD_DIGITS + "٣٤٥۱۲३", min_size=1, max_size=3),
        st.text(alphabet="😀🆘❤️👍🏽🇰🇿\u200d\ufe0f", min_size=1, max_size=8),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=1500, max_size=2100),
        st.sampled_from([CRISIS["en"], CRISIS["ru"], CRISIS["kk"], "SOS", "0", "Hello"]),
    )


# Each drawn sender is distinctive (its own ten digits), so finding them in the log is not luck.
_numbers = itertools.count(1_000_001)


def _kz_digits() -> str:
    return f"70{next(_numbers) % 100_000_000:08d}"


@st.composite
def senders(draw: st.DrawFn) -> tuple[str, str | None]:
    """(what Twilio puts in From, the digits that identify the person or None)."""
    digits = _kz_digits()  # 7xx xxx xx xx
    kind = draw(
        st.sampled_from(
            ["e164", "e164", "e164", "eight", "spaced", "national", "foreign", "garbage", "empty"]
        )
    )
    if kind == "e164":
        return "+7" + digits, digits
    if kind == "eight":
        return "8" + digits, digits
    if kind == "spaced":
        return f"+7 ({digits[:3]}) {digits[3:6]}-{digits[6:8]}-{digits[8:]}", digits
    if kind == "national":
        return digits, digits
    if kind == "foreign":
        foreign = f"{next(_numbers) % 10_000_000:07d}"
        return draw(st.sampled_from(["+4420", "+1415", "+49301", "+99650"])) + foreign, foreign
    if kind == "garbage":
        junk = draw(st.one_of(texts(), st.sampled_from(["whatsapp:+7", "client:x", "+", " "])))
        return junk, None
    return "", None


def fresh_sid() -> str:
    return f"SM{uuid.uuid4().hex}"


@st.composite
def inbound_forms(
    draw: st.DrawFn, seen: list[tuple[str, str, str | None]]
) -> tuple[dict[str, str], str | None]:
    """(the form, the digits that identify its sender or None)."""
    sender, digits = draw(senders())
    kind = draw(st.sampled_from(["fresh"] * 6 + ["repeated"] * 3 + ["garbage"]))
    pick = draw(st.integers(0, 2**16))  # drawn every time: `seen` grows between examples
    if kind == "repeated" and seen:
        sid, first, first_digits = seen[pick % len(seen)]
        if draw(st.integers(0, 3)):  # mostly Twilio's own retry: the same sender
            sender, digits = first, first_digits
    elif kind == "garbage":
        sid = draw(st.one_of(texts(), st.text(min_size=60, max_size=80)))
    else:
        sid = fresh_sid()
    form: dict[str, str] = {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": ACCOUNT_SID,
        "MessagingServiceSid": "MG" + "0" * 32,
        "From": sender,
        "To": FROM,
        "Body": draw(bodies()),
        "NumMedia": draw(
            st.one_of(st.sampled_from(["0", "1", "3", "", "-1", "x", "٣", "10"]), texts())
        ),
        "NumSegments": "1",
        "FromCountry": "KZ",
        "ApiVersion": "2010-04-01",
    }
    if form["NumMedia"] not in ("", "0") and draw(st.booleans()):
        form["MediaUrl0"] = "https://api.twilio.com/media/ME1"
        form["MediaContentType0"] = draw(st.sampled_from(["image/jpeg", "audio/amr", "x/y"]))
    for key in draw(st.lists(st.sampled_from(sorted(form)), max_size=3)):
        form.pop(key, None)  # missing fields, the required ones too
    extra = draw(st.dictionaries(st.text(min_size=1, max_size=12), texts(), max_size=3))
    form |= {k: v for k, v in extra.items() if k not in form}
    return form, digits


def signatures(path: str, form: dict[str, str]) -> st.SearchStrategy[tuple[str | None, bool]]:
    """(the X-Twilio-Signature header or None, whether it is valid)."""
    good = sign(PUBLIC_URL + path, form)
    return st.one_of(
        st.just((good, True)),
        st.just((good, True)),
        st.just((good, True)),
        st.just((None, False)),
        st.just(("", False)),
        st.just((sign(PUBLIC_URL + path, form, token="not-the-auth-token"), False)),
        st.just((sign("https://evil.example" + path, form), False)),
        st.just((sign(PUBLIC_URL + path, form | {"Body": "forged"}), False)).filter(
            lambda s: s[0] != good
        ),
        st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)
        .filter(lambda s: s.strip() != good)
        .map(lambda s: (s, False)),
    )


@st.composite
def status_forms(draw: st.DrawFn, known: list[str]) -> dict[str, str]:
    sid = st.one_of(st.sampled_from(known), st.builds(fresh_sid), texts())
    state = st.one_of(
        st.sampled_from(["failed", "undelivered"]),
        st.sampled_from(["queued", "sent", "delivered", "read", "receiving", "", "FAILED"]),
        texts(),
    )
    code = st.one_of(
        st.sampled_from(["", "0", "30003", "30004", "30005", "30006", "30008", "21610", "21211"]),
        st.sampled_from(["abc", "30008.0", "1e3", " ", "-", "٣٠٠٠٨", "²", "None"]),
        st.integers(-(2**70), 2**70).map(str),
        texts(),
    )
    form: dict[str, str] = {}
    if draw(st.integers(0, 9)):  # mostly there, sometimes missing
        form["MessageSid"] = draw(sid)
    if draw(st.integers(0, 9)):
        form["MessageStatus"] = draw(state)
    if draw(st.integers(0, 3)):
        form["ErrorCode"] = draw(code)
    more = {
        "SmsSid": sid,
        "SmsStatus": state,
        "ErrorMessage": texts(),
        "AccountSid": st.just(ACCOUNT_SID),
        "To": senders().map(lambda s: s[0]),
        "From": st.just(FROM),
    }
    form |= draw(st.fixed_dictionaries({}, optional=more))
    return form


# --- the app, once per test function -------------------------------------------------------


async def build_sms(tmp_path: Path) -> Sms:
    twilio = FakeTwilio()
    await twilio.start()
    bot = MockedBot()
    settings = sms_settings(tmp_path, twilio.url)
    app = await build_app(settings, load_classifier(), FixedDuty(True), bot=bot)
    app.outbox.limiter = NoWaitLimiter()
    assert app.http is not None
    client = TestClient(TestServer(app.http))
    await client.start_server()
    return Sms(app, client, twilio, bot)


async def send(
    sms: Sms, path: str, form: dict[str, str], signature: str | None
) -> tuple[int, str]:
    """The form as Twilio sends it (x-www-form-urlencoded, UTF-8), whatever it holds."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    data = urlencode(form).encode()
    response = await sms.client.post(path, data=data, headers=headers)
    return response.status, await response.text()


async def close_sms(sms: Sms) -> None:
    await sms.client.close()
    await sms.app.close()
    await sms.twilio.close()


class Capture(logging.Handler):
    """Every log record at any level, as the text a handler would write (with tracebacks)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = f"{record.levelname} {record.name}: {record.getMessage()}"
        if record.exc_info:
            text += "\n" + "".join(traceback.format_exception(*record.exc_info))
        self.lines.append(text)


class Logs:
    def __enter__(self) -> Capture:
        self.capture = Capture()
        root = logging.getLogger()
        self.level = root.level
        root.setLevel(logging.DEBUG)
        root.addHandler(self.capture)
        # the database driver's own tracing (every statement) only slows the run down: what is
        # stored is checked by the privacy tests of the database
        self.driver = logging.getLogger("aiosqlite")
        self.driver_level = self.driver.level
        self.driver.setLevel(logging.INFO)
        return self.capture

    def __exit__(self, *exc: object) -> None:
        root = logging.getLogger()
        root.removeHandler(self.capture)
        root.setLevel(self.level)
        self.driver.setLevel(self.driver_level)


def twiml_messages(xml: str) -> list[str]:
    root = ET.fromstring(xml)  # well-formed, or this raises
    assert root.tag == "Response", xml
    assert all(child.tag == "Message" for child in root), xml
    return [child.text or "" for child in root]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def assert_nothing_identifying(lines: list[str], senders: list[tuple[str, str | None]]) -> None:
    logged = "\n".join(lines)
    logged_digits = _digits(logged)
    for raw, digits in senders:
        if digits is not None:
            assert digits not in logged_digits, (
                raw,
                [ln for ln in lines if digits in _digits(ln)],
            )
            assert raw not in logged, (raw, lines)


async def state_of(sms: Sms, sender: str) -> dict[str, Any] | None:
    from bot.channels.sms.webhook import routing_address

    pseudonym = sms.app.identity.pseudonym("sms", routing_address(sender))
    async with sms.app.store.transaction() as repos:
        conv = await repos.conversations.get(pseudonym)
        return None if conv is None else dict(conv.state)


async def inbound_count(sms: Sms) -> int:
    async with sms.app.store.transaction() as repos:
        return await repos.sms_inbound.count()


# --- the properties -------------------------------------------------------------------------


def test_any_inbound_post_gets_twiml_403_or_400_and_nothing_leaks(tmp_path: Path) -> None:
    with asyncio.Runner() as runner, Logs() as logs:
        sms = runner.run(build_sms(tmp_path))
        seen: list[tuple[str, str, str | None]] = []  # SIDs answered: (sid, From, digits)
        repeats = [0]  # repeated SIDs from the same sender, checked for no second turn
        answered: dict[str, tuple[str, str]] = {}  # sid → (sender, the first TwiML)

        @FUZZ
        @given(data=st.data())
        def post(data: st.DataObject) -> None:
            posted: list[tuple[str, str | None]] = []
            for _ in range(data.draw(st.integers(1, 3), label="posts")):
                form, digits = data.draw(inbound_forms(seen), label="form")
                signature, valid = data.draw(signatures(INBOUND, form), label="signature")
                sender = form.get("From", "")
                posted.append((sender, digits if "From" in form else None))
                sid = form.get("MessageSid") or form.get("SmsSid") or ""
                before_count = runner.run(inbound_count(sms))
                before = runner.run(state_of(sms, sender)) if sid in answered else None
                status, xml = runner.run(send(sms, INBOUND, form, signature=signature))
                assert status != 500, (status, xml, form)
                if not valid:
                    assert status == 403, (status, xml, form)
                    assert runner.run(inbound_count(sms)) == before_count
                    continue
                if not sid or not sender.strip():
                    assert status == 400, (status, xml, form)
                    assert runner.run(inbound_count(sms)) == before_count
                    continue
                if len(sid) > 64:
                    assert status == 400, (status, xml, form)
                    continue
                assert status == 200, (status, xml, form)
                twiml_messages(xml)
                if sid in answered:
                    first_sender, first_xml = answered[sid]
                    assert xml == first_xml, (xml, first_xml, form)  # the same answer again
                    assert runner.run(inbound_count(sms)) == before_count
                    if sender == first_sender:  # and no second turn
                        assert runner.run(state_of(sms, sender)) == before, form
                        repeats[0] += 1
                else:
                    answered[sid] = (sender, xml)
                    seen.append((sid, sender, digits))
            runner.run(sms.deliver())
            assert_nothing_identifying(logs.lines, posted)
            logs.lines.clear()

        try:
            post()
            assert repeats[0] > 0 or FUZZ.max_examples < 100, "no repeated SID was checked"
        finally:
            runner.run(close_sms(sms))


def test_any_status_callback_gets_204_or_403_and_nothing_leaks(tmp_path: Path) -> None:
    with asyncio.Runner() as runner, Logs() as logs:
        sms = runner.run(build_sms(tmp_path))
        phone = "+77015550123"

        async def a_relay() -> list[str]:
            case_id = await open_case(sms, phone, CRISIS["en"])
            assert (await sms.app.staff.claim(case_id, STAFF_USER)).ok
            await sms.staff_writes("Are you safe now?", await card_id(sms, case_id))
            await sms.deliver()
            return [s.sid for s in sms.twilio.sent]

        known = runner.run(a_relay())
        assert known

        @FUZZ
        @given(data=st.data())
        def report(data: st.DataObject) -> None:
            form = data.draw(status_forms(known), label="form")
            signature, valid = data.draw(signatures(STATUS, form), label="signature")
            status, text = runner.run(send(sms, STATUS, form, signature=signature))
            assert status == (204 if valid else 403), (status, text, form)
            runner.run(sms.deliver())
            assert_nothing_identifying(logs.lines, [(phone, "7015550123")])
            logs.lines.clear()

        try:
            report()
        finally:
            runner.run(close_sms(sms))
