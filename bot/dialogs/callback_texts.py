"""Texts of the callback steps and of referrals (adults are addressed formally: вы / сіз)."""

from __future__ import annotations

from bot.dialogs.texts import N_

ASK_SLOT = N_("When is a good time to call you?")
SLOT_PAST = N_("That time has already passed. Please choose another one.")
NO_SLOTS = N_(
    "We cannot offer a time for a call right now. Please call 111 or 150: "
    "they answer day and night, for free."
)
ASK_CALL_LANGUAGE = N_("In which language would you like to talk?")
USE_THIS_NUMBER = N_("This number: {number}")
READBACK = N_(
    "Please check. {specialist} will call you on {number}, {slot}, {language}. Is that right?"
)
IN_KAZAKH = N_("in Kazakh")
IN_RUSSIAN = N_("in Russian")
IN_ENGLISH = N_("in English")
CONFIRM = N_("Yes, confirm")
CHANGE = N_("Change")
CANCEL_CALL = N_("Cancel the call")
ASK_CHANGE = N_("What would you like to change?")
CHANGE_TIME = N_("The time")
CHANGE_LANGUAGE = N_("The language")
CHANGE_NUMBER = N_("The number")
CONFIRMED = N_("Thank you, your request has been passed to our specialists.")
REMINDER_PROMISE = N_("We will remind you here shortly before the call.")
NUMBER_KEPT = N_(
    "We keep your number only until the call. To change or cancel the call, use the buttons "
    "or send /cancel."
)
PENDING = N_("Your call: {specialist}, {slot}, {language}. You can change or cancel it.")
ALREADY_PENDING = N_(
    "You already have a call booked: {slot}. You can change it or cancel it; "
    "a second request is not needed."
)
NOTE_PASSED = N_("Thank you. We have passed this on to the specialist who will call you.")
CANCELLED = N_(
    "Your call is cancelled and your number is deleted. You can write to us again at any time."
)
NOTHING_TO_CANCEL = N_("You have no call booked, so there is nothing to cancel.")
MOVED = N_(
    "Our specialist has had to move your call: {specialist} will call you {slot}. "
    "If this time does not suit you, you can change or cancel it."
)
CANCELLED_BY_STAFF = N_(
    "We are sorry: we have had to cancel your call, and your number is deleted. "
    "To request a new call, send /new."
)
NO_ANSWER_TWICE = N_(
    "We tried to call you twice but could not get through. Please choose another time for "
    "the call:"
)
REMINDER = N_(
    "A reminder: {specialist} will call you {slot}, {language}. Please keep your phone nearby."
)

REFERRALS_HEADER = N_("Where else you can get help:")
REFERRAL_PHONE_HOURS = N_("{name}: {phone}, {hours}. {helps}.")
REFERRAL_PHONE = N_("{name}: {phone}. {helps}.")
REFERRAL_NO_PHONE = N_("{name}. {helps}.")
HOURS_24_7 = N_("day and night")
HOURS_DAILY = N_("{start}–{end}")
HOURS_DAYS = N_("{first}–{last}, {start}–{end}")
