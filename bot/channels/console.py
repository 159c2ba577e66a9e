"""The dialog in a terminal: numbered options, commands, Ctrl-D to leave."""

from __future__ import annotations

import asyncio
from typing import TextIO

from bot.channels.render import numbered_options, texts
from bot.dialogs import Event
from bot.dialogs import texts as t
from bot.dialogs.model import ClearChat
from bot.i18n import gettext
from bot.services.turns import Inbound, Outcome, TurnService

CHANNEL = "console"


def parse_line(line: str) -> Event:
    stripped = line.strip()
    if stripped.startswith("/") and len(stripped) > 1 and not stripped[1:2].isspace():
        name, _, arg = stripped[1:].partition(" ")
        return Event("command", command=name.split("@", 1)[0].lower(), arg=arg.strip())
    return Event("text", text=line.rstrip("\r\n"))


def show(outcome: Outcome, out: TextIO) -> None:
    lang = outcome.language
    for text in texts(outcome.reply, lang):
        for i, line in enumerate(text.splitlines() or [""]):
            out.write(("bot> " if i == 0 else "     ") + line + "\n")
    if any(isinstance(a, ClearChat) for a in outcome.channel_actions):
        out.write("bot> " + gettext(t.CLEAR_NOT_NEEDED, lang) + "\n")
    for option in numbered_options(outcome.reply, lang):
        out.write("       " + option + "\n")
    out.flush()


async def run_console(
    service: TurnService, inp: TextIO, out: TextIO, address: str = "local"
) -> None:
    """Run until end of input. State is saved after every turn, so a restart resumes."""
    interactive = inp.isatty()
    show(await service.resume(Inbound(CHANNEL, address, Event("start"))), out)
    while True:
        if interactive:
            out.write("you> ")
            out.flush()
        line = await asyncio.to_thread(inp.readline)
        if line == "":  # Ctrl-D / end of piped input
            break
        show(await service.handle(Inbound(CHANNEL, address, parse_line(line))), out)
