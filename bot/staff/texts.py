"""Texts the staff see (cards, buttons, commands), in the staff language."""

from __future__ import annotations

from bot.dialogs.texts import N_, NP_

CARD_TITLE = N_("Case #{number} · {urgency}")
URGENCY_CRISIS = N_("CRISIS")
URGENCY_URGENT = N_("urgent")
URGENCY_ROUTINE = N_("routine")
URGENCY_POSSIBLE_RISK = N_("urgent · possible risk")
CARD_CATEGORY = N_("Topic: {category}")
CARD_SIGNALS = N_("Signals: {signals}")
CARD_WHO = N_("Language: {language} · Caller: {caller} · Age: {age} · Region: {region}")
CARD_CHANNEL = N_("Channel: {channel} · Reason: {reason}")
CARD_WAITING = NP_("Waiting: {n} minute", "Waiting: {n} minutes")
CARD_STATUS_OPEN = N_("Status: waiting for someone to claim")
CARD_STATUS_CLAIMED = N_("Status: claimed by {alias}")
CARD_STATUS_CLOSED = N_("Status: closed · {outcome}")
CARD_OPTED_OUT = N_("Opted out (STOP): nothing we send reaches the person until they send START.")
CARD_BAD_ADDRESS = N_("Undeliverable: the number cannot receive SMS (invalid or not a mobile).")
CARD_RELAY_FAILED = N_(
    "A reply to the person was not delivered (the operator reported a failure)."
)
CARD_MESSAGES = N_("Recent messages (masked):")
CARD_NO_MESSAGES = N_("No messages yet.")
CARD_CUT_MESSAGES = NP_(
    "{n} earlier message is not shown (the card has room for 4,096 characters).",
    "{n} earlier messages are not shown (the card has room for 4,096 characters).",
)
CARD_CUT_CHARS = NP_("… ({n} more character not shown)", "… ({n} more characters not shown)")
UNKNOWN = N_("not given")
STAFF_ALIAS = N_("Counsellor {number}")

BUTTON_CLAIM = N_("Claim")
BUTTON_RELEASE = N_("Release")
BUTTON_CLOSE = N_("Close")
BUTTON_NEXT = N_("Next")
BUTTON_DONE = N_("Done")
BUTTON_SKIP = N_("Skip")

FORM_CATEGORIES = N_("Close case #{number}: choose the final topics, then Next.")
FORM_SERVICE = N_("Close case #{number}: which help was given?")
FORM_OUTCOME = N_("Close case #{number}: what was the outcome?")
FORM_PROFILE = N_("Close case #{number}: {field}? (optional)")

SERVICE_PSYCHOLOGICAL = N_("psychological")
SERVICE_LEGAL = N_("legal")
SERVICE_SOCIAL = N_("social")
OUTCOME_CONSULTED = N_("consulted")
OUTCOME_REFERRED = N_("referred")
OUTCOME_CALLBACK = N_("callback scheduled")
OUTCOME_EMERGENCY = N_("emergency services informed")
OUTCOME_NO_CONTACT = N_("no contact")

FIELD_CITIZENSHIP = N_("Citizenship")
FIELD_LIVING = N_("Living situation")
FIELD_FAMILY = N_("Family status")
CITIZEN_KZ = N_("citizen of Kazakhstan")
CITIZEN_FOREIGN = N_("foreign citizen")
CITIZEN_NONE = N_("stateless")
LIVING_BOTH = N_("with both parents")
LIVING_ONE = N_("with one parent")
LIVING_RELATIVES = N_("with relatives or guardians")
LIVING_INSTITUTION = N_("in an institution")
LIVING_STREET = N_("on the street")
FAMILY_FULL = N_("two-parent family")
FAMILY_SINGLE = N_("single-parent family")
FAMILY_LARGE = N_("large family")
FAMILY_LOW_INCOME = N_("low-income family")

TAKEN = N_("Case #{number} is already claimed by {alias}.")
NOT_OPEN = N_("Case #{number} is closed.")
NOT_YOURS = N_("Case #{number} is claimed by {alias}; only they can do that.")
NO_SUCH_CASE = N_("There is no case #{number}.")
PERSON_QUIET = N_(
    "Not sent: the person of case #{number} asked us not to write (/stop or /clear) until they "
    "write again."
)
CLAIM_FIRST = N_("Claim the case first, then your replies go to the person.")
RELAYED = N_("Sent.")
REMOVED_AFTER_RETENTION = N_("Case #{number}: removed after the retention period.")
REALERT = N_("⏰ Case #{number} is still waiting for someone to claim it.")
COORDINATOR_ALERT = N_("⚠️ Case #{number} ({urgency}) is waiting and nobody has claimed it.")
COORDINATOR_NOBODY = N_("⚠️ Case #{number} ({urgency}) arrived and nobody is on duty.")
FROM_USER = N_("Case #{number}, the person writes:")
DUTY_ON = N_("{alias} is on duty now.")
DUTY_OFF = N_("{alias} is off duty now.")
DUTY_USAGE = N_("Use /duty on or /duty off.")
WHO_NOBODY = N_("Nobody is on duty.")
WHO_LIST = N_("On duty: {aliases}")
CASES_NONE = N_("No open cases.")
CASES_PAGE = N_("Page {page} of {pages}.")
CASE_LINE = N_("#{number} · {urgency} · {category} · {status}")
CASE_USAGE = N_("Use /case N or /close N with a case number.")
