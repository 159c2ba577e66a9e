"""Splitting a text that is over a channel's limit into parts that each fit.

Breaks at paragraph breaks first, then line breaks, then spaces, and only inside a word when
a word alone is too long. `size` measures a part as the channel will count it (Telegram: the
length after HTML escaping; SMS: segments), so an escaped entity is never cut in half.
"""

from __future__ import annotations

from collections.abc import Callable

BREAKS = ("\n\n", "\n", " ")


def _longest_fitting(text: str, limit: int, size: Callable[[str], int]) -> int:
    """The longest prefix length whose size is within the limit (size grows with length)."""
    lo, hi = 1, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if size(text[:mid]) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return lo


def split_text(text: str, limit: int, size: Callable[[str], int] = len) -> list[str]:
    """Parts of `text` in order, each with size(part) <= limit; nothing is dropped."""
    parts: list[str] = []
    rest = text
    while size(rest) > limit:
        fit = _longest_fitting(rest, limit, size)
        cut = fit
        for sep in BREAKS:
            at = rest.rfind(sep, 0, fit)
            if at > fit // 2:  # a break in the second half: a readable part, not a sliver
                cut = at
                break
        head = rest[:cut].rstrip()
        parts.append(head if head else rest[:fit])
        rest = rest[cut:].lstrip() if head else rest[fit:]
    if rest or not parts:
        parts.append(rest)
    return parts
