"""User-facing texts of the Telegram channel itself (the dialog's own texts are elsewhere).

Marked with `N_` for `make extract`; translated at send time in the conversation's language.
"""

from __future__ import annotations

from bot.dialogs.texts import N_

SLOW_DOWN = N_(
    "You are writing very fast, so I need a short break. Please wait a minute and write again. "
    "If you are in danger, call 112."
)
ERROR_APOLOGY = N_(
    "Sorry, something went wrong on our side. Please try again in a minute.\n"
    "If you are in danger, call 112. Free help day and night: 150, 111."
)
EDITED = N_(
    "I see you changed a message. I read only new messages, so please send it again "
    "as a new message."
)

# Descriptions in the command menu (setMyCommands), one per command.
CMD_START = N_("Start talking")
CMD_HELP = N_("What I can do")
CMD_LANG = N_("Change language")
CMD_NEW = N_("Start again")
CMD_FORGET = N_("Delete everything about me")
CMD_CLEAR = N_("Delete our messages from this chat")
CMD_PRIVACY = N_("What we keep")
CMD_STOP = N_("Do not write to me")
CMD_CANCEL = N_("Cancel a call I asked for")

COMMAND_DESCRIPTIONS: dict[str, str] = {
    "start": CMD_START,
    "help": CMD_HELP,
    "lang": CMD_LANG,
    "new": CMD_NEW,
    "forget": CMD_FORGET,
    "clear": CMD_CLEAR,
    "privacy": CMD_PRIVACY,
    "stop": CMD_STOP,
    "cancel": CMD_CANCEL,
}
