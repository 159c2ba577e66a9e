"""Fault injection against the real bot process (issue 8, defect 2 and acceptance 2).

SIGTERM in the middle of 300 webhook crisis updates: every update the webhook accepted
(answered 200) gets its safety reply and its case one card afterwards, none twice.
"""

from __future__ import annotations

import asyncio
import collections
import signal
from pathlib import Path
from typing import Any

import pytest

from tests.telegram.bot_process import BotProcess

from .emulator import BOT_TOKEN, Emulator, User
from .emulator_server import EmulatorServer
from .staff_helpers import STAFF_CHAT
from .test_webhook import free_port

UPDATES = 300
FIRST_ID = 600_000
CRISIS = "I want to kill myself, I have the pills"


def start_hooked(server: EmulatorServer, workdir: Path, port: int) -> BotProcess:
    env = {
        "HELPLINE_STAFF_CHAT_ID": str(STAFF_CHAT),
        "HELPLINE_TELEGRAM_GROUP_PER_MINUTE": "600",
        "HELPLINE_TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/tg/hook",
        "HELPLINE_HTTP_HOST": "127.0.0.1",
        "HELPLINE_HTTP_PORT": str(port),
    }
    proc = BotProcess(server.api_url, BOT_TOKEN, workdir, env)
    before = len(proc.emulator_get("/test/calls?method=setWebhook"))
    proc.start()
    proc.wait_until(
        "setWebhook",
        lambda: len(proc.emulator_get("/test/calls?method=setWebhook")) > before,
        timeout=60.0,
    )
    return proc


def crisis_update(n: int) -> dict[str, Any]:
    user = User(id=FIRST_ID + n, language_code="en")
    return {
        "update_id": FIRST_ID + n,
        "message": {
            "message_id": 1,
            "date": 1_800_000_000,
            "chat": {"id": user.id, "type": "private"},
            "from": {**user.as_json(), "is_bot": False},
            "text": f"{CRISIS} ({n})",
        },
    }


@pytest.mark.timeout(400)
async def test_sigterm_during_300_webhook_crisis_updates_loses_and_repeats_nothing(
    emulator_server: EmulatorServer, emulator: Emulator, tmp_path: Path
) -> None:
    port = free_port()
    first = start_hooked(emulator_server, tmp_path, port)
    statuses: dict[int, int] = {}
    gate = asyncio.Semaphore(16)

    async def push(n: int) -> None:
        async with gate:
            result = await emulator.send_update(crisis_update(n))
            statuses[FIRST_ID + n] = int((result.get("webhook") or {}).get("status") or 0)
            if len(statuses) == UPDATES // 3:
                assert first.proc is not None
                first.proc.send_signal(signal.SIGTERM)  # mid-load

    await asyncio.gather(*(push(n) for n in range(UPDATES)))
    assert first.proc is not None
    code = await asyncio.to_thread(first.proc.wait, 30)
    assert code == 0, first.log()
    accepted = sorted(uid for uid, status in statuses.items() if status == 200)
    assert len(accepted) >= UPDATES // 3 - 16  # what was in flight when the signal came

    second = start_hooked(emulator_server, tmp_path, port)
    try:
        deadline = asyncio.get_running_loop().time() + 60
        while True:
            replies = collections.Counter(
                m.chat_id
                for m in await emulator.bot_messages()
                if m.chat_id in statuses and "112" in (m.text or "")
            )
            if all(replies[uid] for uid in accepted):
                break
            assert asyncio.get_running_loop().time() < deadline, (
                f"{sum(1 for u in accepted if not replies[u])} accepted updates unanswered"
            )
            await asyncio.sleep(0.5)
        assert max(replies.values()) == 1, "a safety reply went twice"
        cases = second.query(
            "SELECT c.id, COUNT(o.id) AS cards FROM cases c "
            "LEFT JOIN outbox o ON o.case_id = c.id AND o.kind = 'card' GROUP BY c.id"
        )
        assert len(cases) >= len(accepted)  # one case per accepted crisis...
        assert len(cases) <= len(statuses)  # ...and never two for one update
        assert all(row["cards"] == 1 for row in cases)  # one card each (sent or queued)
        convs = second.query("SELECT COUNT(*) AS n FROM conversations")[0]["n"]
        assert convs == len(cases)
        inbox = second.query("SELECT status, COUNT(*) AS n FROM inbox GROUP BY status")
        assert {r["status"]: r["n"] for r in inbox}.get("pending", 0) == 0
    finally:
        assert second.stop() == 0, second.log()


def start_polling(server: EmulatorServer, workdir: Path) -> BotProcess:
    proc = BotProcess(
        server.api_url,
        BOT_TOKEN,
        workdir,
        {"HELPLINE_STAFF_CHAT_ID": str(STAFF_CHAT), "HELPLINE_TELEGRAM_GROUP_PER_MINUTE": "600"},
    )

    def polls() -> int:
        return len(proc.emulator_get("/test/calls?method=getUpdates"))

    before = polls()
    proc.start()
    proc.wait_until("polling", lambda: polls() > before, timeout=60.0)
    return proc


async def answered_once(emulator: Emulator, users: list[int], staff_cards: int) -> None:
    """Wait until each user has exactly one safety reply and the staff group the cards."""
    deadline = asyncio.get_running_loop().time() + 90
    while True:
        messages = await emulator.bot_messages()
        replies = collections.Counter(
            m.chat_id for m in messages if m.chat_id in users and "112" in (m.text or "")
        )
        cards = [m for m in messages if m.chat_id == STAFF_CHAT and m.callback_data]
        if all(replies[u] for u in users) and len(cards) >= staff_cards:
            break
        assert asyncio.get_running_loop().time() < deadline, (replies, len(cards))
        await asyncio.sleep(0.5)
    assert max(replies.values()) == 1, "a reply went twice"
    assert len(cards) == staff_cards, "a card went twice"


@pytest.mark.timeout(300)
async def test_bot_api_500_for_30_s_then_429s_loses_no_reply_and_no_card(
    emulator_server: EmulatorServer, emulator: Emulator, tmp_path: Path
) -> None:
    bot = start_polling(emulator_server, tmp_path)
    try:
        await emulator.inject_fault("*", "500", count=100_000)  # the Bot API is down
        users = [User(id=610_000 + n, language_code="en") for n in range(8)]
        for user in users:
            await emulator.send_text(user, CRISIS)
        await asyncio.sleep(30)
        assert await emulator.bot_messages(STAFF_CHAT) == []  # nothing got through
        await emulator.clear_faults()
        await emulator.inject_fault("sendMessage", "429", count=20, retry_after=2)
        await answered_once(emulator, [u.id for u in users], staff_cards=len(users))
        rows = bot.query(
            "SELECT status, COUNT(*) AS n FROM outbox WHERE kind != 'coordinator' GROUP BY status"
        )
        assert {r["status"]: r["n"] for r in rows}.get("failed", 0) == 0
    finally:
        assert bot.stop() == 0, bot.log()
