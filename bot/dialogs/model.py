"""Data that goes in and out of the triage dialog: events, state, replies, actions.

The dialog never performs I/O. A reply is plain data (message keys with arguments, choices
with stable ids, actions) that each channel renders in its own way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal

from bot.classify.types import Classification, Language

if TYPE_CHECKING:  # data the host passes in; the dialog only reads it
    from bot.dialogs.slots import Schedule
    from bot.directory import Directory

EventKind = Literal["start", "text", "choice", "command", "unsupported", "system"]


@dataclass(frozen=True, slots=True)
class Event:
    """One thing the user did. Channels build these; the turn service adds the classification."""

    kind: EventKind
    text: str = ""
    choice: str = ""
    command: str = ""
    arg: str = ""
    classification: Classification | None = None


@dataclass(frozen=True, slots=True)
class Context:
    """Facts about the world the host passes in, so the dialog stays a pure function."""

    channel: str = "console"
    on_duty: bool = False
    reply_within_hours: int = 12
    # How a choice label reads in a language, so that typing an option's words chooses it.
    # The host passes the catalogs' renderer; without one only the English text is known.
    label: Callable[[Msg, str], str] | None = None
    now: dt.datetime = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # the host's clock, aware
    schedule: Schedule | None = None  # callback hours; None: the defaults
    directory: Directory | None = None  # referral entries offered; None: none
    sender_phone_masked: str | None = None  # SMS: the sender's number, masked, to confirm


@dataclass(frozen=True, slots=True)
class Msg:
    """A user-facing text: a gettext message id plus format arguments.

    `literal` marks text that is the same in every language (language autonyms, age bands).
    `plural`/`n` select an ngettext form. `context` picks a gettext context (msgctxt): the
    child's register of the same message id (see bot/dialogs/register.py).
    """

    key: str
    args: tuple[tuple[str, Any], ...] = ()
    plural: str | None = None
    n: int | None = None
    literal: bool = False
    context: str | None = None

    @classmethod
    def of(cls, key: str, **args: Any) -> Msg:
        return cls(key, tuple(sorted(args.items())))


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    label: Msg


# Actions: effects the host must carry out after persisting the new state.
@dataclass(frozen=True, slots=True)
class Escalate:
    urgency: str
    reason: str  # crisis | help_now | safety | talk_now | urgent | message | stuck
    category: str
    signals: tuple[str, ...] = ()
    text: str = ""  # the user's message; the host masks it before storing


@dataclass(frozen=True, slots=True)
class RecordIntake:
    outcome: str | None = None


@dataclass(frozen=True, slots=True)
class StoreCallbackPhone:
    """The number to call, E.164; the host encrypts it into the callback row at once.
    Empty: the sender's own number (SMS), which the host knows and the dialog does not."""

    phone: str


@dataclass(frozen=True, slots=True)
class ConfirmCallback:
    """The parent confirmed the read-back: the request (or its change) goes to the staff."""

    slot: str
    language: str
    service: str


@dataclass(frozen=True, slots=True)
class CancelCallback:
    pass


@dataclass(frozen=True, slots=True)
class CallbackNote:
    """A message written while a callback is pending: passed to the staff with the request."""

    text: str


@dataclass(frozen=True, slots=True)
class Forget:
    pass


@dataclass(frozen=True, slots=True)
class ClearChat:
    pass


@dataclass(frozen=True, slots=True)
class StopMessages:
    pass


Action = (
    Escalate
    | RecordIntake
    | StoreCallbackPhone
    | ConfirmCallback
    | CancelCallback
    | CallbackNote
    | Forget
    | ClearChat
    | StopMessages
)


@dataclass(slots=True)
class Reply:
    messages: list[Msg] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)

    def say(self, key: str, **args: Any) -> Reply:
        self.messages.append(Msg.of(key, **args))
        return self


Step = Literal[
    "new",
    "caller",
    "topic",
    "topic_group",
    "topic_confirm",
    "safety",
    "age",
    "gender",
    "region",
    "service",
    "route",
    "callback_slot",
    "callback_language",
    "callback_phone",
    "callback_confirm",
    "callback_change",
    "callback_pending",
    "message",
    "done",
    "crisis",
]


@dataclass(slots=True)
class State:
    """Everything the dialog remembers between turns. Never holds message text or identifiers."""

    step: Step = "new"
    language: Language = "ru"
    language_source: str = "default"  # default | platform | text | user
    source: str | None = None  # outreach source from a start parameter
    caller: str | None = None
    category: str | None = None
    categories: list[str] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)
    topic_group: str | None = None
    urgency: str = "routine"
    signals: list[str] = field(default_factory=list)
    age_band: str | None = None
    gender: str | None = None
    region: str | None = None
    service: str | None = None
    callback_slot: str | None = None  # slot id, helpline time (bot/dialogs/slots.py)
    callback_language: str | None = None
    offered_slots: list[str] = field(default_factory=list)
    slots_day: str | None = None  # the helpline's date when the slots were offered (labels)
    phone_masked: str | None = None  # "+7 701 *** ** 67", for the read-back only
    sender_masked: str | None = None  # SMS: the sender's number, masked, offered to confirm
    callback_pending: bool = False  # a confirmed request waits for its call
    callback_editing: bool = False  # one detail is being changed: back to the read-back after
    lang_menu: bool = False
    misses: int = 0  # unusable answers in a row at this step
    safety_asked: bool = False  # "are you safe right now?" is asked once
    told: bool = False  # the child's own words about the problem were passed on
    greeted: str | None = None  # the language the greeting was shown in
    staff_here: bool = False  # a person from the team claimed the case and is in the chat
    intake_recorded: bool = False
    case_open: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> State:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if values.get("step") == "callback_window":  # saved before slots replaced windows
            values["step"] = "callback_slot"
        return cls(**values)
