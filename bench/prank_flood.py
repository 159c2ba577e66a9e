"""How long a real child's crisis card waits while 40 prank accounts flood the helpline
with "SOS" (issue 8, acceptance 3).

In process: the real composition root, classifier, turn service, outbox sender, rate
limiter (Telegram's limits: 20 new messages a minute in the staff group, 1 a second per
chat) and Telegram staff transport, with the Bot API replaced by a recording fake (no
network). 40 accounts each send "SOS" every ~2 s; after 20 s of flood a child writes a
crisis message. Prints how long the child's card took from the moment the turn committed,
and how many prank cards had gone out by then.

    .venv/bin/python bench/prank_flood.py [--pranks 40] [--flood-s 20]
"""

from __future__ import annotations

import argparse
import asyncio
import html
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiogram.methods import SendMessage  # noqa: E402
from pydantic import SecretStr  # noqa: E402

from bot.app import build_app  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.dialogs import Event  # noqa: E402
from bot.services.duty import FixedDuty  # noqa: E402
from bot.services.turns import Inbound  # noqa: E402
from tests.telegram.mocked_bot import MockedBot  # noqa: E402

STAFF_CHAT = -1001234
CHILD = "424242"


class TimedBot(MockedBot):
    """Records when each staff-group message was sent."""

    def __init__(self) -> None:
        super().__init__()
        self.staff_sent: list[tuple[float, str]] = []
        original = self.session.make_request

        async def timed(bot: Any, method: Any, timeout: int | None = None) -> Any:  # noqa: ASYNC109
            result = await original(bot, method, timeout)
            if isinstance(method, SendMessage) and method.chat_id == STAFF_CHAT:
                self.staff_sent.append((time.monotonic(), html.unescape(method.text)))
            return result

        self.session.make_request = timed  # type: ignore[method-assign]


async def prank(app: Any, who: str, stop: asyncio.Event, rng: random.Random) -> None:
    await asyncio.sleep(rng.uniform(0, 2))
    while not stop.is_set():
        outcome = await app.turns.handle(Inbound("telegram", who, Event("text", text="SOS")))
        await app.outbox.send_now(outcome.outbox_ids)
        await asyncio.sleep(rng.uniform(1.5, 2.5))


async def main(pranks: int, flood_s: float) -> None:
    workdir = Path(tempfile.mkdtemp())
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{workdir}/bench.db",
        secret_key=SecretStr("bench-secret-key-0123456789"),
        telegram_token=SecretStr("42:TEST-mocked-bot-token-abcdefghijklmnop"),
        staff_chat_id=STAFF_CHAT,
        staff_language="en",
    )
    bot = TimedBot()
    app = await build_app(settings, duty=FixedDuty(True), bot=bot)
    stop, flood_stop = asyncio.Event(), asyncio.Event()
    sender = asyncio.create_task(app.outbox.run_forever(stop))
    rng = random.Random(7)
    flood = [asyncio.create_task(prank(app, f"77{n:04d}", flood_stop, rng)) for n in range(pranks)]
    await asyncio.sleep(flood_s)
    prank_cards_before = len(bot.staff_sent)
    await app.turns.handle(Inbound("telegram", CHILD, Event("command", command="start")))
    outcome = await app.turns.handle(
        Inbound("telegram", CHILD, Event("text", text="хочу умереть"))
    )
    committed = time.monotonic()
    await app.outbox.send_now(outcome.outbox_ids)
    (case_id,) = outcome.case_ids
    title = f"#{case_id} ·"
    while not any(title in text.split("\n", 1)[0] for _t, text in bot.staff_sent):  # noqa: ASYNC110
        await asyncio.sleep(0.01)
    sent_at = next(t for t, text in bot.staff_sent if title in text.split("\n", 1)[0])
    flood_stop.set()
    await asyncio.gather(*flood)
    stop.set()
    await sender
    async with app.store.transaction() as repos:
        waiting = await repos.outbox.pending_count()
    print(f"prank accounts: {pranks}, flood before the child wrote: {flood_s:.0f} s")
    async with app.store.transaction() as repos:
        cases = len(await repos.cases.list())
    print(f"cases opened (prank SOS cases and the child's): {cases}")
    print(f"staff-group messages sent during the flood before the child: {prank_cards_before}")
    print(f"outbox rows still waiting (prank cards and edits) at the end: {waiting}")
    print(f"real crisis card delay after the turn committed: {sent_at - committed:.2f} s")
    await app.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pranks", type=int, default=40)
    parser.add_argument("--flood-s", type=float, default=20.0)
    args = parser.parse_args()
    asyncio.run(main(args.pranks, args.flood_s))
