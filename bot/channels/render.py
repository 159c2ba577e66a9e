"""Rendering helpers shared by the channels."""

from __future__ import annotations

from bot.dialogs import Reply, numbered
from bot.i18n import render


def texts(reply: Reply, language: str, short: bool = False) -> list[str]:
    return [render(m, language, short) for m in reply.messages]


def numbered_options(reply: Reply, language: str, short: bool = False) -> list[str]:
    """'1 — label' lines for channels without buttons (console, SMS); help-now is 0, last."""
    rows = numbered(reply.choices)
    rows.sort(key=lambda row: (row[0] == 0, row[0]))
    return [f"{n} — {render(choice.label, language, short)}" for n, choice in rows]
