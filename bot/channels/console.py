"""The dialog in a terminal: numbered options, commands, Ctrl-D to leave."""

from __future__ import annotations

import asyncio
from typing import TextIO

from bot.channels import texts as ct
from bot.channels.delivery import Delivered, Outbound, RetryAfter
from bot.channels.render import numbered_options, texts
from bot.dialogs import Event, Reply
from bot.dialogs import texts as t
from bot.dialogs.model import ClearChat
from bot.i18n import gettext
from bot.outbox import OutboxSender
from bot.services.turns import Inbound, Outcome, TurnService
from bot.staff.outbox_rows import user_stream

CHANNEL = "console"


def parse_line(line: str) -> Event:
    stripped = line.strip()
    if stripped.startswith("/") and len(stripped) > 1 and not stripped[1:2].isspace():
        name, _, arg = stripped[1:].partition(" ")
        return Event("command", command=name.split("@", 1)[0].lower(), arg=arg.strip())
    return Event("text", text=line.rstrip("\r\n"))


def _write_texts(items: list[str], out: TextIO) -> None:
    for text in items:
        for i, line in enumerate(text.splitlines() or [""]):
            out.write(("bot> " if i == 0 else "     ") + line + "\n")


def show(outcome: Outcome, out: TextIO) -> None:
    lang = outcome.language
    _write_texts(texts(outcome.reply, lang), out)
    if any(isinstance(a, ClearChat) for a in outcome.channel_actions):
        out.write("bot> " + gettext(t.CLEAR_NOT_NEEDED, lang) + "\n")
    for option in numbered_options(outcome.reply, lang):
        out.write("       " + option + "\n")
    out.flush()


class ConsoleDelivery:
    """The console's outbound half (`ChannelDelivery`): prints to this terminal session.

    A terminal has one person at it, so messages for another console address wait (as a
    retry) until that person's own session delivers them.
    """

    name = CHANNEL
    OTHER_SESSION_WAIT_S = 30.0

    def __init__(self, out: TextIO, address: str = "local") -> None:
        self.out = out
        self.address = address

    async def deliver(self, address: str, message: Outbound) -> Delivered:
        if address != self.address:
            raise RetryAfter(self.OTHER_SESSION_WAIT_S)
        reply = Reply(list(message.messages), list(message.choices))
        items = texts(reply, message.language)
        if message.text is not None:
            items.append(message.text)
        elif message.copy_of is not None:
            items.append(gettext(ct.STAFF_MEDIA, message.language))
        _write_texts(items, self.out)
        for option in numbered_options(reply, message.language):
            self.out.write("       " + option + "\n")
        self.out.flush()
        return Delivered()


async def run_console(
    service: TurnService,
    inp: TextIO,
    out: TextIO,
    address: str = "local",
    stop: asyncio.Event | None = None,
    outbox: OutboxSender | None = None,
) -> None:
    """Run until end of input (or `stop`). State is saved after every turn, so a restart
    resumes. With an outbox, replies are queued by the turn and printed by the console's
    delivery (at once; a staff message arriving meanwhile is printed when it is sent)."""
    interactive = inp.isatty()

    async def answer(outcome: Outcome) -> None:
        if outbox is not None and outcome.outbox_ids:
            await outbox.send_now(outcome.outbox_ids)
            if any(isinstance(a, ClearChat) for a in outcome.channel_actions):
                out.write("bot> " + gettext(t.CLEAR_NOT_NEEDED, outcome.language) + "\n")
                out.flush()
        else:
            show(outcome, out)

    if outbox is not None:  # what a killed session had in hand is this session's now
        await outbox.release_stream(user_stream(service.identity.pseudonym(CHANNEL, address)))
    await answer(await service.resume(Inbound(CHANNEL, address, Event("start"))))
    while stop is None or not stop.is_set():
        if interactive:
            out.write("you> ")
            out.flush()
        line = await asyncio.to_thread(inp.readline)
        if line == "":  # Ctrl-D / end of piped input
            break
        await answer(await service.handle(Inbound(CHANNEL, address, parse_line(line))))
