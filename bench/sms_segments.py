"""Outbound SMS segments of a full routine triage and a full crisis exchange, in kk, ru, en.

Each turn's reply is counted twice: as the SMS channel sends it (short texts, options in one
line) and as it would cost if the Telegram texts were sent as they are (full texts, one option
per line). Run: .venv/bin/python bench/sms_segments.py
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.channels.render import numbered_options, texts
from bot.channels.sms import keywords
from bot.channels.sms import texts as texts_sms
from bot.channels.sms.render import body, text_of
from bot.channels.sms.segments import segments
from bot.classify import load_classifier
from bot.classify.types import Classifier
from bot.dialogs import Msg, Reply, menus
from bot.dialogs import texts as dialog_texts
from bot.privacy import Identity
from bot.services.duty import FixedDuty
from bot.services.turns import Inbound, TurnService
from storage import Store

# A child writes: hello, "a child", the problem in words; then answers every menu by its label
# (age 10-12, a girl, safe, Karaganda region, leave a message), then writes the message.
ROUTINE = {
    "kk": ("Сәлем", "мектепте мұғалім ұрсады", "мұғалім маған әділетсіз баға қояды"),
    "ru": ("Здравствуйте", "проблемы в школе с учителем", "учитель ставит мне плохие оценки"),
    "en": (
        "Hello, is anyone there?",
        "problems at school with my teacher",
        "my teacher gives me unfair marks",
    ),
}
ANSWERS = ("10-12", "GIRL", "SAFE_YES", "LEAVE_MESSAGE")
REGION = "karaganda"
CRISIS = {
    "kk": ["Сәлем", "өзімді өлтіргім келеді", "маған қорқынышты"],
    "ru": ["Привет", "я хочу покончить с собой", "мне страшно"],
    "en": ["Hello, is anyone there?", "I want to kill myself", "I am scared"],
}


def answer_for(sms_body: str, language: str) -> str | None:
    """What the child sends back to a menu: the number of the wanted option, "+" for the next
    page of regions, None when the reply asks for words (or asks nothing)."""
    wanted = [short_label(name, language) for name in ANSWERS]
    wanted.append(text_of(Msg(menus.REGIONS[REGION]), language))
    for label in wanted:
        found = re.search(rf"(?:^|\s)(\d+) {re.escape(label)}(?:\s|$)", sms_body)
        if found:
            return found.group(1)
    if text_of(Msg(texts_sms.MORE), language) in sms_body:
        return "+"
    return None


def short_label(name: str, language: str) -> str:
    if name[0].isdigit():
        return name
    constant = getattr(dialog_texts, name, None)
    return text_of(Msg(constant), language) if isinstance(constant, str) else "\0"


def telegram_as_sms(outcome_reply: Reply, language: str) -> int:
    """The full texts and "1 — label" lines in one message, as one would paste them."""
    lines = texts(outcome_reply, language) + numbered_options(outcome_reply, language)
    return segments("\n".join(lines))


class Counter:
    def __init__(self, turns: TurnService, phone: str) -> None:
        self.turns, self.phone = turns, phone
        self.sms = self.telegram = 0

    async def send(self, line: str) -> str:
        """One message in; the SMS that answers it (both costs are added up)."""
        parsed = keywords.parse(line)
        inbound = Inbound("sms", self.phone, parsed.event, keeps_stop=parsed.keyword != "start")
        if parsed.keyword == "more":
            outcome = await self.turns.resume(inbound)
            sms = body([], outcome.reply.choices, outcome.language, page=1)
            self.sms += segments(sms)
            return sms  # Telegram shows every button at once: nothing more to send
        outcome = await self.turns.handle(inbound)
        reply = outcome.reply
        sms = body(reply.messages, reply.choices, outcome.language)
        self.sms += segments(sms)
        self.telegram += telegram_as_sms(reply, outcome.language)
        return sms


async def routine(turns: TurnService, phone: str, language: str) -> tuple[int, int]:
    hello, problem, message = ROUTINE[language]
    counter = Counter(turns, phone)
    await counter.send(hello)
    await counter.send("1")  # a child: the first option
    sms = await counter.send(problem)
    for _ in range(12):
        answer = answer_for(sms, language)
        if answer is None:
            break
        sms = await counter.send(answer)
    await counter.send(message)
    return counter.sms, counter.telegram


async def crisis(turns: TurnService, phone: str, language: str) -> tuple[int, int]:
    counter = Counter(turns, phone)
    for line in CRISIS[language]:
        await counter.send(line)
    return counter.sms, counter.telegram


async def figures(classifier: Classifier) -> list[tuple[str, str, int, int]]:
    """(exchange, language, SMS segments, Telegram texts' segments) for each exchange."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite+aiosqlite:///{tmp}/bench.db")
        await store.create_schema()
        turns = TurnService(store, classifier, Identity(b"bench"), FixedDuty(True))
        for name, run in (("routine", routine), ("crisis", crisis)):
            for n, lang in enumerate(("kk", "ru", "en")):
                phone = f"+7701{name == 'crisis':d}00000{n}"
                sms, telegram = await run(turns, phone, lang)
                out.append((name, lang, sms, telegram))
        await store.close()
    return out


async def main() -> None:
    print(f"{'exchange':<10} {'lang':<4} {'SMS segments':>13} {'Telegram texts':>15} ratio")
    for name, lang, sms, telegram in await figures(load_classifier()):
        print(f"{name:<10} {lang:<4} {sms:>13} {telegram:>15} {sms / telegram:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
