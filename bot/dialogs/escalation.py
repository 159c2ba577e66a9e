"""Crisis, "I need help now" and the hand-over to a person: the ways out of the triage.

SPEC section 3: a crisis interrupts any step; every menu carries "I need help now"; an answer
the dialog cannot use twice in a row goes to a person (or, with nobody on duty, waits for the
first person on shift while the user gets the 24/7 numbers) instead of a third question.
Nothing here promises a person who is not there: `ctx.on_duty` decides every sentence.
"""

from __future__ import annotations

from bot.dialogs import texts as t
from bot.dialogs.model import Context, Escalate, Msg, RecordIntake, Reply, State
from bot.dialogs.prompts import choices_for, within


def record_intake(s: State, reply: Reply, outcome: str | None) -> None:
    if not s.intake_recorded:
        reply.actions.append(RecordIntake(outcome=outcome))
        s.intake_recorded = True
    if s.urgency == "urgent" and not s.case_open:
        reply.actions.append(Escalate("urgent", "urgent", s.category or "other", tuple(s.signals)))
        s.case_open = True


def at_least_urgent(urgency: str) -> str:
    return "crisis" if urgency == "crisis" else "urgent"


# --- crisis, bad input, commands --------------------------------------------------------------


def crisis(
    s: State, ctx: Context, *, reason: str, signals: tuple[str, ...], category: str, text: str
) -> tuple[State, Reply]:
    reply = Reply()
    already = s.step == "crisis"
    s.urgency = "crisis"
    s.signals = sorted(set(s.signals) | set(signals))
    if s.category is None or s.category == "other":
        s.category = category
        s.categories = [category]
    s.misses, s.lang_menu = 0, False
    someone = ctx.on_duty or s.staff_here
    if already:
        reply.say(t.CRISIS_MESSAGE_RECEIVED if someone else t.CRISIS_MESSAGE_RECEIVED_NOBODY)
    else:
        reply.say(t.SAFETY)
        if someone:  # a person is called only when there is someone to call
            reply.say(t.CALLING_PERSON)
        else:
            reply.messages.append(Msg.of(t.NOBODY_ON_DUTY_CRISIS, within=within(ctx)))
    if not s.intake_recorded:
        reply.actions.append(RecordIntake(outcome=None))
        s.intake_recorded = True
    reply.actions.append(Escalate("crisis", reason, s.category, tuple(signals), text))
    s.step, s.case_open = "crisis", True
    return s, reply


def help_now(s: State, ctx: Context) -> tuple[State, Reply]:
    """'I need help now' (the button, 0 or SOS): a crisis without typing a word."""
    category = s.category or "other"
    return crisis(s, ctx, reason="help_now", signals=("help_now",), category=category, text="")


def miss(s: State, ctx: Context, msg: Msg) -> tuple[State, Reply]:
    """An answer we cannot use: say so kindly, keep the step; the second time, hand over."""
    s.misses += 1
    reply = Reply()
    if s.misses >= 2:
        return hand_over(s, ctx)
    reply.messages.append(msg)
    if s.step == "new":
        s.step = "caller"
    reply.choices = choices_for(s)
    return s, reply


def hand_over(s: State, ctx: Context) -> tuple[State, Reply]:
    """The second answer we cannot use: a person takes over (SPEC section 3), never a third
    identical question. With nobody on shift the case waits for the first person on shift,
    and the user is told so, with the lines that answer day and night."""
    s.misses, s.lang_menu = 0, False
    reply = Reply()
    if ctx.on_duty or s.staff_here:
        reply.say(t.HANDOFF)
    else:
        reply.messages.append(Msg.of(t.HANDOFF_NOBODY, within=within(ctx)))
    record_intake(s, reply, outcome=None)
    reply.actions.append(Escalate(at_least_urgent(s.urgency), "stuck", s.category or "other"))
    s.step, s.case_open = "message", True
    reply.choices = choices_for(s)
    return s, reply
