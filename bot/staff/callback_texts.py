"""Texts the staff see about callbacks and referrals, in the staff language."""

from __future__ import annotations

from bot.dialogs.texts import N_

CB_TITLE = N_("📞 Callback #{number} · {specialist}")
CB_DUE_TITLE = N_("⏰ Due now: callback #{number} · {specialist}")
CB_WHEN = N_("When: {slot} · Language: {language}")
CB_WHO = N_("Topic: {category} · Caller: {caller} · Age: {age} · Region: {region}")
CB_CHANNEL = N_("Channel: {channel}")
CB_PENDING = N_("Status: waiting for someone to take it")
CB_TAKEN_BY = N_("Status: taken by {alias}")
CB_NO_ANSWERS = N_("Calls not answered: {n}")
CB_WAITING = N_("Status: not answered twice; the parent was asked to choose another time")
CB_DONE = N_("Status: called ✓")
CB_CANCELLED = N_("Status: cancelled")
CB_NUMBER_HIDDEN = N_("The number is shown only to the person who takes the callback.")

BUTTON_TAKE = N_("Take")
BUTTON_CALLED = N_("Called")
BUTTON_NO_ANSWER = N_("No answer")
BUTTON_RESCHEDULE = N_("Reschedule")
BUTTON_CANCEL = N_("Cancel")
BUTTON_NUMBER = N_("Show number")

CB_NUMBER = N_(
    "Callback #{number}: {phone}\n{specialist}, {slot}, {language}.\n"
    "After the call, press Called or No answer on the card."
)
CB_NUMBER_SENT = N_("The number is in your private chat with the bot.")
CB_NUMBER_ALERT = N_(
    "Callback #{number}: {phone}. Open a private chat with the bot and press Start to get "
    "numbers there."
)
CB_TAKEN = N_("Callback #{number} is already taken by {alias}.")
CB_NOT_OPEN = N_("Callback #{number} is closed.")
CB_TAKE_FIRST = N_("Take callback #{number} first.")
CB_NO_SUCH = N_("There is no callback #{number}.")
CB_WAITING_PARENT = N_("Callback #{number} is waiting for the parent to choose a new time.")
CB_SLOT_GONE = N_("That time has passed; choose another one.")
CB_CHOOSE_SLOT = N_("Callback #{number}: choose the new time.")
CB_NO_SLOTS = N_("There are no free times in the callback schedule.")
CB_NOTE = N_("Callback #{number}, the parent writes:")
CB_PARENT_CANCELLED = N_("Callback #{number}: the parent cancelled the call.")
CB_PARENT_CHANGED = N_("Callback #{number}: the parent changed the request (see the card).")
CB_LIST_LINE = N_("#{number} · {slot} · {specialist} · {language} · {status}")
CB_LIST_NONE = N_("No callbacks for today and none overdue.")
CB_COORDINATOR = N_("⚠️ Callback #{number} is due now ({slot}) and nobody is on duty.")

REFER_USAGE = N_(
    "Use /refer N to see the directory entries for case N, and /refer N ID to send one to "
    "the person."
)
REFER_LIST = N_("Directory entries for case #{number} (send with /refer {number} ID):")
REFER_NONE = N_("No directory entries match case #{number}.")
REFER_NO_ENTRY = N_("There is no directory entry {entry}.")
REFER_SENT = N_("Sent to case #{number}.")
