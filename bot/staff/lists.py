"""Staff command arguments and lists that must fit one Telegram message."""

from __future__ import annotations

import unicodedata

MAX_MESSAGE = 4096
MAX_CASE_NUMBER = 2**31 - 1  # the largest id a database integer column holds


def case_number(arg: str) -> int | None:
    """A case or page number as staff type it ("12", "#12", "１２"); None for anything else,
    including numbers no case can have."""
    folded = unicodedata.normalize("NFKC", arg).strip().lstrip("#")
    if not folded.isdecimal() or len(folded) > 10:
        return None
    number = int(folded)
    return number if 0 < number <= MAX_CASE_NUMBER else None


def pages(lines: list[str], footer_room: int = 200, limit: int = MAX_MESSAGE) -> list[str]:
    """Lines grouped into pages that fit one message with room left for a footer."""
    budget = limit - footer_room
    out: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        line = line[:budget]
        if current and size + 1 + len(line) > budget:
            out.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + (1 if size else 0)
    if current:
        out.append("\n".join(current))
    return out
