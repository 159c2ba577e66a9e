"""What the session middleware does with each kind of Telegram failure."""

from __future__ import annotations

import pytest
from aiogram.exceptions import (
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import SendMessage

from bot.dialogs import texts as t
from bot.handlers import texts as ht
from bot.i18n import gettext
from bot.outbox import RateLimiter

from .conftest import Telegram

KID = 777001


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


METHOD = SendMessage(chat_id=KID, text="x")


async def conversation_blocked(tg: Telegram, user_id: int) -> bool:
    async with tg.app.store.transaction() as repos:
        conv = await repos.conversations.get(tg.channel.chat_log.pseudonym(user_id))
        assert conv is not None
        return conv.blocked


async def due_now(tg: Telegram) -> None:
    """Skip the wait the outbox scheduled (as if that much time had passed)."""
    async with tg.app.store.transaction() as repos:
        for row in await repos.outbox.list():
            row.next_attempt_at = repos.now()


async def pending_kinds(tg: Telegram) -> list[str]:
    async with tg.app.store.transaction() as repos:
        return [r.kind for r in await repos.outbox.list() if r.status == "pending"]


async def test_429_pauses_that_chat_without_sleeping_then_the_reply_goes(tg: Telegram) -> None:
    """Defect 4: the send guard slept up to 5 x retry_after inside whoever sent."""
    clock = FakeClock()
    tg.app.outbox.limiter = RateLimiter(clock=clock)
    tg.bot.session.fail(TelegramRetryAfter(METHOD, "Too Many Requests", retry_after=7))
    await tg.say(KID, "/start")
    assert tg.sleeps.delays == []  # nobody slept
    assert len(tg.bot.session.sent()) == 1  # the refused call only
    assert await pending_kinds(tg) == ["reply"]
    await due_now(tg)
    assert await tg.app.outbox.run_once() == 0  # the chat is still paused
    clock.now += 7
    assert await tg.app.outbox.run_once() == 1
    assert gettext(t.ASK_CALLER, "en") in tg.bot.session.texts()[-1]
    assert await pending_kinds(tg) == []


async def test_403_marks_blocked_and_stops_sending(tg: Telegram) -> None:
    await tg.say(KID, "/start")
    tg.bot.session.fail(TelegramForbiddenError(METHOD, "Forbidden: bot was blocked by the user"))
    await tg.say(KID, "/help")
    assert await conversation_blocked(tg, KID)
    calls = len(tg.bot.session.calls)
    with pytest.raises(TelegramForbiddenError):
        await tg.bot.send_message(KID, "a staff reply")
    assert len(tg.bot.session.calls) == calls  # refused without calling Telegram
    assert tg.bot.session.texts().count(gettext(ht.ERROR_APOLOGY, "en")) == 0


async def test_writing_again_lifts_the_block(tg: Telegram) -> None:
    await tg.say(KID, "/start")
    tg.bot.session.fail(TelegramForbiddenError(METHOD, "Forbidden: bot was blocked by the user"))
    await tg.say(KID, "/help")
    await tg.say(KID, "/help")
    assert not await conversation_blocked(tg, KID)
    assert gettext(t.HELP, "en") in tg.bot.session.texts()[-1]


async def test_an_api_outage_keeps_the_reply_for_the_worker(tg: Telegram) -> None:
    """Defect 4: replies were sent only inside the turn, so a short outage lost them."""
    tg.bot.session.fail(TelegramServerError(METHOD, "bad gateway"))
    await tg.say(KID, "/start")
    assert tg.sleeps.delays == []  # one attempt in the turn, no sleeping in the guard
    assert await pending_kinds(tg) == ["reply"]
    tg.bot.session.fail(TelegramNetworkError(METHOD, "down"))
    await due_now(tg)
    assert await tg.app.outbox.run_once() == 0  # still down: backed off again
    await due_now(tg)
    assert await tg.app.outbox.run_once() == 1
    assert gettext(t.ASK_CALLER, "en") in tg.bot.session.texts()[-1]
    assert len(tg.bot.session.sent()) == 3  # two refused attempts, one delivery
    assert await pending_kinds(tg) == []
    assert await tg.app.outbox.run_once() == 0  # marked sent once: nothing goes twice


async def test_a_failed_turn_gets_the_apology_with_numbers(tg: Telegram) -> None:
    class Broken:
        def classify(self, text: str, hint: object = None) -> object:
            raise RuntimeError("model failed")

    await tg.say(KID, "/start")
    tg.app.turns.classifier = Broken()  # type: ignore[assignment]
    await tg.say(KID, "hello")
    apology = tg.bot.session.texts()[-1]
    assert apology == gettext(ht.ERROR_APOLOGY, "en")
    for number in ("112", "150", "111"):
        assert number in apology
