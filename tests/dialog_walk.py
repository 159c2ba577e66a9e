"""Walk the pure dialog through every step with every kind of input, collecting what is said.

Used to check texts by who reads them: every text an adult (or someone not yet known) can
read, every text a child can read. The walk is breadth-first over dialog states, with each
step's choices and a fixed set of typed inputs, commands and staff-side events.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from bot.dialogs import Context, Event, Reply, State, choices_for, start_state, step
from bot.dialogs.model import Msg
from bot.i18n import render
from tests.dialog_driver import CHILD_PATH, PARENT_PATH, run
from tests.fakes import FakeClassifier

TYPED = [
    "",
    "a" * 5000,
    "🙂",
    "77",
    "hello there",
    "спасибо",
    "помогите",
    "the father does not pay alimony",
    "unsure what this is",
    "they call me fat",
    "I want to die",
    "+77012345678",
]
COMMANDS = ["start", "help", "privacy", "lang", "new", "forget", "stop", "dance"]
SYSTEM = ["staff_joined", "case_closed"]


@dataclass(frozen=True)
class Said:
    reader: str | None  # the caller type after the turn (None: not known yet)
    msg: Msg


def _events(state: State) -> Iterator[Event]:
    choices = [c.id for c in choices_for(state)]
    if state.step == "region":  # twenty regions read alike: three of them are enough
        choices = choices[:2] + choices[-2:]
    for cid in choices:
        yield Event("choice", choice=cid)
    classifier = FakeClassifier()
    for text in TYPED:
        yield Event("text", text=text, classification=classifier.classify(text, state.language))
    for name in COMMANDS:
        yield Event("command", command=name)
    yield Event("unsupported")
    if state.case_open:
        for what in SYSTEM:
            yield Event("system", command=what)


def _key(state: State) -> tuple[object, ...]:
    d = state.to_dict()
    for name in ("age_band", "gender", "region", "callback_slot", "service", "source"):
        d[name] = d[name] is not None
    return tuple(sorted((k, str(v)) for k, v in d.items()))


def _seeds(callers: set[str | None], on_duty: bool) -> list[State]:
    """A state at every step for each caller type, so the walk goes deep, not only wide."""
    digits = {"child": "1", "parent": "2", "relative": "3", "teacher": "4", "other": "5"}
    seeds = [start_state("ru", "user")]
    for caller in callers - {None}:
        paths = CHILD_PATH if caller == "child" else PARENT_PATH | {"topic": ["/start", "2"]}
        for lines in paths.values():
            lines = [digits[caller] if i == 1 else x for i, x in enumerate(lines)]
            seeds.append(run(lines, on_duty=on_duty)[0])
    return seeds


def walk(callers: set[str | None], max_states: int = 4000) -> list[Said]:
    """Everything said while the caller is one of `callers` (None: before anyone chose)."""
    said: list[Said] = []
    for on_duty in (False, True):
        ctx = Context(on_duty=on_duty, label=render)
        frontier = _seeds(callers, on_duty)
        seen = {_key(s) for s in frontier}
        while frontier and len(seen) < max_states:
            state = frontier.pop(0)
            for event in _events(state):
                after, reply = step(state, event, ctx)
                if after.caller not in callers:
                    continue
                said += _collect(after, reply)
                key = _key(after)
                if key not in seen:
                    seen.add(key)
                    frontier.append(after)
    return said


def _collect(state: State, reply: Reply) -> list[Said]:
    msgs = list(reply.messages) + [c.label for c in reply.choices]
    return [Said(state.caller, m) for m in msgs if not m.literal]


def rendered(said: list[Said], lang: str) -> dict[str, Msg]:
    """Each distinct text as the reader sees it, with the message it came from."""
    out: dict[str, Msg] = {}
    for item in said:
        out[render(item.msg, lang)] = item.msg
    return out
