"""Acceptance of the SMS channel: real signed requests to the running app's webhook, the real
twilio REST client against a local fake of Twilio, the staff group on a mocked Telegram Bot."""

from __future__ import annotations

import pytest
from aiogram.methods import EditMessageText

from bot.channels.sms.segments import segments
from bot.channels.sms.texts import REPLY_BUDGET
from bot.dialogs import State
from tests.sms.conftest import STAFF_USER, Sms
from tests.sms.fake_twilio import ACCOUNT_SID, FROM
from tests.sms.test_segments_per_conversation import bench

BENCH = bench()
ROUTINE = BENCH.ROUTINE
CRISIS = {
    "kk": "өзімді өлтіргім келеді",
    "ru": "я хочу покончить с собой",
    "en": "I want to kill myself",
}


async def state_of(sms: Sms, phone: str) -> State | None:
    pseudonym = sms.app.identity.pseudonym("sms", phone)
    async with sms.app.store.transaction() as repos:
        conv = await repos.conversations.get(pseudonym)
        return State.from_dict(conv.state) if conv is not None else None


async def open_case(sms: Sms, phone: str, text: str) -> int:
    await sms.text(phone, text)
    await sms.deliver()
    async with sms.app.store.transaction() as repos:
        case = (await repos.cases.list())[-1]
    return case.id


async def card_id(sms: Sms, case_id: int) -> int:
    async with sms.app.store.transaction() as repos:
        case = await repos.cases.get(case_id)
        assert case is not None and case.card_message_id is not None
        return case.card_message_id


def last_card(sms: Sms) -> str:
    edits = sms.bot.session.sent(EditMessageText)
    return edits[-1].text if edits else sms.staff_texts()[0]


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
async def test_a_full_routine_triage_by_sms(sms: Sms, language: str) -> None:
    """Hello, "1" (a child), the problem in words, then every menu answered by its label's
    number (the second page of regions asked for with "+"), then the message itself."""
    phone = "+77011230001"
    hello, problem, message = ROUTINE[language]
    replies = [await sms.text(phone, line) for line in (hello, "1", problem)]
    answers: list[str] = []
    while (answer := BENCH.answer_for(replies[-1], language)) is not None:
        answers.append(answer)
        replies.append(await sms.text(phone, answer))
        assert len(answers) < 12, replies
    replies.append(await sms.text(phone, message))
    state = await state_of(sms, phone)
    assert state is not None and state.language == language
    assert state.caller == "child" and state.age_band == "10-12" and state.gender == "girl"
    assert state.region == "karaganda" and state.category == "education"
    assert state.step == "message"
    assert "+" in answers  # the regions came in two pages
    assert all(reply for reply in replies), replies
    assert all(segments(reply) <= REPLY_BUDGET for reply in replies), replies
    async with sms.app.store.transaction() as repos:
        assert len(await repos.intakes.list()) == 1


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
async def test_a_crisis_reaches_the_staff_and_their_reply_reaches_the_phone_once(
    sms: Sms, language: str
) -> None:
    phone = "+77011230002"
    await sms.text(phone, ROUTINE[language][0])
    reply = await sms.text(phone, CRISIS[language])
    assert "112" in reply and "150" in reply
    await sms.deliver()
    cards = sms.staff_texts()
    assert len(cards) == 1 and "sms" in cards[0] and "🔴" in cards[0]
    assert phone not in cards[0] and phone[1:] not in cards[0]

    async with sms.app.store.transaction() as repos:
        case_id = (await repos.cases.list())[-1].id
    assert (await sms.app.staff.claim(case_id, STAFF_USER)).ok
    await sms.staff_writes("I am here with you. Are you safe now?", await card_id(sms, case_id))
    await sms.deliver()
    await sms.deliver()  # a second sweep sends nothing more
    relays = [s for s in sms.twilio.sent if "I am here with you" in s.body]
    assert len(relays) == 1
    assert relays[0].to == phone and relays[0].sender == FROM
    assert relays[0].status_callback == "https://helpline.example.kz/sms/twilio/status"
    assert [s.to for s in sms.twilio.sent] == [phone, phone]  # "a person joined", the reply


async def test_forged_or_missing_signature_gets_403_and_changes_nothing(sms: Sms) -> None:
    params = {"MessageSid": "SM" + "f" * 32, "AccountSid": ACCOUNT_SID, "From": "+77011230003"}
    params |= {"To": FROM, "Body": "Hello", "NumMedia": "0"}
    assert (await sms.post("/sms/twilio", params, signature=None))[0] == 403
    assert (await sms.post("/sms/twilio", params, signature="Zm9yZ2Vk"))[0] == 403
    tampered = params | {"Body": "Hi"}  # signed for another body
    from tests.sms.fake_twilio import PUBLIC_URL, sign

    status, _ = await sms.post(
        "/sms/twilio", tampered, signature=sign(PUBLIC_URL + "/sms/twilio", params)
    )
    assert status == 403
    status_params = {"MessageSid": "SM" + "e" * 32, "MessageStatus": "failed"}
    assert (await sms.post("/sms/twilio/status", status_params, signature=None))[0] == 403
    async with sms.app.store.transaction() as repos:
        assert await repos.conversations.count() == 0
        assert await repos.sms_inbound.count() == 0
    assert await state_of(sms, "+77011230003") is None


async def test_a_repeated_message_sid_gets_the_same_reply_and_no_second_turn(sms: Sms) -> None:
    phone = "+77011230004"
    await sms.text(phone, "Hello")
    first = await sms.text(phone, "1", sid="SM" + "a" * 32)
    assert (await state_of(sms, phone)).step == "topic"  # type: ignore[union-attr]
    again = await sms.text(phone, "1", sid="SM" + "a" * 32)
    assert again == first
    state = await state_of(sms, phone)
    assert state is not None and state.step == "topic" and state.category is None


async def test_a_status_callback_marking_a_relay_failed_shows_on_the_card(sms: Sms) -> None:
    phone = "+77011230005"
    case_id = await open_case(sms, phone, CRISIS["en"])
    assert (await sms.app.staff.claim(case_id, STAFF_USER)).ok
    await sms.staff_writes("Can you tell me where you are?", await card_id(sms, case_id))
    await sms.deliver()
    relay = next(s for s in sms.twilio.sent if "where you are" in s.body)
    status = {"MessageSid": relay.sid, "AccountSid": ACCOUNT_SID, "To": phone}
    status |= {"MessageStatus": "undelivered", "ErrorCode": "30008"}
    code, _ = await sms.post("/sms/twilio/status", status)
    assert code == 204
    await sms.deliver()
    assert "Ответ человеку не доставлен" in last_card(sms)
    async with sms.app.store.transaction() as repos:
        row = await repos.outbox.by_external_id(relay.sid)
        assert row is not None and row.status == "failed"


async def test_a_delivered_report_changes_nothing(sms: Sms) -> None:
    phone = "+77011230006"
    case_id = await open_case(sms, phone, CRISIS["en"])
    assert (await sms.app.staff.claim(case_id, STAFF_USER)).ok
    await sms.deliver()
    notice = sms.twilio.sent[-1]
    status = {"MessageSid": notice.sid, "MessageStatus": "delivered"}
    assert (await sms.post("/sms/twilio/status", status))[0] == 204
    async with sms.app.store.transaction() as repos:
        row = await repos.outbox.by_external_id(notice.sid)
        case = await repos.cases.get(case_id)
    assert row is not None and row.status == "sent"
    assert case is not None and case.delivery_problem is None
