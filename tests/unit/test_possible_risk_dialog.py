"""A possible-risk message (urgent + possible_risk, classifier policy.md): the child gets no
emergency-numbers message, and the case reaches the staff as urgent with the mark."""

from __future__ import annotations

from bot.classify.classifier import POSSIBLE_RISK
from bot.classify.types import Classification
from bot.dialogs import Context, Event, choices_for, start_state, step
from bot.dialogs import texts as t
from bot.dialogs.model import Escalate
from tests.dialog_driver import CHILD_PATH, run

RISKY = Classification(
    language="en",
    categories=(("psychological", 0.8), ("family", 0.1), ("other", 0.1)),
    urgency="urgent",
    signals=("suicide", "model", POSSIBLE_RISK),
)


def test_possible_risk_is_urgent_with_the_mark_and_no_emergency_message() -> None:
    ctx = Context(on_duty=True)
    state = start_state("en", "user")
    state, _ = step(state, Event("command", command="start"), ctx)
    state, _ = step(state, Event("choice", choice="caller:child"), ctx)
    state, reply = step(
        state, Event("text", text="i dont see the point", classification=RISKY), ctx
    )
    replies = [reply]
    escalations: list[Escalate] = []
    for _ in range(12):  # the profile questions (skipped), then "talk to a person now"
        escalations = [a for r in replies for a in r.actions if isinstance(a, Escalate)]
        if escalations:
            break
        ids = [c.id for c in choices_for(state)]
        pick = "route:talk" if "route:talk" in ids else "skip"
        state, reply = step(state, Event("choice", choice=pick), ctx)
        replies.append(reply)
    assert state.urgency == "urgent"
    assert escalations and escalations[0].urgency == "urgent"
    assert POSSIBLE_RISK in escalations[0].signals
    said = [m.key for r in replies for m in r.messages]
    assert t.SAFETY not in said and t.NOBODY_ON_DUTY_CRISIS not in said


def test_a_possible_risk_later_in_a_case_raises_it_to_urgent_with_the_mark() -> None:
    state, _ = run(CHILD_PATH["message"])  # a child who left a message: a routine case
    assert state.step == "message" and state.urgency == "routine"
    state, reply = step(
        state, Event("text", text="i dont see the point", classification=RISKY), Context()
    )
    escalations = [a for a in reply.actions if isinstance(a, Escalate)]
    assert [e.urgency for e in escalations] == ["urgent"]
    assert POSSIBLE_RISK in escalations[0].signals
    assert t.SAFETY not in [m.key for m in reply.messages]
