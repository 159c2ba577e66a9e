"""How many SMS segments a text costs (GSM 03.38 and UCS-2).

A text made only of GSM-7 characters goes as GSM-7: 160 characters in one segment, 153 a part
when it is split (the rest of each part holds the concatenation header). The extension table
(`^ { } [ ] ~ \\ | €` and form feed) costs two characters each. Any other character, one
Kazakh letter or an emoji in a Latin text included, sends the whole message as UCS-2: 70 in
one segment, 67 a part, and a character outside the Basic Multilingual Plane (most emoji) is
a surrogate pair worth two.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

Encoding = Literal["GSM-7", "UCS-2"]
SINGLE = {"GSM-7": 160, "UCS-2": 70}
PART = {"GSM-7": 153, "UCS-2": 67}


@dataclass(frozen=True, slots=True)
class Cost:
    encoding: Encoding
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def encoding_of(text: str) -> Encoding:
    return "GSM-7" if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text) else "UCS-2"


def units(text: str, encoding: Encoding) -> int:
    if encoding == "GSM-7":
        return sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def cost(text: str) -> Cost:
    enc = encoding_of(text)
    n = units(text, enc)
    if n <= SINGLE[enc]:
        return Cost(enc, n, 1 if n else 0)
    return Cost(enc, n, -(-n // PART[enc]))


def segments(text: str) -> int:
    """Segments of one message; an empty message costs nothing (it is not sent)."""
    return cost(text).segments
