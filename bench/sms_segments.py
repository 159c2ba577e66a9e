"""Outbound SMS segments of a full routine triage and a full crisis exchange, in kk, ru, en.

Each turn's reply is counted twice: as the SMS channel sends it (short texts, options in one
line) and as it would cost if the Telegram texts were sent as they are (full texts, one option
per line). Run: .venv/bin/python bench/sms_segments.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.channels.render import numbered_options, texts
from bot.channels.sms import keywords
from bot.channels.sms.render import body
from bot.channels.sms.segments import segments
from bot.classify import load_classifier
from bot.classify.types import Classifier
from bot.dialogs import Reply
from bot.privacy import Identity
from bot.services.duty import FixedDuty
from bot.services.turns import Inbound, TurnService
from storage import Store

ROUTINE = {
    "kk": ["Сәлем", "1", "мектепте мұғалім ұрсады", "4", "1", "+", "12", "2", "мұғалім әділетсіз"],
    "ru": [
        "Здравствуйте",
        "1",
        "проблемы в школе с учителем",
        "4",
        "1",
        "+",
        "12",
        "2",
        "учитель ставит мне плохие оценки",
    ],
    "en": [
        "Hello, is anyone there?",
        "1",
        "problems at school with my teacher",
        "4",
        "1",
        "+",
        "12",
        "2",
        "my teacher gives me unfair marks",
    ],
}
CRISIS = {
    "kk": ["Сәлем", "өзімді өлтіргім келеді", "маған қорқынышты"],
    "ru": ["Привет", "я хочу покончить с собой", "мне страшно"],
    "en": ["Hello, is anyone there?", "I want to kill myself", "I am scared"],
}


def telegram_as_sms(outcome_reply: Reply, language: str) -> int:
    """The full texts and "1 — label" lines in one message, as one would paste them."""
    lines = texts(outcome_reply, language) + numbered_options(outcome_reply, language)
    return segments("\n".join(lines))


async def exchange(turns: TurnService, phone: str, lines: list[str]) -> tuple[int, int]:
    sms_total = telegram_total = 0
    for line in lines:
        parsed = keywords.parse(line)
        inbound = Inbound("sms", phone, parsed.event, keeps_stop=parsed.keyword != "start")
        if parsed.keyword == "more":
            outcome = await turns.resume(inbound)
            sms_total += segments(body([], outcome.reply.choices, outcome.language, page=1))
            continue  # Telegram shows every button at once: nothing more to send
        outcome = await turns.handle(inbound)
        reply = outcome.reply
        sms_total += segments(body(reply.messages, reply.choices, outcome.language))
        telegram_total += telegram_as_sms(reply, outcome.language)
    return sms_total, telegram_total


async def figures(classifier: Classifier) -> list[tuple[str, str, int, int]]:
    """(exchange, language, SMS segments, Telegram texts' segments) for each exchange."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite+aiosqlite:///{tmp}/bench.db")
        await store.create_schema()
        turns = TurnService(store, classifier, Identity(b"bench"), FixedDuty(True))
        for name, script in (("routine", ROUTINE), ("crisis", CRISIS)):
            for n, (lang, lines) in enumerate(script.items()):
                phone = f"+7701{name == 'crisis':d}00000{n}"
                sms, telegram = await exchange(turns, phone, lines)
                out.append((name, lang, sms, telegram))
        await store.close()
    return out


async def main() -> None:
    print(f"{'exchange':<10} {'lang':<4} {'SMS segments':>13} {'Telegram texts':>15} ratio")
    for name, lang, sms, telegram in await figures(load_classifier()):
        print(f"{name:<10} {lang:<4} {sms:>13} {telegram:>15} {sms / telegram:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
