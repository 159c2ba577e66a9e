"""Time from a child's crisis message to the escalation card in the staff group, with 200
other conversations going on at the same time.

Runs the real bot (`python -m bot run`, SQLite, default Telegram limits: 20 new messages a
minute per group) against the Bot API emulator. Latency is measured on the emulator's clock:
from the moment the user's message is queued for the bot to the moment the bot posts the card.
Prints the figures; takes about two minutes.

    .venv/bin/python bench/escalation.py [--background 200] [--probes 30]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.emulator import BOT_TOKEN, Emulator, User  # noqa: E402
from tests.e2e.emulator_server import EmulatorServer  # noqa: E402
from tests.telegram.bot_process import BotProcess  # noqa: E402

STAFF_CHAT = -1004242424242
# A routine triage by typed numbers, then /new: no case is opened, so only probes make cards.
ROUTINE = ["/start", "1", "5", "4", "1", "3", "/new", "2", "1", "7", "3", "1", "1", "/new"]
# A person in a chat reads the reply, thinks and types: a message every 5–15 s (on average
# 200 conversations then send about 20 messages a second, ~1.7 million a day).
PACE_S = (5.0, 15.0)
CRISIS = ["хочу умереть", "өлгім келеді", "I want to die", "меня бьёт отчим", "әкем ұрады"]


async def background_user(
    emu: Emulator, user: User, stop: asyncio.Event, sent: list[int], pace: tuple[float, float]
) -> None:
    rng = random.Random(user.id)
    step = rng.randrange(len(ROUTINE))
    await asyncio.sleep(rng.uniform(0, pace[1]))
    while not stop.is_set():
        line = ROUTINE[step % len(ROUTINE)]
        if line.startswith("/"):
            await emu.send_command(user, line)
        else:
            await emu.send_text(user, line)
        sent[0] += 1
        step += 1
        await asyncio.sleep(rng.uniform(*pace))  # people read, think, type


async def probe(emu: Emulator, n: int) -> tuple[str, float]:
    user = User(id=900_000 + n, language_code="ru")
    token = f"p{n:03d}"
    message = await emu.send_text(user, f"{CRISIS[n % len(CRISIS)]} {token}")
    records = await emu.bot_messages(user.id, include_user=True)
    sent_at = next(m.record["time"] for m in records if m.message_id == message["message_id"])
    return token, float(sent_at)


async def run(background: int, probes: int, spacing: float, pace: tuple[float, float]) -> None:
    server = EmulatorServer()
    server.start()
    workdir = Path(tempfile.mkdtemp(prefix="bench-escalation-"))
    bot = BotProcess(
        server.api_url, BOT_TOKEN, workdir, {"HELPLINE_STAFF_CHAT_ID": str(STAFF_CHAT)}
    )
    bot.start()
    try:
        bot.wait_until("polling", lambda: bot.emulator_get("/test/calls?method=getUpdates"))
        async with Emulator(server.api_url) as emu:
            stop = asyncio.Event()
            sent = [0]
            users = [User(id=100_000 + i, language_code="ru") for i in range(background)]
            tasks = [asyncio.create_task(background_user(emu, u, stop, sent, pace)) for u in users]
            await asyncio.sleep(pace[1])  # let the background load settle
            started, load_start = time.monotonic(), sent[0]
            probe_times: dict[str, float] = {}
            for n in range(probes):
                token, at = await probe(emu, n)
                probe_times[token] = at
                await asyncio.sleep(spacing)
            await asyncio.sleep(3)
            load_rate = (sent[0] - load_start) / (time.monotonic() - started)
            stop.set()
            await asyncio.gather(*tasks)
            cards: dict[str, float] = {}
            for message in await emu.bot_messages(STAFF_CHAT):
                for token in probe_times:
                    if token in (message.text or "") and token not in cards:
                        cards[token] = float(message.record["time"])
        latencies = sorted(cards[t] - probe_times[t] for t in probe_times if t in cards)
        rss = _peak_rss_kib(bot)
    finally:
        bot.stop()
        server.stop()
    missing = probes - len(latencies)
    if len(latencies) < 2:
        print(f"only {len(latencies)} of {probes} cards arrived: TARGET MISSED")
        return
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    print(f"background conversations: {background}, their messages: {load_rate:.0f}/s")
    print(f"crisis probes: {probes}, cards arrived: {len(latencies)}, missing: {missing}")
    print(
        f"message to card: p50 {statistics.median(latencies):.0f} ms, p95 {q[94]:.0f} ms, "
        f"p99 {q[98]:.0f} ms, max {latencies[-1]:.0f} ms (target p99 < 1000 ms)"
    )
    print(f"bot peak memory (VmHWM): {rss / 1024:.0f} MiB")
    print("target met" if missing == 0 and q[98] < 1000 else "TARGET MISSED")


def _peak_rss_kib(bot: BotProcess) -> int:
    if bot.proc is None:
        return 0
    for line in Path(f"/proc/{bot.proc.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--background", type=int, default=200)
    parser.add_argument("--probes", type=int, default=30)
    parser.add_argument("--spacing", type=float, default=3.2, help="seconds between probes")
    parser.add_argument(
        "--pace", type=float, nargs=2, default=PACE_S, help="seconds between a user's messages"
    )
    args = parser.parse_args()
    asyncio.run(run(args.background, args.probes, args.spacing, tuple(args.pace)))


if __name__ == "__main__":
    main()
