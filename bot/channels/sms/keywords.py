"""What an SMS means before the dialog reads it: the keywords, and everything else as text.

STOP, START, HELP, FORGET and NEW are SMS commands in English, Russian and Kazakh (and Kazakh
typed without Kazakh letters: ТОКТАТ, ОШИР). Only a message that is the keyword alone counts:
"стоп, он меня бьёт" is a message for the dialog, not an opt-out. On Telegram and the console
these words stay ordinary text: only the SMS channel reads them.

A number, "0" or "SOS" is passed to the dialog as text: the dialog maps numbers to its own
choices (help-now is 0), exactly as on the console. "+" asks for the next page of options.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.dialogs import Event

Keyword = Literal["stop", "start", "help", "forget", "new", "more"]

_FOLD = str.maketrans("әғқңөұүһіё", "агкноуухие")
_PUNCT = re.compile(r"[^\w+]+")

WORDS: dict[Keyword, tuple[str, ...]] = {
    # Twilio's and the carriers' opt-out words, and their Russian and Kazakh forms
    "stop": (
        "stop",
        "stopall",
        "unsubscribe",
        "cancel",
        "end",
        "quit",
        "стоп",
        "отписка",
        "отписаться",
        "тоқтат",
        "тоқтату",
        "тоқта",
    ),
    "start": ("start", "unstop", "старт", "подписаться", "бастау", "баста"),
    "help": ("help", "info", "справка", "инфо", "анықтама"),
    "forget": ("forget", "delete", "удалить", "забудь", "забыть", "өшір", "өшіру", "ұмыт"),
    "new": ("new", "новый", "заново", "жаңа"),
    "more": ("+", "more", "ещё", "еще", "тағы", "келесі"),
}
COMMANDS: dict[Keyword, str] = {
    "stop": "stop",
    "start": "start",
    "help": "help",
    "forget": "forget",
    "new": "new",
}


def _fold(text: str) -> str:
    return _PUNCT.sub(" ", text.casefold().translate(_FOLD)).strip()


_BY_WORD: dict[str, Keyword] = {
    _fold(word): keyword for keyword, words in WORDS.items() for word in words
}


def keyword_of(body: str) -> Keyword | None:
    """The keyword a whole message is ("STOP", "Стоп!", " тоқтат "), or None."""
    folded = _fold(body)
    if folded.startswith("/"):
        folded = folded[1:]
    return _BY_WORD.get(folded)


@dataclass(frozen=True, slots=True)
class Parsed:
    event: Event
    keyword: Keyword | None = None


def parse(body: str) -> Parsed:
    """An SMS body as a dialog event; keywords become the dialog's commands."""
    keyword = keyword_of(body)
    if keyword is not None and keyword in COMMANDS:
        return Parsed(Event("command", command=COMMANDS[keyword]), keyword)
    stripped = body.strip()
    if stripped.startswith("/") and len(stripped) > 1 and not stripped[1:2].isspace():
        name, _, arg = stripped[1:].partition(" ")
        return Parsed(Event("command", command=name.lower(), arg=arg.strip()))
    return Parsed(Event("text", text=body), keyword)
