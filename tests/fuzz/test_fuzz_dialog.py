"""Fuzzing the pure dialog and the masking: any event in any state, any text (issue 8)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.dialogs import Context, Event, State, step
from bot.dialogs.model import Escalate
from bot.i18n import render
from bot.privacy import mask
from tests.dialog_driver import all_paths, run

from .strategies import FUZZ, events, texts

PATHS = all_paths()


@FUZZ
@given(
    start=st.sampled_from(PATHS),
    happened=st.lists(events(), max_size=8),
    on_duty=st.booleans(),
    channel=st.sampled_from(("telegram", "console", "sms")),
)
def test_any_events_in_any_state_never_break_the_dialog(
    start: tuple[str, list[str], bool], happened: list[Event], on_duty: bool, channel: str
) -> None:
    _, lines, start_on_duty = start
    state, _ = run(lines, on_duty=start_on_duty)
    ctx = Context(channel=channel, on_duty=on_duty)
    for event in happened:
        state, reply = step(state, event, ctx)
        assert State.from_dict(state.to_dict()) == state  # what is stored comes back
        for msg in [*reply.messages, *(c.label for c in reply.choices)]:
            assert render(msg, state.language)  # every text exists and formats
        ids = [c.id for c in reply.choices]
        assert len(ids) == len(set(ids))
        if any(isinstance(a, Escalate) for a in reply.actions):
            assert state.case_open


IDENTIFIERS = [
    "+7 701 765 43 21",
    "87011234567",
    "140524686846",
    "4400 5145 4752 7729",
    "zhuldyz@mail.kz",
    "@zhuldyz_2011",
]


@FUZZ
@given(before=texts(), after=texts(), secret=st.sampled_from(IDENTIFIERS))
def test_an_identifier_is_masked_whatever_surrounds_it(
    before: str, after: str, secret: str
) -> None:
    masked = mask(f"{before} {secret} {after}")
    assert secret not in masked
