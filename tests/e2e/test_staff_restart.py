"""Nothing is lost on a crash: a crisis accepted just before the process dies still reaches
the staff group, exactly once, after the restart."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.telegram.bot_process import BotProcess

from .emulator import BOT_TOKEN, Emulator, User
from .emulator_server import EmulatorServer
from .staff_helpers import STAFF_CHAT

ENV = {"HELPLINE_STAFF_CHAT_ID": str(STAFF_CHAT), "HELPLINE_TELEGRAM_GROUP_PER_MINUTE": "600"}


def start(server: EmulatorServer, workdir: Path, **extra: str) -> BotProcess:
    proc = BotProcess(server.api_url, BOT_TOKEN, workdir, {**ENV, **extra})

    def polls() -> int:
        return len(proc.emulator_get("/test/calls?method=getUpdates"))

    before = polls()  # an earlier process's calls must not count as this one polling
    proc.start()
    proc.wait_until("polling", lambda: polls() > before, timeout=60.0)
    return proc


async def test_card_sent_exactly_once_after_a_kill(
    emulator_server: EmulatorServer, emulator: Emulator, tmp_path: Path
) -> None:
    # A process that accepts messages but does not deliver the outbox (as an extra webhook
    # worker would): the crisis is accepted and committed, the card not yet sent.
    first = start(emulator_server, tmp_path, HELPLINE_OUTBOX_SENDER="false")
    try:
        user = User(id=54001, language_code="kk")
        sent = await emulator.send_text(user, "өзімді өлтіргім келеді")
        await emulator.wait_for_message(user.id, lambda m: "112" in (m.text or ""), after=sent)
        pending = first.query("SELECT id FROM outbox WHERE kind = 'card' AND status = 'pending'")
        assert len(pending) == 1
        assert await emulator.bot_messages(STAFF_CHAT) == []
    finally:
        assert first.proc is not None
        first.proc.kill()  # no clean shutdown
        first.proc.wait(timeout=10)

    second = start(emulator_server, tmp_path)
    try:
        (case,) = second.query("SELECT id FROM cases")
        card = await emulator.wait_for_message(
            STAFF_CHAT, lambda m: f"#{case['id']} ·" in (m.text or ""), timeout=10
        )
        await asyncio.sleep(2)  # a second copy would have arrived by now
        cards = [
            m
            for m in await emulator.bot_messages(STAFF_CHAT)
            if f"#{case['id']} ·" in (m.text or "").split("\n", 1)[0]
        ]
        assert [m.message_id for m in cards] == [card.message_id]
        (row,) = second.query("SELECT status FROM outbox WHERE kind = 'card'")
        assert row["status"] == "sent"
    finally:
        assert second.stop() == 0, second.log()


@pytest.mark.parametrize("signal_name", ["SIGTERM"])
async def test_clean_stop_with_sends_waiting(
    emulator_server: EmulatorServer, emulator: Emulator, tmp_path: Path, signal_name: str
) -> None:
    """A stop while a card waits out Telegram's retry_after ends promptly; the card is sent
    after the next start."""
    await emulator.inject_fault("sendMessage", "429", count=50, retry_after=20, chat_id=STAFF_CHAT)
    first = start(emulator_server, tmp_path)
    user = User(id=54002, language_code="en")
    sent = await emulator.send_text(user, "I want to kill myself")
    await emulator.wait_for_message(user.id, lambda m: "112" in (m.text or ""), after=sent)
    await emulator.wait_for_call("sendMessage", lambda c: bool(c.get("fault")))
    assert first.stop() == 0, first.log()  # within the 10 s the helper allows
    await emulator.reset()
    second = start(emulator_server, tmp_path)
    try:
        (case,) = second.query("SELECT id FROM cases")
        await emulator.wait_for_message(
            STAFF_CHAT, lambda m: f"#{case['id']} ·" in (m.text or ""), timeout=10
        )  # at once: the stopped process handed its leased row back
    finally:
        assert second.stop() == 0, second.log()
