"""SMS settings, the shared HTTP server, the whole case life on SMS, and what is never logged."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.app import build_app
from bot.config import ConfigError, load_settings
from bot.services.duty import FixedDuty
from tests.fakes import FakeClassifier
from tests.sms.conftest import STAFF_USER, Sms, sms_settings
from tests.sms.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL
from tests.sms.test_webhook import CRISIS, card_id, open_case
from tests.telegram.mocked_bot import MockedBot


def test_a_missing_twilio_setting_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPLINE_SECRET_KEY", "unit-test-secret-key-0123456789")
    monkeypatch.setenv("HELPLINE_TWILIO_ACCOUNT_SID", ACCOUNT_SID)
    monkeypatch.setenv("HELPLINE_TWILIO_FROM", "+77001112233")
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert "HELPLINE_TWILIO_AUTH_TOKEN" in raised.value.message
    assert "HELPLINE_PUBLIC_URL" in raised.value.message
    assert AUTH_TOKEN not in raised.value.message


def test_malformed_twilio_settings_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPLINE_SECRET_KEY", "unit-test-secret-key-0123456789")
    monkeypatch.setenv("HELPLINE_TWILIO_ACCOUNT_SID", "not-a-sid")
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert "HELPLINE_TWILIO_ACCOUNT_SID" in raised.value.message


async def test_telegram_webhook_and_sms_share_one_http_server(tmp_path: Path) -> None:
    settings = sms_settings(
        tmp_path, "http://127.0.0.1:9", telegram_webhook_url=f"{PUBLIC_URL}/telegram/hook"
    )
    app = await build_app(settings, FakeClassifier(), FixedDuty(True), bot=MockedBot())
    try:
        assert app.http is not None and app.telegram is not None
        paths = {r.resource.canonical for r in app.http.router.routes() if r.resource}
        assert {"/sms/twilio", "/sms/twilio/status", "/telegram/hook"} <= paths
        assert app.telegram.shared_http
        assert set(app.channels) == {"telegram", "sms"}
    finally:
        await app.close()


async def test_claim_relay_and_close_work_for_an_sms_case(sms: Sms) -> None:
    phone = "+77011230020"
    case_id = await open_case(sms, phone, CRISIS["ru"])
    assert (await sms.app.staff.claim(case_id, STAFF_USER)).ok
    await sms.staff_writes("Я здесь.", await card_id(sms, case_id))
    assert "Передали" in await sms.text(phone, "спасибо, мне уже лучше")
    await sms.deliver()
    assert any("мне уже лучше" in text for text in sms.staff_texts())
    for action, value in (("close", ""), ("catnext", ""), ("svc", "psychological")):
        assert (await sms.app.staff.close_form(case_id, STAFF_USER, action, value)).ok
    assert (await sms.app.staff.close_form(case_id, STAFF_USER, "out", "consulted")).ok
    assert (await sms.app.staff.close_form(case_id, STAFF_USER, "profdone", "")).ok
    await sms.deliver()
    bodies = [s.body for s in sms.twilio.sent]
    assert len(bodies) == 3 and bodies[1] == "Я здесь."
    assert "112" in bodies[2]  # "our talk is closed", short
    assert all(s.to == phone for s in sms.twilio.sent)
    async with sms.app.store.transaction() as repos:
        case = await repos.cases.get(case_id)
    assert case is not None and case.status == "closed" and case.routing_enc is None


async def test_a_picture_without_text_gets_a_friendly_answer(sms: Sms) -> None:
    params = {"MessageSid": "SM" + "b" * 32, "AccountSid": ACCOUNT_SID, "From": "+77011230021"}
    params |= {"To": "+77001112233", "Body": "", "NumMedia": "1"}
    status, xml = await sms.post("/sms/twilio", params)
    assert status == 200 and "<Message>" in xml


async def test_no_phone_number_or_text_reaches_the_log(
    sms: Sms, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # the production level (DEBUG is for a developer)
    phone = "+77011230022"
    case_id = await open_case(sms, phone, CRISIS["en"])
    assert (await sms.app.staff.claim(case_id, STAFF_USER)).ok
    sms.twilio.fail(503, 20500)
    await sms.staff_writes("secret words", await card_id(sms, case_id))
    await sms.deliver()
    logged = caplog.text
    assert caplog.records  # something was logged (the retried send)
    for needle in (phone, phone[1:], "7011230022", "kill myself", "secret words"):
        assert needle not in logged
