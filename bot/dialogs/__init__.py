"""The triage dialog: pure, channel-agnostic (SPEC section 3)."""

from bot.dialogs.model import Context, Event, Msg, Reply, State
from bot.dialogs.prompts import choices_for, numbered
from bot.dialogs.triage import COMMANDS, resume, start_state, step

__all__ = [
    "COMMANDS",
    "Context",
    "Event",
    "Msg",
    "Reply",
    "State",
    "choices_for",
    "numbered",
    "resume",
    "start_state",
    "step",
]
