"""The triage dialog as a pure function: `step(state, event, ctx) -> (state, reply)`.

SPEC section 3. A crisis found by the classifier interrupts any step; every menu carries
"I need help now"; an answer the dialog cannot use twice in a row is passed to a person (or,
with nobody on duty, to the 24/7 numbers) instead of being asked for a third time.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.classify.types import Classification
from bot.dialogs import callback, menus, referrals
from bot.dialogs import texts as t
from bot.dialogs.escalation import at_least_urgent, crisis, help_now, miss, record_intake
from bot.dialogs.model import (
    ClearChat,
    ConfirmCallback,
    Context,
    Escalate,
    Event,
    Forget,
    Msg,
    Reply,
    State,
    StopMessages,
)
from bot.dialogs.prompts import HELP_NOW, choices_for, is_child, numbered, prompt, within
from bot.dialogs.register import speak
from bot.dialogs.tips import TIP_OTHER, TIPS
from bot.dialogs.words import is_help, is_thanks, match_option, option_phrases

MAX_TEXT = 4096  # Telegram's own limit for one message
COMMANDS = ("start", "help", "lang", "new", "forget", "privacy", "stop", "clear", "cancel")
LONG_MESSAGE_WORDS = 5  # a shorter message never switches the dialog's language
# What /new keeps: a booked call stays booked until it is made or cancelled.
_KEPT_BY_NEW = (
    "callback_pending",
    "callback_slot",
    "callback_language",
    "slots_day",
    "phone_masked",
    "service",
)
_SOURCE_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_HAS_WORD_RE = re.compile(r"[^\W\d_]{2,}")
_KAZAKH_LETTER = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_WORD_RE = re.compile(r"[^\W\d_]+")


def start_state(language: str = "ru", language_source: str = "default") -> State:
    return State(language=language, language_source=language_source)  # type: ignore[arg-type]


def step(state: State, event: Event, ctx: Context) -> tuple[State, Reply]:
    s = replace(state, signals=list(state.signals), categories=list(state.categories))
    s.guesses, s.offered_slots = list(state.guesses), list(state.offered_slots)
    s, reply = _dispatch(s, event, ctx)
    if s.step in callback.STEPS:  # every menu carries "I need help now"
        reply.choices = choices_for(s)
    _greet_again(s, reply)
    return s, speak(s, reply)


def _dispatch(s: State, event: Event, ctx: Context) -> tuple[State, Reply]:
    if event.kind in ("command", "start"):
        return _command(s, event.command or "start", event.arg, ctx)
    if event.kind == "unsupported":
        return miss(s, ctx, Msg(t.UNSUPPORTED))
    if event.kind == "choice":
        return _choice(s, event.choice, ctx)
    if event.kind == "system":
        return _system(s, event.command, event.arg, ctx)
    return _text(s, event, ctx)


def _system(s: State, what: str, arg: str, ctx: Context) -> tuple[State, Reply]:
    """Events from the staff side, told to the user in their language."""
    if what.startswith("callback_"):
        return callback.system(s, what, arg, ctx)
    if what == "staff_joined":  # from now on everything the user writes goes to the person
        if s.step != "crisis":
            s.step = "message"
        s.case_open = s.staff_here = True
        return s, Reply().say(t.STAFF_JOINED)
    if what == "case_closed":
        s.step, s.case_open, s.staff_here = "done", False, False
        return s, Reply().say(t.CASE_CLOSED)
    raise ValueError(f"unknown system event {what!r}")


def resume(state: State, ctx: Context) -> Reply:
    """What to show when a conversation is picked up again (a restart, /start)."""
    return speak(state, prompt(state, ctx, Reply().say(t.WELCOME_BACK)))


def _greet_again(s: State, reply: Reply) -> None:
    """The greeting (anonymous, free, /forget, 112) is read in the language the user now
    speaks: repeat it when the language changed before the conversation really began."""
    if s.greeted is None or s.greeted == s.language or s.caller is not None:
        return
    if s.step != "caller" or s.lang_menu:
        return
    keys = [m.key for m in reply.messages]
    at = keys.index(t.LANGUAGE_SET) + 1 if t.LANGUAGE_SET in keys else 0
    reply.messages.insert(at, Msg(t.GREETING))
    s.greeted = s.language


# --- free text -------------------------------------------------------------------------------


def _text(s: State, event: Event, ctx: Context) -> tuple[State, Reply]:
    text = event.text.strip()
    cls = event.classification
    if cls is not None:
        _adopt_language(s, cls, text)
    if cls is not None and cls.is_crisis:
        return crisis(
            s, ctx, reason="crisis", signals=cls.signals, category=cls.category, text=text
        )
    if not text:
        return miss(s, ctx, Msg(t.EMPTY))
    if len(text) > MAX_TEXT:  # read for crisis above (in full); now ask for shorter parts
        return miss(s, ctx, Msg(t.TOO_LONG))
    if is_help(text) and s.step != "crisis":  # also after the triage ended
        return help_now(s, ctx)
    if s.step == "new":
        return _greet(s, ctx)
    if s.lang_menu:  # the language menu (/lang) sits on top of any step, free-text ones too
        free = s.step in ("message", "crisis", "callback_phone", "callback_pending", "done")
        answer = _menu_answer(s, text, ctx, keep_going=free)
        if answer is not None:
            return answer
        s.lang_menu = False  # words in a free-text step are what they say, not a menu answer
    if s.step in ("callback_phone", "callback_pending"):
        handled = callback.on_text(s, text)
        if handled is not None:
            return handled
        if not (text.isdigit() and len(text) <= 3):  # a menu number goes on below
            return miss(s, ctx, Msg(t.BAD_PHONE))
    if s.step == "message" and is_thanks(text):
        return s, Reply().say(t.THANKS_WELCOME)
    if s.step in ("message", "crisis"):
        _note_urgent(s, cls)
        return _pass_on(s, text, ctx)
    if s.step == "done":
        s.misses = 0
        return s, Reply().say(t.AFTER_DONE)
    answer = _menu_answer(s, text, ctx, keep_going=True)
    if answer is not None:
        return answer
    if not _HAS_WORD_RE.search(text):
        return miss(s, ctx, Msg(t.NOT_WORDS if s.step == "topic" else t.CHOOSE_OPTION))
    if cls is not None and (s.step == "topic" or (s.step == "caller" and cls.category != "other")):
        return _topic_from_text(s, cls, ctx, text)
    if s.step == "caller" and s.misses == 0:  # "hi", "hello?": people greet first
        s.misses = 1  # ...once; a second answer we cannot use is handed over
        return s, prompt(s, ctx)
    return miss(s, ctx, Msg(t.CHOOSE_OPTION))


def _menu_answer(
    s: State, text: str, ctx: Context, keep_going: bool = False
) -> tuple[State, Reply] | None:
    """A menu number or an option's words; otherwise a miss (or None to go on reading)."""
    choices = choices_for(s)
    if text.isdigit() and len(text) <= 3:
        by_number = {n: c.id for n, c in numbered(choices)}
        if int(text) in by_number:
            return _choice(s, by_number[int(text)], ctx)
        return miss(s, ctx, Msg.of(t.WRONG_NUMBER, max=len(by_number) - 1))
    typed = _typed_option(s, text, ctx)
    if typed is not None:
        return _choice(s, typed, ctx)
    return None if keep_going else miss(s, ctx, Msg(t.CHOOSE_OPTION))


def _typed_option(s: State, text: str, ctx: Context) -> str | None:
    """The choice whose words were typed ("мама", "мен баламын", "Skip", "nет"), if any."""
    offered = [(c.id, c.label) for c in choices_for(s) if c.id != HELP_NOW]
    label = ctx.label or (lambda msg, _lang: msg.key)
    return match_option(text, option_phrases(offered, label, menus.OPTION_SYNONYMS))  # type: ignore[arg-type]


def _adopt_language(s: State, cls: Classification, text: str) -> None:
    """The language stays as chosen or first detected (SPEC section 3, issue 9).

    A user's own choice (/lang, the switcher) is never overridden. Before any language is
    established (no choice, no platform language, no earlier text), the first clear sign sets
    it: an identification the identifier is sure of, or Kazakh letters ("Сәлем"). After that
    only a longer message the identifier is sure of switches it: a few words ("они отбирают
    телефон") never do.
    """
    if s.language_source == "user" or cls.language == s.language:
        return
    if s.language_source == "default":  # nothing established yet: the first clear sign
        kazakh_letters = cls.language == "kk" and _KAZAKH_LETTER.search(text)
        if cls.extra.get("language_sure") or kazakh_letters:
            s.language, s.language_source = cls.language, "text"
        return
    if not cls.extra.get("language_sure") or len(_WORD_RE.findall(text)) < LONG_MESSAGE_WORDS:
        return
    s.language = cls.language
    s.language_source = "text"


def _topic_from_text(
    s: State, cls: Classification, ctx: Context, text: str
) -> tuple[State, Reply]:
    s.misses = 0
    if cls.urgency == "urgent":
        s.urgency = "urgent"
        s.signals = sorted(set(s.signals) | set(cls.signals))  # e.g. possible_risk, for staff
    reply = Reply()
    if cls.confident:
        s.category = cls.category
        s.categories = [cls.category]
        s.guesses = []
    else:
        s.guesses = [g for g in cls.best_guesses(3) if g != "other"]
    if is_child(s) and s.step == "topic":
        # The child's own words reach a counsellor now, whatever happens next in the triage.
        reply.say(t.THANKS_TOPIC_PASSED_CHILD)
        signals = tuple(s.signals)  # e.g. possible_risk: the card says so from the start
        reply.actions.append(Escalate(s.urgency, "message", s.category or "other", signals, text))
        s.told = s.case_open = True
    else:
        reply.say(t.THANKS_TOPIC)
    if s.step == "caller":  # the topic came first; ask who is writing, then go on
        return s, prompt(s, ctx, reply)
    return _after_topic(s, ctx, reply)


def _after_topic(s: State, ctx: Context, reply: Reply) -> tuple[State, Reply]:
    if s.category is None and s.guesses:
        s.step = "topic_confirm"
    elif s.category is None:
        s.step = "topic"
    else:
        _to_profile(s)
    return s, prompt(s, ctx, reply)


def _to_profile(s: State) -> None:
    """Once the topic is known: "are you safe right now?" first, for a child whose topic calls
    for it (SPEC section 3, step 4), then the short profile."""
    if is_child(s) and not s.safety_asked and (s.category or "other") in menus.SAFETY_TOPICS:
        s.step, s.safety_asked = "safety", True
    else:
        s.step = "age"


def _pass_on(s: State, text: str, ctx: Context) -> tuple[State, Reply]:
    """In a case (crisis, talk now, a left message) every message goes to the staff."""
    s.misses = 0
    urgency = "crisis" if s.step == "crisis" else s.urgency
    someone = ctx.on_duty or s.staff_here
    reply = Reply()
    if s.step == "crisis":
        reply.say(t.CRISIS_MESSAGE_RECEIVED if someone else t.CRISIS_MESSAGE_RECEIVED_NOBODY)
    elif someone:
        reply.say(t.MESSAGE_RECEIVED)
    else:
        reply.messages.append(Msg.of(t.MESSAGE_RECEIVED_LATER, within=within(ctx)))
    signals = tuple(s.signals)
    reply.actions.append(Escalate(urgency, "message", s.category or "other", signals, text))
    s.case_open = True
    return s, reply


def _note_urgent(s: State, cls: Classification | None) -> None:
    """An urgent reading later in a case (e.g. a possible risk) raises the case's urgency
    and tells the staff why."""
    if cls is not None and cls.urgency == "urgent":
        s.urgency = "urgent" if s.urgency == "routine" else s.urgency
        s.signals = sorted(set(s.signals) | set(cls.signals))


# --- choices ---------------------------------------------------------------------------------


def _choice(s: State, cid: str, ctx: Context) -> tuple[State, Reply]:
    if cid not in {c.id for c in choices_for(s)}:
        return s, prompt(s, ctx, Reply().say(t.OLD_BUTTON))
    s.misses = 0
    if cid == HELP_NOW:
        return help_now(s, ctx)
    kind, _, value = cid.partition(":")
    if kind == "safety":
        return _safety(s, value, ctx)
    if s.step in callback.STEPS and (kind in callback.KINDS or cid == "back"):
        s, reply = callback.back(s) if cid == "back" else callback.on_choice(s, kind, value, ctx)
        if any(isinstance(a, ConfirmCallback) for a in reply.actions):
            first = Reply()  # the intake record first, so the request can point at it
            record_intake(s, first, outcome="callback_scheduled")
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
        _to_profile(s)
    elif cid == "skip" and s.step == "safety":
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


def _safety(s: State, answer: str, ctx: Context) -> tuple[State, Reply]:
    """ "Are you safe right now?": either danger answer is a crisis, without typing a word."""
    if answer == "yes":
        s.step = "age"
        return s, prompt(s, ctx)
    signal = "safety_self_harm" if answer == "self_harm" else "safety_danger"
    category = "psychological" if answer == "self_harm" else (s.category or "other")
    return crisis(s, ctx, reason="safety", signals=(signal,), category=category, text="")


def _route(s: State, ctx: Context) -> tuple[State, Reply]:
    """Routing by caller type once the profile is done (crisis never gets here)."""
    if not is_child(s):
        s.step = "service"
        return s, prompt(s, ctx)
    if ctx.on_duty:
        s.step = "route"
        return s, prompt(s, ctx)
    reply = Reply()
    nobody = t.NOBODY_CHILD_TOLD if s.told else t.NOBODY_CHILD
    reply.messages.append(Msg.of(nobody, within=within(ctx)))
    _add_tips(s, reply, ctx)
    record_intake(s, reply, outcome="referred")
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
    record_intake(s, reply, outcome=None)
    if route == "message":
        s.step = "message"
        return s, prompt(s, ctx, reply)
    # talk (child) or chat (adult): a person joins this conversation
    reply.say(t.TALK_SOON)
    reply.actions.append(
        Escalate(at_least_urgent(s.urgency), "talk_now", s.category or "other", tuple(s.signals))
    )
    s.step, s.case_open = "message", True
    return s, reply


def _add_tips(s: State, reply: Reply, ctx: Context) -> None:
    """Self-help for the topic, then where else to turn for this topic and region."""
    reply.say(t.TIPS_HEADER_CHILD)
    reply.say(TIPS.get(s.category or "other", TIP_OTHER))
    found = referrals.messages(ctx.directory, s.category, s.region, s.language)
    if found:
        reply.messages += found
    else:
        reply.say(t.LINES_24_7)


def _greet(s: State, ctx: Context) -> tuple[State, Reply]:
    s.step, s.greeted = "caller", s.language
    return s, prompt(s, ctx, Reply().say(t.GREETING))


def _command(s: State, command: str, arg: str, ctx: Context) -> tuple[State, Reply]:
    s.lang_menu = False
    if command == "start":
        if s.source is None and _SOURCE_RE.match(arg or ""):
            s.source = arg
        if s.step == "new":
            return _greet(s, ctx)
        return s, resume(s, ctx)
    if command == "help":
        return s, prompt(s, ctx, Reply().say(t.HELP))
    if command == "lang":
        s.lang_menu = True
        return s, prompt(s, ctx)
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
        return s, Reply(actions=[ClearChat()])
    if command == "cancel":  # the call only; a triage under way goes on where it was
        s, reply = callback.cancel(s)
        return s, reply if s.step == "done" else prompt(s, ctx, reply)
    reply = Reply().say(t.UNKNOWN_COMMAND)
    reply.choices = choices_for(s)
    return s, reply
