"""Drive the pure dialog to any step, in any language, for tests."""

from __future__ import annotations

import datetime as dt

from bot.classify.types import Language
from bot.dialogs import Context, Event, Reply, State, start_state, step
from bot.i18n import render
from tests.fakes import FakeClassifier

# Inputs that bring a fresh conversation to each step (numbers are menu choices).
CHILD_PATH: dict[str, list[str]] = {
    "new": [],
    "caller": ["/start"],
    "topic": ["/start", "1"],
    "topic_group": ["/start", "1", "7"],
    "topic_confirm": ["/start", "1", "unsure what this is"],
    "safety": ["/start", "1", "1"],  # "home and family": are you safe right now?
    "age": ["/start", "1", "1", "1"],
    "gender": ["/start", "1", "1", "1", "3"],  # a child's age bands start at 7-9
    "region": ["/start", "1", "1", "1", "3", "1"],
    "message": ["/start", "1", "1", "1", "3", "1", "1"],
}
_SERVICE = ["/start", "2", "1", "5", "1", "1"]
PARENT_PATH: dict[str, list[str]] = {
    "service": _SERVICE,
    "callback_slot": [*_SERVICE, "1"],
    "callback_language": [*_SERVICE, "1", "1"],
    "callback_phone": [*_SERVICE, "1", "1", "1"],
    "callback_confirm": [*_SERVICE, "1", "1", "1", "+77012345678"],
    "callback_change": [*_SERVICE, "1", "1", "1", "+77012345678", "2"],
    "callback_pending": [*_SERVICE, "1", "1", "1", "+77012345678", "1"],
    "done": [*_SERVICE, "1", "1", "1", "+77012345678", "1", "/cancel"],
}
# 1 December 2026, a Tuesday, 10:00 in Almaty: today's slots from 12:00 are still open.
NOW = dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC)
ON_DUTY_PATH: dict[str, list[str]] = {"route": ["/start", "1", "1", "1", "3", "1", "1"]}


def to_event(line: str, classifier: FakeClassifier, lang: Language) -> Event:
    if line.startswith("/"):
        name, _, arg = line[1:].partition(" ")
        return Event("command", command=name, arg=arg)
    return Event("text", text=line, classification=classifier.classify(line, lang))


def run(
    lines: list[str], lang: Language = "en", on_duty: bool = False
) -> tuple[State, list[Reply]]:
    classifier = FakeClassifier()
    ctx = Context(on_duty=on_duty, now=NOW, label=render)
    state = start_state(lang, "user")
    replies: list[Reply] = []
    for line in lines:
        state, reply = step(state, to_event(line, classifier, state.language), ctx)
        replies.append(reply)
    return state, replies


def all_paths() -> list[tuple[str, list[str], bool]]:
    paths = [(name, lines, False) for name, lines in (CHILD_PATH | PARENT_PATH).items()]
    paths += [(name, lines, True) for name, lines in ON_DUTY_PATH.items()]
    return paths
