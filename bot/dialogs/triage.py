"""The triage dialog as a pure function: `step(state, event, ctx) -> (state, reply)`.

SPEC section 3. A crisis found by the classifier interrupts any step; every menu carries
"I need help now"; an answer the dialog cannot use twice in a row is passed to a person (or,
with nobody on duty, to the 24/7 numbers) instead of being asked for a third time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from bot.classify.types import Classification
from bot.dialogs import callback, menus, referrals
from bot.dialogs import texts as t
from bot.dialogs.model import (
    ClearChat,
    ConfirmCallback,
    Context,
    Escalate,
    Event,
    Forget,
    Msg,
    RecordIntake,
    Reply,
    State,
    StopMessages,
)
from bot.dialogs.prompts import HELP_NOW, choices_for, is_child, numbered, prompt

MAX_TEXT = 4096  # Telegram's own limit for one message
COMMANDS = ("start", "help", "lang", "new", "forget", "privacy", "stop", "clear", "cancel")
# What /new keeps: a booked call stays booked until it is made or cancelled.
_KEPT_BY_NEW = (
    "callback_pending",
    "callback_slot",
    "callback_language",
    "slots_day",
    "phone_masked",
    "service",
)
SOS_WORDS = frozenset({"0", "sos", "сос"})
# An outreach source is a slug printed on a poster ("school-12", "almaty_2024"): letters first,
# at most four digits in a row, so no phone number, IIN or e-mail can be stored as one.
_SOURCE_RE = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")
_SOURCE_MAX = 32
_LONG_DIGITS_RE = re.compile(r"\d{5,}")
# Whatever the user writes, these commands do not count as "writing again" after /clear.
_QUIET_COMMANDS = ("start", "clear", "stop")
_HAS_WORD_RE = re.compile(r"[^\W\d_]{2,}")
_LETTER_RE = re.compile(r"[^\W\d_]")


def start_state(language: str = "ru", language_source: str = "default") -> State:
    return State(language=language, language_source=language_source)  # type: ignore[arg-type]


def step(state: State, event: Event, ctx: Context) -> tuple[State, Reply]:
    s, reply = _step(state, event, ctx)
    if s.step in callback.STEPS:  # every menu carries "I need help now"
        reply.choices = choices_for(s)
    return s, reply


def _step(state: State, event: Event, ctx: Context) -> tuple[State, Reply]:
    s = replace(state, signals=list(state.signals), categories=list(state.categories))
    s.guesses, s.offered_slots = list(state.guesses), list(state.offered_slots)
    if s.cleared and not _keeps_quiet(event):
        s.cleared = False  # the child wrote again after /clear
    if event.kind in ("command", "start"):
        return _command(s, event.command or "start", event.arg, ctx)
    if event.kind == "unsupported":
        return _miss(s, ctx, Msg(t.UNSUPPORTED))
    if event.kind == "choice":
        return _choice(s, event.choice, ctx)
    if event.kind == "system":
        return _system(s, event.command, event.arg, ctx)
    if event.kind == "media":
        return _media(s, event, ctx)
    return _text(s, event, ctx)


def _media(s: State, event: Event, ctx: Context) -> tuple[State, Reply]:
    """A photo, voice, file in a case goes to the person who has it; elsewhere the dialog
    reads only text (a crisis caption still counts)."""
    in_case = s.step in ("message", "crisis") and s.case_open
    cls = event.classification
    if cls is not None and cls.is_crisis:
        s, reply = _text(s, replace(event, kind="text"), ctx)
    elif in_case:
        s, reply = _pass_on(s, event.text.strip())
    else:
        return _miss(s, ctx, Msg(t.UNSUPPORTED))
    if in_case or s.step == "crisis":
        reply.actions = [
            replace(a, media=event.media, media_ref=event.media_ref)
            if isinstance(a, Escalate)
            else a
            for a in reply.actions
        ]
    return s, reply


def _keeps_quiet(event: Event) -> bool:
    if event.kind == "system":
        return True
    return event.kind in ("command", "start") and (event.command or "start") in _QUIET_COMMANDS


def source_slug(arg: str) -> str | None:
    """The start parameter as an outreach source, or None when it is not a plain slug."""
    slug = arg.strip().lower()
    if len(slug) > _SOURCE_MAX or not _SOURCE_RE.match(slug) or _LONG_DIGITS_RE.search(slug):
        return None
    return slug


def menu_number(text: str) -> int | None:
    """A menu number typed in any digits ("3", "³", "③", "٣"); None for anything else."""
    folded = unicodedata.normalize("NFKC", text).strip()
    if not folded.isdecimal() or len(folded) > 3:
        return None
    return int(folded)


def _system(s: State, what: str, arg: str, ctx: Context) -> tuple[State, Reply]:
    """Events from the staff side, told to the user in their language."""
    if what.startswith("callback_"):
        return callback.system(s, what, arg, ctx)
    if what == "staff_joined":  # from now on everything the user writes goes to the person
        if s.step != "crisis":
            s.step = "message"
        s.case_open = True
        return s, Reply().say(t.STAFF_JOINED)
    if what == "case_closed":
        s.step, s.case_open = "done", False
        return s, Reply().say(t.CASE_CLOSED)
    raise ValueError(f"unknown system event {what!r}")


def resume(state: State, ctx: Context) -> Reply:
    """What to show when a conversation is picked up again (a restart, /start)."""
    return prompt(state, ctx, Reply().say(t.WELCOME_BACK))


# --- free text -------------------------------------------------------------------------------


def _text(s: State, event: Event, ctx: Context) -> tuple[State, Reply]:
    text = event.text.strip()
    cls = event.classification
    if cls is not None and len(_LETTER_RE.findall(text)) >= 4:
        _adopt_language(s, cls)
    if cls is not None and cls.is_crisis:
        return _crisis(
            s, ctx, reason="crisis", signals=cls.signals, category=cls.category, text=text
        )
    if not text:
        return _miss(s, ctx, Msg(t.EMPTY))
    if len(text) > MAX_TEXT:
        return _miss(s, ctx, Msg(t.TOO_LONG))
    sos = unicodedata.normalize("NFKC", text).casefold() in SOS_WORDS
    if sos and s.step != "crisis":  # also after the triage ended
        return _help_now(s, ctx)
    if s.step == "new":
        return _greet(s, ctx)
    if s.step in ("callback_phone", "callback_pending"):
        handled = callback.on_text(s, text)
        if handled is not None:
            return handled
        if menu_number(text) is None:  # a menu number goes on below
            return _miss(s, ctx, Msg(t.BAD_PHONE))
    if s.step in ("message", "crisis"):
        return _pass_on(s, text)
    if s.step == "done":
        s.misses = 0
        return s, Reply().say(t.AFTER_DONE)
    choices = choices_for(s)
    number = menu_number(text)
    if number is not None:
        by_number = {n: c.id for n, c in numbered(choices)}
        if number in by_number:
            return _choice(s, by_number[number], ctx)
        return _miss(s, ctx, Msg.of(t.WRONG_NUMBER, max=len(by_number) - 1))
    if not _HAS_WORD_RE.search(text):
        return _miss(s, ctx, Msg(t.NOT_WORDS if s.step == "topic" else t.CHOOSE_OPTION))
    if cls is not None and (s.step == "topic" or (s.step == "caller" and cls.category != "other")):
        return _topic_from_text(s, cls, ctx)
    if s.step == "caller":  # "hi", "hello?": people greet first; that is not a wrong answer
        return s, prompt(s, ctx)
    return _miss(s, ctx, Msg(t.CHOOSE_OPTION))


def _adopt_language(s: State, cls: Classification) -> None:
    """Follow the language the user writes in, unless they chose one themselves."""
    if s.language_source != "user" and cls.language != s.language:
        s.language = cls.language
        s.language_source = "text"


def _topic_from_text(s: State, cls: Classification, ctx: Context) -> tuple[State, Reply]:
    s.misses = 0
    if cls.urgency == "urgent":
        s.urgency = "urgent"
    reply = Reply().say(t.THANKS_TOPIC)
    if cls.confident:
        s.category = cls.category
        s.categories = [cls.category]
        s.guesses = []
    else:
        s.guesses = [g for g in cls.best_guesses(3) if g != "other"]
    if s.step == "caller":  # the topic came first; ask who is writing, then go on
        return s, prompt(s, ctx, reply)
    return _after_topic(s, ctx, reply)


def _after_topic(s: State, ctx: Context, reply: Reply) -> tuple[State, Reply]:
    if s.category is None and s.guesses:
        s.step = "topic_confirm"
    elif s.category is None:
        s.step = "topic"
    else:
        s.step = "age"
    return s, prompt(s, ctx, reply)


def _pass_on(s: State, text: str) -> tuple[State, Reply]:
    """In a case (crisis, talk now, a left message) every message goes to the staff."""
    s.misses = 0
    urgency = "crisis" if s.step == "crisis" else s.urgency
    key = t.CRISIS_MESSAGE_RECEIVED if s.step == "crisis" else t.MESSAGE_RECEIVED
    reply = Reply().say(key)
    reply.actions.append(Escalate(urgency, "message", s.category or "other", (), text))
    s.case_open = True
    return s, reply


# --- choices ---------------------------------------------------------------------------------


def _choice(s: State, cid: str, ctx: Context) -> tuple[State, Reply]:
    if cid not in {c.id for c in choices_for(s)}:
        return s, prompt(s, ctx, Reply().say(t.OLD_BUTTON))
    s.misses = 0
    if cid == HELP_NOW:
        return _help_now(s, ctx)
    kind, _, value = cid.partition(":")
    if s.step in callback.STEPS and (kind in callback.KINDS or cid == "back"):
        s, reply = callback.back(s) if cid == "back" else callback.on_choice(s, kind, value, ctx)
        if any(isinstance(a, ConfirmCallback) for a in reply.actions):
            first = Reply()  # the intake record first, so the request can point at it
            _record_intake(s, first, outcome="callback_scheduled")
            reply.actions[:0] = first.actions
        return s, reply
    if kind == "lang":
        s.language, s.language_source, s.lang_menu = value, "user", False  # type: ignore[assignment]
        if s.step == "new":
            s.step = "caller"
        return s, prompt(s, ctx, Reply().say(t.LANGUAGE_SET))
    if kind == "caller":
        s.caller = value
        if s.category is not None or s.guesses:
            return _after_topic(s, ctx, Reply())
        s.step = "topic"
    elif kind == "group":
        s.topic_group, s.step = value, "topic_group"
    elif cid == "back":
        s.step = "topic"
    elif kind == "topic":
        s.category, s.categories, s.guesses = value, [value], []
        s.step = "age"
    elif kind == "age" or (cid == "skip" and s.step == "age"):
        s.age_band, s.step = (value or None), "gender"
    elif kind == "gender" or (cid == "skip" and s.step == "gender"):
        s.gender, s.step = (value or None), "region"
    elif kind == "region" or (cid == "skip" and s.step == "region"):
        s.region = value or None
        return _route(s, ctx)
    elif kind == "service":
        s.service = value
        return _offer_adult(s, ctx)
    elif kind == "route":
        return _routed(s, value, ctx)
    return s, prompt(s, ctx)


def _route(s: State, ctx: Context) -> tuple[State, Reply]:
    """Routing by caller type once the profile is done (crisis never gets here)."""
    if not is_child(s):
        s.step = "service"
        return s, prompt(s, ctx)
    if ctx.on_duty:
        s.step = "route"
        return s, prompt(s, ctx)
    reply = Reply()
    reply.messages.append(
        Msg(
            t.NOBODY_CHILD[0],
            plural=t.NOBODY_CHILD[1],
            n=ctx.reply_within_hours,
            args=(("n", ctx.reply_within_hours),),
        )
    )
    _add_tips(s, reply, ctx)
    _record_intake(s, reply, outcome="referred")
    s.step = "message"
    return s, reply


def _offer_adult(s: State, ctx: Context) -> tuple[State, Reply]:
    if ctx.on_duty:
        s.step = "route"
        return s, prompt(s, ctx)
    reply = Reply().say(t.NOBODY_ADULT)
    reply.messages += referrals.messages(ctx.directory, s.category, s.region, s.language)
    return callback.start(s, ctx, reply)


def _routed(s: State, route: str, ctx: Context) -> tuple[State, Reply]:
    if route == "callback":
        return callback.start(s, ctx, Reply())
    reply = Reply()
    _record_intake(s, reply, outcome=None)
    if route == "message":
        s.step = "message"
        return s, prompt(s, ctx, reply)
    # talk (child) or chat (adult): a person joins this conversation
    reply.say(t.TALK_SOON)
    reply.actions.append(Escalate(_at_least_urgent(s.urgency), "talk_now", s.category or "other"))
    s.step, s.case_open = "message", True
    return s, reply


def _add_tips(s: State, reply: Reply, ctx: Context) -> None:
    """Self-help for the topic, then where else to turn for this topic and region."""
    reply.say(t.TIPS_HEADER)
    reply.say(menus.TIPS.get(s.category or "other", t.TIP_GENERAL))
    found = referrals.messages(ctx.directory, s.category, s.region, s.language)
    if found:
        reply.messages += found
    else:
        reply.say(t.LINES_24_7)


def _record_intake(s: State, reply: Reply, outcome: str | None) -> None:
    if not s.intake_recorded:
        reply.actions.append(RecordIntake(outcome=outcome))
        s.intake_recorded = True
    if s.urgency == "urgent" and not s.case_open:
        reply.actions.append(Escalate("urgent", "urgent", s.category or "other"))
        s.case_open = True


def _at_least_urgent(urgency: str) -> str:
    return "crisis" if urgency == "crisis" else "urgent"


# --- crisis, bad input, commands --------------------------------------------------------------


def _crisis(
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
    reply.say(t.CRISIS_MESSAGE_RECEIVED if already else t.SAFETY)
    if not already and not ctx.on_duty:
        reply.say(t.NOBODY_ON_DUTY_CRISIS)
    if not s.intake_recorded:
        reply.actions.append(RecordIntake(outcome=None))
        s.intake_recorded = True
    reply.actions.append(Escalate("crisis", reason, s.category, tuple(signals), text))
    s.step, s.case_open = "crisis", True
    return s, reply


def _help_now(s: State, ctx: Context) -> tuple[State, Reply]:
    """'I need help now' (the button, 0 or SOS): a crisis without typing a word."""
    category = s.category or "other"
    return _crisis(s, ctx, reason="help_now", signals=("help_now",), category=category, text="")


def _miss(s: State, ctx: Context, msg: Msg) -> tuple[State, Reply]:
    """An answer we cannot use: say so kindly, keep the step; the second time, hand over."""
    s.misses += 1
    reply = Reply()
    if s.misses >= 2:
        s.misses = 0
        if ctx.on_duty:
            reply.say(t.HANDOFF)
            reply.actions.append(Escalate("urgent", "stuck", s.category or "other"))
            s.case_open = True
        else:
            reply.say(t.HANDOFF_NOBODY)
    else:
        reply.messages.append(msg)
    if s.step == "new":
        s.step = "caller"
    reply.choices = choices_for(s)
    return s, reply


def _greet(s: State, ctx: Context) -> tuple[State, Reply]:
    s.step = "caller"
    return s, prompt(s, ctx, Reply().say(t.GREETING))


def _first_visit_look(s: State, ctx: Context) -> tuple[State, Reply]:
    """/start after /clear: whoever holds the phone sees what a first visit shows. With no case
    in progress the conversation really starts afresh; with one, the case stays connected
    underneath (what the child writes next still reaches the person), only the look is new."""
    fresh = start_state(s.language, s.language_source)
    fresh.cleared = True  # still quiet until the child writes again
    if not s.case_open:
        return _greet(fresh, ctx)
    fresh.step = "caller"
    return s, prompt(fresh, ctx, Reply().say(t.GREETING))


def _command(s: State, command: str, arg: str, ctx: Context) -> tuple[State, Reply]:
    s.lang_menu = False
    if command == "start":
        if s.cleared:
            return _first_visit_look(s, ctx)
        if s.source is None:
            s.source = source_slug(arg or "")
        if s.step == "new":
            return _greet(s, ctx)
        return s, resume(s, ctx)
    if command == "help":
        return s, prompt(s, ctx, Reply().say(t.HELP))
    if command == "lang":
        s.lang_menu = True
        return s, prompt(s, ctx)
    if command == "new" and s.case_open:  # a person has the case: stay connected to them
        key = t.NEW_IN_CASE_CHILD if is_child(s) else t.NEW_IN_CASE_ADULT
        return s, prompt(s, ctx, Reply().say(key))
    if command == "new":
        fresh = start_state(s.language, s.language_source)
        fresh.source, fresh.step = s.source, "caller"
        for name in _KEPT_BY_NEW:
            setattr(fresh, name, getattr(s, name))
        return fresh, prompt(fresh, ctx, Reply().say(t.STARTING_OVER))
    if command == "forget":
        fresh = start_state(s.language, s.language_source)
        return fresh, Reply(actions=[Forget()]).say(t.FORGOTTEN)
    if command == "privacy":
        return s, prompt(s, ctx, Reply().say(t.PRIVACY))
    if command == "stop":
        return s, Reply(actions=[StopMessages()]).say(t.STOPPED)
    if command == "clear":
        s.cleared = True
        return s, Reply(actions=[ClearChat()])
    if command == "cancel":  # the call only; a triage under way goes on where it was
        s, reply = callback.cancel(s)
        return s, reply if s.step == "done" else prompt(s, ctx, reply)
    reply = Reply().say(t.UNKNOWN_COMMAND)
    reply.choices = choices_for(s)
    return s, reply
