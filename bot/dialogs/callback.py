"""The callback steps of the dialog (SPEC section 3, step 6; issue 10): a slot in the next
days, the language of the call, the number, a read-back with Confirm · Change · Cancel, and
what happens while the request waits for its call. Pure, like the rest of the dialog.
"""

from __future__ import annotations

import phonenumbers

from bot.dialogs import callback_texts as ct
from bot.dialogs import menus, slots
from bot.dialogs import texts as t
from bot.dialogs.model import (
    CallbackNote,
    CancelCallback,
    Choice,
    ConfirmCallback,
    Context,
    Msg,
    Reply,
    State,
    StoreCallbackPhone,
)

CALL_LANGUAGES = ("kk", "ru", "en")
IN_LANGUAGE = {"kk": ct.IN_KAZAKH, "ru": ct.IN_RUSSIAN, "en": ct.IN_ENGLISH}
STEPS = frozenset(
    {
        "callback_slot",
        "callback_language",
        "callback_phone",
        "callback_confirm",
        "callback_change",
        "callback_pending",
    }
)
KINDS = frozenset({"slot", "calllang", "cb", "change", "phone"})


def schedule_of(ctx: Context) -> slots.Schedule:
    return ctx.schedule or slots.Schedule()


def mask_number(e164: str) -> str:
    """'+77012345678' → '+7 701 *** ** 78': enough to recognise, not enough to dial."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return "***"
    national = phonenumbers.national_significant_number(number)
    if len(national) < 7:
        return f"+{number.country_code} *** {national[-2:]}"
    return f"+{number.country_code} {national[:3]} *** ** {national[-2:]}"


# --- entering the flow -----------------------------------------------------------------------


def start(s: State, ctx: Context, reply: Reply) -> tuple[State, Reply]:
    """The parent asked for a call. One request at a time: a second one is not taken."""
    if s.callback_pending:
        s.step = "callback_pending"
        reply.messages.append(Msg.of(ct.ALREADY_PENDING, slot=_slot_label(s)))
        reply.choices = choices(s)
        return s, reply
    s.callback_editing = False
    return offer_slots(s, ctx, reply)


def offer_slots(
    s: State, ctx: Context, reply: Reply, question: str = ct.ASK_SLOT
) -> tuple[State, Reply]:
    schedule = schedule_of(ctx)
    s.offered_slots = slots.upcoming(schedule, ctx.now)
    s.slots_day = slots.local_day(schedule, ctx.now)
    if not s.offered_slots:  # a schedule with no hours at all: say so, never dead-end
        s.step = "done"
        reply.say(ct.NO_SLOTS)
        return s, reply
    s.step = "callback_slot"
    reply.say(question)
    reply.choices = choices(s)
    return s, reply


# --- what is asked and offered at each callback step -----------------------------------------


def question(s: State) -> list[Msg]:
    if s.step == "callback_slot":
        return [Msg(ct.ASK_SLOT)]
    if s.step == "callback_language":
        return [Msg(ct.ASK_CALL_LANGUAGE)]
    if s.step == "callback_phone":
        return [Msg(t.ASK_PHONE)]
    if s.step == "callback_confirm":
        return [readback(s)]
    if s.step == "callback_change":
        return [Msg(ct.ASK_CHANGE)]
    return [_summary(ct.PENDING, s)]


def choices(s: State) -> list[Choice]:
    step = s.step
    if step == "callback_slot":
        return [Choice(f"slot:{x}", slots.label(x, s.slots_day)) for x in s.offered_slots]
    if step == "callback_language":
        order = [s.language] + [code for code in CALL_LANGUAGES if code != s.language]
        return [Choice(f"calllang:{c}", Msg(menus.LANGUAGE_NAMES[c], literal=True)) for c in order]
    if step == "callback_phone":
        if s.sender_masked:
            return [Choice("phone:sender", Msg.of(ct.USE_THIS_NUMBER, number=s.sender_masked))]
        return []
    if step == "callback_confirm":
        return [
            Choice("cb:confirm", Msg(ct.CONFIRM)),
            Choice("cb:change", Msg(ct.CHANGE)),
            Choice("cb:cancel", Msg(ct.CANCEL_CALL)),
        ]
    if step == "callback_change":
        return [
            Choice("change:time", Msg(ct.CHANGE_TIME)),
            Choice("change:language", Msg(ct.CHANGE_LANGUAGE)),
            Choice("change:number", Msg(ct.CHANGE_NUMBER)),
            Choice("back", Msg(t.BACK)),
        ]
    return [Choice("cb:change", Msg(ct.CHANGE)), Choice("cb:cancel", Msg(ct.CANCEL_CALL))]


def readback(s: State) -> Msg:
    return Msg.of(
        ct.READBACK,
        specialist=_specialist(s),
        number=s.phone_masked or "",
        slot=_slot_label(s),
        language=Msg(IN_LANGUAGE.get(s.callback_language or s.language, ct.IN_RUSSIAN)),
    )


# --- answers ---------------------------------------------------------------------------------


def on_choice(s: State, kind: str, value: str, ctx: Context) -> tuple[State, Reply]:
    s.sender_masked = ctx.sender_phone_masked
    if kind == "slot":
        if slots.has_started(value, schedule_of(ctx), ctx.now):
            return offer_slots(s, ctx, Reply().say(ct.SLOT_PAST))
        s.callback_slot = value
        return _next(s, "callback_language")
    if kind == "calllang":
        s.callback_language = value
        return _next(s, "callback_phone")
    if kind == "phone":  # SMS: the sender's own number, which the host fills in
        s.phone_masked = s.sender_masked
        reply = Reply(actions=[StoreCallbackPhone("")])
        return _to_readback(s, reply)
    if kind == "change":
        s.callback_editing = True
        if value == "time":
            return offer_slots(s, ctx, Reply())
        s.step = "callback_language" if value == "language" else "callback_phone"
        return s, _ask(s, Reply())
    if value == "confirm":
        return _confirm(s, ctx)
    if value == "change":
        s.step = "callback_change"
        return s, _ask(s, Reply())
    return cancel(s)


def back(s: State) -> tuple[State, Reply]:
    """'Back' on the change menu: the read-back again, or the pending request's summary."""
    return _to_readback(s, Reply())


def on_text(s: State, text: str) -> tuple[State, Reply] | None:
    """Typed text at a callback step; None when the caller should treat it as a miss."""
    if s.step == "callback_pending":  # "can it be tomorrow instead?": the staff read it
        reply = Reply(actions=[CallbackNote(text)]).say(ct.NOTE_PASSED)
        reply.choices = choices(s)
        s.misses = 0
        return s, reply
    if s.step != "callback_phone":
        return None
    e164 = parse_phone(text)
    if e164 is None:
        return None
    s.phone_masked = mask_number(e164)
    return _to_readback(s, Reply(actions=[StoreCallbackPhone(e164)]))


def parse_phone(text: str) -> str | None:
    try:
        number = phonenumbers.parse(text, "KZ")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def cancel(s: State) -> tuple[State, Reply]:
    """Cancel the call (the button, or /cancel): a separate thing from /forget."""
    if not s.callback_pending and s.step not in STEPS:
        return s, Reply().say(ct.NOTHING_TO_CANCEL)
    _clear(s)
    if s.step in STEPS:
        s.step = "done"
    return s, Reply(actions=[CancelCallback()]).say(ct.CANCELLED)


def system(s: State, what: str, arg: str, ctx: Context) -> tuple[State, Reply]:
    """What the staff side did to the request, told to the parent in their language."""
    if what == "callback_done":
        _clear(s)
        if s.step in STEPS:
            s.step = "done"
        return s, Reply()
    if what == "callback_cancelled":
        _clear(s)
        if s.step in STEPS:
            s.step = "done"
        return s, Reply().say(ct.CANCELLED_BY_STAFF)
    if what == "callback_moved":
        s.callback_slot = arg
        s.slots_day = slots.local_day(schedule_of(ctx), ctx.now)
        s.step = "callback_pending"
        reply = Reply()
        reply.messages.append(_summary(ct.MOVED, s))
        reply.choices = choices(s)
        return s, reply
    if what == "callback_no_answer":  # the parent picks a new time; the number stays
        s.callback_editing = True
        return offer_slots(s, ctx, Reply(), ct.NO_ANSWER_TWICE)
    if what == "callback_reminder":
        s.slots_day = slots.local_day(schedule_of(ctx), ctx.now)
        return s, Reply(messages=[_summary(ct.REMINDER, s)])
    raise ValueError(f"unknown callback event {what!r}")


# --- helpers ---------------------------------------------------------------------------------


def _next(s: State, step: str) -> tuple[State, Reply]:
    if s.callback_editing and (step != "callback_phone" or s.phone_masked):
        return _to_readback(s, Reply())
    s.step = step  # type: ignore[assignment]
    return s, _ask(s, Reply())


def _to_readback(s: State, reply: Reply) -> tuple[State, Reply]:
    s.misses = 0
    s.step = "callback_confirm"
    return s, _ask(s, reply)


def _ask(s: State, reply: Reply) -> Reply:
    reply.messages.extend(question(s))
    reply.choices = choices(s)
    return reply


def _confirm(s: State, ctx: Context) -> tuple[State, Reply]:
    if s.callback_slot is None or slots.has_started(s.callback_slot, schedule_of(ctx), ctx.now):
        s.callback_editing = True
        return offer_slots(s, ctx, Reply().say(ct.SLOT_PAST))
    reply = Reply()
    reply.actions.append(
        ConfirmCallback(
            s.callback_slot, s.callback_language or s.language, s.service or "psychological"
        )
    )
    reply.say(ct.CONFIRMED)
    reply.messages.append(_summary(ct.PENDING, s))
    if ctx.channel in ("telegram", "sms"):  # the console cannot be written to later
        reply.say(ct.REMINDER_PROMISE)
    reply.say(ct.NUMBER_KEPT)
    s.callback_pending, s.callback_editing = True, False
    s.step = "callback_pending"
    reply.choices = choices(s)
    return s, reply


def _clear(s: State) -> None:
    s.callback_pending = s.callback_editing = False
    s.callback_slot = s.phone_masked = None
    s.offered_slots = []


def _specialist(s: State) -> Msg:
    return Msg(menus.SERVICES.get(s.service or "psychological", t.SERVICE_PSYCHOLOGICAL))


def _slot_label(s: State) -> Msg:
    return slots.label(s.callback_slot, s.slots_day) if s.callback_slot else Msg("", literal=True)


def _summary(key: str, s: State) -> Msg:
    return Msg.of(
        key,
        specialist=_specialist(s),
        slot=_slot_label(s),
        language=Msg(IN_LANGUAGE.get(s.callback_language or s.language, ct.IN_RUSSIAN)),
    )
