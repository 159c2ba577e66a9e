"""Issue 10, acceptance 2, on SMS: a parent books a callback by text message "with the sender's
number". Real signed requests to the running app's webhook, the staff group on a mocked Bot,
the fake Twilio REST API, one manual clock for the dialog, the book and the desk.

The card reaches the staff group at once without the number; when the slot opens (the clock
moved, the sweep the app runs every 20 s run once) the 'due now' card appears; Take, fed
through the real staff router, sends the number privately to the taker only; Called writes the
intake record; afterwards no table holds the number, not even encrypted."""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.types import Update
from aiohttp.test_utils import TestClient, TestServer
from cryptography.fernet import InvalidToken

from bot.app import build_app
from bot.channels.sms.render import text_of
from bot.classify.types import Classifier
from bot.dialogs import Msg, menus
from bot.dialogs import callback_texts as ct
from bot.dialogs import texts as t
from bot.i18n import gettext
from bot.services.clock import ManualClock
from bot.services.duty import FixedDuty
from bot.staff import callback_texts as cst
from bot.staff.callbacks import StaffAction
from tests.dialog_driver import NOW
from tests.integration.test_turns import dump
from tests.sms.conftest import STAFF_CHAT, STAFF_USER, Sms, sms_settings
from tests.sms.fake_twilio import FROM, FakeTwilio
from tests.staff_fakes import NoWaitLimiter
from tests.telegram.mocked_bot import MockedBot

PHONE = "+77019876543"  # not the example number the dialog shows (+77012345678)
DIGITS = PHONE[2:]  # 7019876543: the number however it is spaced or prefixed
MASKED = "+7 701 *** ** 43"
HELLO = {"ru": "Здравствуйте, мне нужна помощь", "en": "Hello, I need some help"}
_updates = itertools.count(90_000)


@pytest.fixture
async def sms_at(tmp_path: Path, classifier: Classifier) -> AsyncIterator[tuple[Sms, ManualClock]]:
    """The SMS app of conftest, built with a manual clock (10:00 in Almaty, a Tuesday) and
    someone on shift, so the parent is offered 'chat now or call back'."""
    clock = ManualClock(NOW)
    twilio = FakeTwilio()
    await twilio.start()
    bot = MockedBot()
    settings = sms_settings(tmp_path, twilio.url, staff_language="ru")
    app = await build_app(settings, classifier, FixedDuty(True), bot=bot, clock=clock)
    app.outbox.limiter = NoWaitLimiter()
    assert app.http is not None
    client = TestClient(TestServer(app.http))
    await client.start_server()
    try:
        yield Sms(app, client, twilio, bot), clock
    finally:
        await client.close()
        await app.close()
        await twilio.close()


def number_of(reply: str, label: str) -> str:
    """The number an SMS menu gives the option `label` ("… 2 Родитель 3 …" → "2")."""
    found = re.search(rf"(?:^|\s)(\d+) {re.escape(label)}(?:\s|$)", reply)
    assert found, f"{label!r} is not offered in {reply!r}"
    return found.group(1)


def label(key: str, language: str, **args: Any) -> str:
    return text_of(Msg.of(key, **args) if args else Msg(key), language)


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


async def book_by_sms(sms: Sms, language: str) -> list[str]:
    """Hello, then every menu answered by its number up to the read-back, 'this number', and
    Confirm; returns every reply the phone read."""
    replies = [await sms.text(PHONE, HELLO[language])]
    for key in [
        t.CALLER_PARENT,
        menus.CATEGORY_LABELS["family"],
        "13-15",
        t.SKIP,
        menus.REGIONS["astana"],
        t.SERVICE_PSYCHOLOGICAL,
        t.CALL_ME_BACK,
    ]:
        wanted = key if key[0].isdigit() else label(key, language)
        replies.append(await sms.text(PHONE, number_of(replies[-1], wanted)))
    assert label(ct.ASK_SLOT, language) in replies[-1], replies[-1]
    replies.append(await sms.text(PHONE, "1"))  # the first slot: today, 12:00-15:00
    call_in = menus.LANGUAGE_NAMES[language]
    replies.append(await sms.text(PHONE, number_of(replies[-1], call_in)))
    this_number = label(ct.USE_THIS_NUMBER, language, number=MASKED)
    replies.append(await sms.text(PHONE, number_of(replies[-1], this_number)))
    readback = replies[-1]
    assert MASKED in readback and DIGITS not in digits(readback), readback
    replies.append(await sms.text(PHONE, number_of(readback, label(ct.CONFIRM, language))))
    return replies


async def press(sms: Sms, action: str, cb_id: int, card_message_id: int) -> None:
    """A staff member presses a button on a callback card, through the real staff router."""
    assert sms.app.telegram is not None
    n = next(_updates)
    update = {
        "update_id": n,
        "callback_query": {
            "id": str(n),
            "from": {"id": STAFF_USER, "is_bot": False, "first_name": "Aigerim"},
            "chat_instance": "staff",
            "data": StaffAction(action=action, case=cb_id, value="").pack(),
            "message": {
                "message_id": card_message_id,
                "date": 0,
                "chat": {"id": STAFF_CHAT, "type": "supergroup", "title": "Staff"},
                "text": "card",
            },
        },
    }
    await sms.app.telegram.dispatcher.feed_update(
        sms.bot, Update.model_validate(update, context={"bot": sms.bot})
    )


def group_versions(sms: Sms) -> list[str]:
    """Every text the staff group was ever shown: posts and edits."""
    calls = sms.bot.session.sent(SendMessage) + sms.bot.session.sent(EditMessageText)
    return [c.text or "" for c in calls if c.chat_id == STAFF_CHAT]


def assert_group_never_shows_the_number(sms: Sms) -> None:
    for text in group_versions(sms):
        assert DIGITS not in digits(text) and "876" not in text, text


def card_with_take(sms: Sms, cb_id: int, since: int = 0) -> tuple[int, str]:
    """The message id and text of the first staff-group post (from call `since`) that carries
    the Take button of the callback."""
    take = StaffAction(action="take", case=cb_id, value="").pack()
    for i, call in enumerate(sms.bot.session.calls):
        if i < since or not isinstance(call, SendMessage) or call.chat_id != STAFF_CHAT:
            continue
        markup = call.reply_markup.model_dump_json() if call.reply_markup else ""
        if take in markup:
            return sent_message_id(sms, i), call.text
    raise AssertionError(f"no card with Take for callback #{cb_id}: {group_versions(sms)}")


def sent_message_id(sms: Sms, call_index: int) -> int:
    """The mocked bot numbers its messages in order from 101."""
    sends = [c for c in sms.bot.session.calls[: call_index + 1] if isinstance(c, SendMessage)]
    return 100 + len(sends)


def everything_decrypted(sms: Sms, tables: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Every value of every table, and whatever of it decrypts with the app's key (encrypted
    columns and the outbox's queued addresses), to search one by one."""
    out: list[str] = []

    def add(value: Any) -> None:
        out.append(str(value))
        if isinstance(value, bytes | memoryview):
            with contextlib.suppress(InvalidToken, ValueError):
                out.append(sms.app.identity.decrypt(bytes(value)))
        payload = value
        if isinstance(value, str) and value.startswith("{"):
            with contextlib.suppress(ValueError):
                payload = json.loads(value)
        if isinstance(payload, dict) and "addr" in payload:
            add(base64.b64decode(payload["addr"]))

    for rows in tables.values():
        for row in rows:
            for value in row.values():
                add(value)
    return out


@pytest.mark.parametrize("language", ["ru", "en"])
async def test_a_parent_books_a_callback_by_sms_and_staff_call_back(
    sms_at: tuple[Sms, ManualClock], language: str
) -> None:
    sms, clock = sms_at
    replies = await book_by_sms(sms, language)
    confirmation = replies[-1]
    assert gettext(ct.CONFIRMED, language) in confirmation  # the TwiML answer to "Confirm"
    assert DIGITS not in digits(confirmation)
    async with sms.app.store.transaction() as repos:
        (cb,) = await repos.callbacks.list()
    assert (cb.status, cb.slot, cb.channel) == ("pending", "20261201-12-15", "sms")
    assert sms.app.identity.decrypt(cb.phone_enc or b"") == PHONE  # the sender's own number
    pending = await dump(sms.app.store)  # the number is kept encrypted until the call, and
    assert PHONE in everything_decrypted(sms, pending)  # the search below does find it then
    assert PHONE not in str(pending)

    # the callback card reaches the staff group at once, without the number
    await sms.deliver()
    card_id, card = card_with_take(sms, cb.id)
    assert f"#{cb.id}" in card and "📞" in card and "sms" in card
    assert_group_never_shows_the_number(sms)

    # shortly before the slot the parent gets the reminder through the Twilio REST API
    clock.advance(minutes=95)  # 11:35 in Almaty
    assert await sms.app.jobs["callbacks"][0]() == 1
    await sms.deliver()
    (reminder,) = sms.twilio.sent
    assert (reminder.to, reminder.sender) == (PHONE, FROM)
    assert "12:00" in reminder.body and DIGITS not in digits(reminder.body)

    # the slot opens: the sweep the app runs posts the 'due now' card
    before = len(sms.bot.session.calls)
    clock.advance(minutes=26)  # 12:01
    assert await sms.app.jobs["callbacks"][0]() == 1
    await sms.deliver()
    due_id, due = card_with_take(sms, cb.id, since=before)
    assert due_id != card_id and "⏰" in due and f"#{cb.id}" in due
    assert_group_never_shows_the_number(sms)

    # Take: the number goes privately to the taker, never to the group
    await press(sms, "take", cb.id, due_id)
    await sms.deliver()
    private = [c for c in sms.bot.session.sent(SendMessage) if c.chat_id == STAFF_USER]
    assert len(private) == 1 and PHONE in private[0].text and f"#{cb.id}" in private[0].text
    (answer,) = sms.bot.session.sent(AnswerCallbackQuery)
    assert answer.text == gettext(cst.CB_NUMBER_SENT, "ru")
    assert {c.chat_id for c in sms.bot.session.sent(SendMessage)} == {STAFF_CHAT, STAFF_USER}
    assert_group_never_shows_the_number(sms)

    # Called: the intake record gets its service and outcome, and the number is gone
    await press(sms, "called", cb.id, due_id)
    await sms.deliver()
    assert any(gettext(cst.CB_DONE, "ru") in text for text in group_versions(sms))
    assert_group_never_shows_the_number(sms)
    tables = await dump(sms.app.store)
    (row,) = tables["callbacks"]
    assert (row["status"], row["phone_enc"], row["routing_enc"]) == ("done", None, None)
    (intake,) = [r for r in tables["intake_records"] if r["id"] == row["intake_id"]]
    assert (intake["channel"], intake["caller"]) == ("sms", "parent")
    assert (intake["service"], intake["outcome"]) == ("psychological", "consulted")
    audit = [(a["action"], a["callback_id"]) for a in tables["audit_log"]]
    assert audit == [("cb_take", cb.id), ("cb_called", cb.id)]
    for case in tables["cases"]:
        assert case["routing_enc"] is None
    for value in everything_decrypted(sms, tables):
        assert DIGITS not in re.sub(r"[\s()-]", "", value), value

    # the parent's SMSes (the reminder) came from the helpline's number, and nothing after
    # Called tells them anything more: the call itself was the answer
    assert [s.to for s in sms.twilio.sent] == [PHONE]
