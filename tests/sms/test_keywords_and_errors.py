"""STOP / START / FORGET by SMS, the keywords' reach, and Twilio's errors."""

from __future__ import annotations

import pytest
from aiogram.methods import EditMessageText

from bot.channels.sms.keywords import keyword_of, parse
from bot.dialogs import Event
from bot.services.duty import FixedDuty
from bot.services.turns import Inbound, TurnService
from tests.fakes import FakeClassifier
from tests.sms.conftest import STAFF_USER, Sms
from tests.sms.test_webhook import CRISIS, card_id, open_case, state_of


@pytest.mark.parametrize(
    ("body", "keyword"),
    [
        ("STOP", "stop"),
        ("Стоп!", "stop"),
        ("  тоқтат ", "stop"),
        ("токтат", "stop"),
        ("ОТПИСКА", "stop"),
        ("start", "start"),
        ("СТАРТ", "start"),
        ("бастау", "start"),
        ("FORGET", "forget"),
        ("ӨШІР", "forget"),
        ("ошир", "forget"),
        ("Удалить", "forget"),
        ("HELP", "help"),
        ("+", "more"),
        ("стоп, он меня бьёт", None),
        ("please stop hitting me", None),
        ("1", None),
    ],
)
def test_keywords_are_whole_messages_in_three_languages(body: str, keyword: str | None) -> None:
    assert keyword_of(body) == keyword


def test_a_keyword_is_a_command_and_anything_else_is_text() -> None:
    assert parse("СТОП").event == Event("command", command="stop")
    assert parse("ӨШІР").event == Event("command", command="forget")
    assert parse("0").event == Event("text", text="0")


async def test_on_telegram_the_words_stay_dialog_text(sms: Sms) -> None:
    store, identity = sms.app.store, sms.app.identity
    turns = TurnService(store, FakeClassifier(), identity, FixedDuty(True))
    await turns.handle(Inbound("telegram", "5001", Event("start")))
    outcome = await turns.handle(Inbound("telegram", "5001", Event("text", text="СТОП")))
    assert not outcome.silenced
    async with store.transaction() as repos:
        conv = await repos.conversations.get(identity.pseudonym("telegram", "5001"))
        assert conv is not None and not conv.stopped


async def test_stop_silences_the_number_even_for_staff_and_start_brings_it_back(
    sms: Sms,
) -> None:
    phone = "+77011230010"
    case_id = await open_case(sms, phone, CRISIS["ru"])
    assert (await sms.app.staff.claim(case_id, STAFF_USER)).ok
    await sms.deliver()
    before = len(sms.twilio.sent)

    assert "СТАРТ" in await sms.text(phone, "СТОП")
    await sms.deliver()
    assert "STOP" in sms.bot.session.sent(EditMessageText)[-1].text  # the card says opted out
    await sms.staff_writes("Ты здесь?", await card_id(sms, case_id))
    assert await sms.text(phone, "мне плохо") == ""  # read, not answered
    await sms.deliver()
    assert len(sms.twilio.sent) == before  # not even the counsellor's message
    relayed = [t for t in sms.staff_texts() if "мне плохо" in t]
    assert relayed  # what the person writes still reaches the counsellor

    assert await sms.text(phone, "СТАРТ") != ""
    await sms.deliver()
    assert "STOP" not in sms.bot.session.sent(EditMessageText)[-1].text
    await sms.staff_writes("Я здесь, с тобой.", await card_id(sms, case_id))
    await sms.deliver()
    assert [s.body for s in sms.twilio.sent[before:]] == ["Я здесь, с тобой."]


async def test_forget_erases_the_number(sms: Sms) -> None:
    phone = "+77011230011"
    case_id = await open_case(sms, phone, CRISIS["kk"])
    reply = await sms.text(phone, "ӨШІР")
    assert reply
    state = await state_of(sms, phone)
    assert state is None or (state.step == "new" and state.caller is None)  # nothing kept
    async with sms.app.store.transaction() as repos:
        case = await repos.cases.get(case_id)
        assert case is not None and case.routing_enc is None and case.status == "closed"


async def test_twilio_429_and_5xx_are_retried_and_the_message_goes_once(sms: Sms) -> None:
    phone = "+77011230012"
    case_id = await open_case(sms, phone, CRISIS["en"])
    sms.twilio.fail(429, 20429)
    sms.twilio.fail(503, 20500)
    assert (await sms.app.staff.claim(case_id, STAFF_USER)).ok
    await sms.deliver()
    assert sms.twilio.sent == []
    async with sms.app.store.transaction() as repos:
        rows = [r for r in await repos.outbox.list() if r.target == "user"]
        for row in rows:  # as if the wait were over
            row.next_attempt_at = repos.now()
    sms.app.outbox.limiter.pause(f"sms:user:{case_id}", 0)
    for _ in range(3):
        await sms.deliver()
        async with sms.app.store.transaction() as repos:
            for row in await repos.outbox.list():
                row.next_attempt_at = repos.now()
    assert [s.to for s in sms.twilio.sent] == [phone]
    assert sms.twilio.requests == 3


@pytest.mark.parametrize(("code", "shown"), [(21610, "STOP"), (21614, "SMS"), (21211, "SMS")])
async def test_twilio_refusals_are_shown_on_the_card(sms: Sms, code: int, shown: str) -> None:
    phone = "+77011230013"
    case_id = await open_case(sms, phone, CRISIS["en"])
    sms.twilio.fail(400, code)
    assert (await sms.app.staff.claim(case_id, STAFF_USER)).ok
    await sms.deliver()
    async with sms.app.store.transaction() as repos:
        case = await repos.cases.get(case_id)
        rows = [r for r in await repos.outbox.list() if r.target == "user"]
    assert case is not None
    assert case.delivery_problem == ("opted_out" if code == 21610 else "bad_address")
    assert [r.status for r in rows] == ["failed"]
    assert shown in sms.bot.session.sent(EditMessageText)[-1].text
