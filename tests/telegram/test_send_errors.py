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

from .conftest import Telegram

KID = 777001
METHOD = SendMessage(chat_id=KID, text="x")


async def conversation_blocked(tg: Telegram, user_id: int) -> bool:
    async with tg.app.store.transaction() as repos:
        conv = await repos.conversations.get(tg.channel.chat_log.pseudonym(user_id))
        assert conv is not None
        return conv.blocked


async def test_429_waits_retry_after_then_sends(tg: Telegram) -> None:
    tg.bot.session.fail(TelegramRetryAfter(METHOD, "Too Many Requests", retry_after=7))
    await tg.say(KID, "/start")
    assert tg.sleeps.delays == [7.0]
    assert len(tg.bot.session.sent()) == 2  # the refused call, then the retry
    assert gettext(t.ASK_CALLER, "en") in tg.bot.session.texts()[-1]


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


async def test_network_errors_retry_with_backoff_then_give_up(tg: Telegram) -> None:
    tg.bot.session.fail(
        TelegramNetworkError(METHOD, "timeout"), TelegramServerError(METHOD, "bad")
    )
    await tg.say(KID, "/start")
    assert tg.sleeps.delays == [0.5, 1.0]
    assert gettext(t.ASK_CALLER, "en") in tg.bot.session.texts()[-1]

    tg.sleeps.delays.clear()
    tg.bot.session.fail(*[TelegramNetworkError(METHOD, "down")] * 8)
    await tg.say(KID, "/help")  # the reply and the apology both fail: nothing crashes
    assert tg.sleeps.delays == [0.5, 1.0, 2.0, 0.5, 1.0, 2.0]


async def test_failed_turn_gets_the_apology_with_numbers(tg: Telegram) -> None:
    tg.bot.session.fail(*[TelegramNetworkError(METHOD, "down")] * 4)
    await tg.say(KID, "/start")
    apology = tg.bot.session.texts()[-1]
    assert apology == gettext(ht.ERROR_APOLOGY, "en")
    for number in ("112", "150", "111"):
        assert number in apology
