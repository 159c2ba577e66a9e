"""One scripted conversation through the console channel and through the Telegram channel
(in-process, mocked Bot): the dialog states reached after every input must be equal."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.app import build_app
from bot.channels.console import run_console
from bot.config import Settings
from bot.dialogs import State, choices_for, numbered
from bot.services.clock import ManualClock
from bot.services.duty import FixedDuty
from tests.dialog_driver import NOW
from tests.fakes import FakeClassifier

from .conftest import Telegram

KID = 990001
# ("choose", id) is a button on Telegram and the option's number on the console.
SCRIPT: list[tuple[str, str]] = [
    ("choose", "caller:parent"),
    ("say", "my son has problems at school"),
    ("say", "/lang"),
    ("choose", "lang:en"),
    ("choose", "age:7-9"),
    ("say", "??"),
    ("choose", "skip"),
    ("choose", "region:astana"),
    ("choose", "service:legal"),
    ("choose", "slot:20261202-09-12"),
    ("choose", "calllang:ru"),
    ("say", "+7 701 234 56 78"),
    ("choose", "cb:confirm"),
    ("say", "/help"),
]


async def console_state(tmp_path: Path, lines: list[str]) -> dict[str, Any]:
    """The state after feeding `lines` to `run_console` on a fresh database."""
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/console{len(lines)}.db",
        secret_key=SecretStr("parity-secret-key-0123456789"),
    )
    app = await build_app(settings, FakeClassifier(), FixedDuty(False), clock=ManualClock(NOW))
    try:
        await run_console(app.turns, io.StringIO("".join(x + "\n" for x in lines)), io.StringIO())
        async with app.store.transaction() as repos:
            conv = await repos.conversations.get(app.identity.pseudonym("console", "local"))
            assert conv is not None
            return dict(conv.state)
    finally:
        await app.close()


async def console_states(tmp_path: Path) -> list[dict[str, Any]]:
    """Replays each prefix of the script (choices typed as their numbers)."""
    states: list[dict[str, Any]] = []
    lines: list[str] = []
    current = await console_state(tmp_path, lines)
    for kind, value in SCRIPT:
        if kind == "choose":
            numbers = {c.id: n for n, c in numbered(choices_for(State.from_dict(current)))}
            lines.append(str(numbers[value]))
        else:
            lines.append(value)
        current = await console_state(tmp_path, lines)
        states.append(current)
    return states


async def telegram_states(tg: Telegram) -> list[dict[str, Any]]:
    states: list[dict[str, Any]] = []
    pseudonym = tg.channel.chat_log.pseudonym(KID)
    await tg.say(KID, "/start", lang="de")  # a language the bot lacks: the default, as console
    for kind, value in SCRIPT:
        if kind == "choose":
            await tg.press(KID, "c|" + value)
        else:
            await tg.say(KID, value, lang="de")
        async with tg.app.store.transaction() as repos:
            conv = await repos.conversations.get(pseudonym)
            assert conv is not None
            states.append(dict(conv.state))
    return states


async def test_console_and_telegram_reach_the_same_states(tg: Telegram, tmp_path: Path) -> None:
    console = await console_states(tmp_path)
    telegram = await telegram_states(tg)
    assert len(console) == len(telegram) == len(SCRIPT)
    for i, (a, b) in enumerate(zip(console, telegram, strict=True)):
        assert a == b, f"after input {i} {SCRIPT[i]}"
    assert telegram[-1]["step"] == "callback_pending" and telegram[-1]["language"] == "en"
