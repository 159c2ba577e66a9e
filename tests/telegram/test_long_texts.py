"""Defect 1 of issue 8: long messages must reach the staff (cards, /case N, card edits,
relays both ways), within Telegram's 4,096 characters, by truncating or splitting."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiogram.methods import EditMessageText, SendMessage

from bot.app import App, build_app
from bot.dialogs import Event
from bot.outbox import RateLimiter
from bot.services.duty import FixedDuty
from bot.services.turns import Inbound
from tests.fakes import FakeClassifier

from .conftest import settings_for
from .mocked_bot import MAX_TEXT, MockedBot

STAFF_CHAT = -100777
KID = "7001"
COUNSELLOR = 9001


class NoWait(RateLimiter):
    def try_acquire(
        self, key: str, group_message: bool, priority: int = 0, per_chat: bool = True
    ) -> float:
        return 0.0


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    settings = settings_for(tmp_path).model_copy(
        update={"staff_chat_id": STAFF_CHAT, "staff_language": "en"}
    )
    built = await build_app(settings, FakeClassifier(), FixedDuty(True), bot=MockedBot())
    built.outbox.limiter = NoWait()
    try:
        yield built
    finally:
        await built.close()


def bot(app: App) -> MockedBot:
    assert app.telegram is not None
    return app.telegram.bot  # type: ignore[return-value]


async def say(app: App, text: str) -> None:
    event = (
        Event("command", command=text[1:]) if text.startswith("/") else Event("text", text=text)
    )
    await app.turns.handle(Inbound("telegram", KID, event))


async def deliver(app: App) -> None:
    while await app.outbox.run_once():
        pass


def staff_texts(app: App) -> list[str]:
    calls = bot(app).session.calls
    return [
        html.unescape(c.text)
        for c in calls
        if isinstance(c, SendMessage | EditMessageText) and c.chat_id == STAFF_CHAT
    ]


async def case_id(app: App) -> int:
    async with app.store.transaction() as repos:
        (case,) = await repos.cases.list()
        return case.id


async def failed_rows(app: App) -> list[str]:
    async with app.store.transaction() as repos:
        return [r.kind for r in await repos.outbox.list() if r.status == "failed"]


async def test_a_3900_character_crisis_message_makes_a_card(app: App) -> None:
    long_crisis = "I want to die. " + "Nobody hears me at home and at school. " * 100
    assert 3_800 < len(long_crisis) < 4_000
    await say(app, "/start")
    await say(app, long_crisis)
    await deliver(app)
    number = await case_id(app)
    cards = [t for t in staff_texts(app) if f"#{number}" in t.split("\n", 1)[0]]
    assert cards, "no card reached the staff group"
    card = cards[0]
    assert len(card) <= MAX_TEXT
    assert "I want to die. Nobody hears me" in card
    assert "more characters not shown" in card
    assert await failed_rows(app) == []


async def test_card_edits_and_case_repost_keep_the_newest_messages_within_the_limit(
    app: App,
) -> None:
    await say(app, "/start")
    await say(app, "I want to die")
    for n in range(5):
        await say(app, f"message {n}: " + "I want to die, it hurts so much. " * 60)
    await deliver(app)
    number = await case_id(app)
    assert (await app.staff.repost_card(number)).ok  # /case N
    await deliver(app)
    last = staff_texts(app)[-1]
    assert len(last) <= MAX_TEXT
    assert "message 4:" in last  # the newest is shown
    assert "message 0:" not in last
    assert "earlier messages are not shown" in last
    assert await failed_rows(app) == []


async def test_a_4096_character_message_is_relayed_both_ways_in_parts(app: App) -> None:
    await say(app, "/start")
    await say(app, "I want to die")
    await deliver(app)
    number = await case_id(app)
    assert (await app.staff.claim(number, COUNSELLOR)).ok
    await deliver(app)
    words = "".join(f"w{n} " for n in range(2000))[:4096]
    before = len(staff_texts(app))
    await say(app, words)
    await deliver(app)
    relayed = [t for t in staff_texts(app)[before:] if "w1 " in t or " w" in t]
    assert len(relayed) == 2 and all(len(t) <= MAX_TEXT for t in relayed)
    assert " ".join(relayed).split()[-1] == words.split()[-1]

    reply = "<b>" + "я рядом & " * 410  # 4,103 characters, more once escaped
    assert (await app.staff.relay_to_user(number, COUNSELLOR, reply, None)).ok
    await deliver(app)
    to_kid = [html.unescape(c.text) for c in bot(app).session.sent() if str(c.chat_id) == KID]
    assert "".join(to_kid[-2:]).replace(" ", "") == reply.replace(" ", "")
    assert await failed_rows(app) == []
