"""The SMS wording: a short variant of each dialog text, SMS-only texts, segment budgets.

Kazakh and Russian go as UCS-2 (70 characters in one segment, 67 a part), so every text a
child gets by SMS is written again, short. Short variants are keyed by the dialog's text
constants (not copied wording), so a dialog text that is reworded keeps its SMS variant; a
dialog text with no variant here is sent whole, and `tests/sms/test_budgets.py` fails when
that costs more segments than its budget. Keywords are written in the reader's language
(СТОП / ТОҚТАТ, УДАЛИТЬ / ӨШІР): the translations name them.
"""

from __future__ import annotations

from bot.channels import texts as ct
from bot.dialogs import menus
from bot.dialogs import texts as t
from bot.dialogs.texts import N_, NP_

# --- texts only SMS has -----------------------------------------------------------------------
STOPPED = N_("OK, no more messages from us. Send START to get them again.")
CLEAR = N_("We cannot delete SMS on your phone: delete them in your messages app.")
MORE = N_("+ more")
SOS = N_("SOS")

# --- short variants of dialog texts (plural texts map to a (singular, plural) pair) ----------
SHORT: dict[str, str | tuple[str, str]] = {
    t.GREETING: N_(
        "Children's helpline: free and anonymous, no name needed. FORGET deletes all. Danger: 112."
    ),
    t.WELCOME_BACK: N_("Welcome back! Let's go on."),
    t.ASK_TOPIC_CHILD: N_("What is happening? Write a few words or send a number."),
    t.ASK_TOPIC_ADULT: N_("What is happening with the child? Write or send a number."),
    t.CONFIRM_TOPIC: N_("Did I get it right? Send a number."),
    t.ASK_AGE_CHILD: N_("How old are you?"),
    t.ASK_AGE_ADULT: N_("How old is the child?"),
    t.ASK_GENDER_CHILD: N_("Girl or boy?"),
    t.ASK_GENDER_ADULT: N_("Is the child a girl or a boy?"),
    t.ASK_REGION: N_("Which region?"),
    t.ASK_SERVICE: N_("Who can help best?"),
    t.OFFER_TALK_CHILD: N_("A counsellor can talk with you now. Want to?"),
    t.OFFER_TALK_ADULT: N_("A specialist is on shift. Chat now or call back?"),
    t.TALK_SOON: N_("A counsellor will write to you here soon."),
    t.NOBODY_CHILD[0]: NP_(
        "Nobody is on shift now. Write here; we answer within {n} hour.",
        "Nobody is on shift now. Write here; we answer within {n} hours.",
    ),
    t.NOBODY_ADULT: N_("Nobody is on shift now, but we can call you back."),
    t.ASK_WINDOW: N_("When shall we call?"),
    t.ASK_PHONE: N_("Which number shall we call? Like +77012345678"),
    t.BAD_PHONE: N_("That is not a phone number. Like this: +77012345678"),
    t.CALLBACK_DONE: N_(
        "Thank you. We will call then, and delete the number after. FORGET cancels."
    ),
    t.MESSAGE_RECEIVED: N_("Got it. A counsellor will answer here."),
    t.AFTER_DONE: N_("Saved. NEW starts again, 0 calls a person."),
    t.TIP_PSYCHOLOGICAL: N_("Breathe slowly, in 4, out 6. Tell someone you trust how you feel."),
    t.TIP_BULLYING: N_("It is not your fault. Keep screenshots, tell a teacher or parent."),
    t.TIP_FAMILY: N_("Hard at home? Talk to an adult you trust."),
    t.TIP_ABUSE: N_("If someone hurts you, it is not your fault. Danger: 112."),
    t.TIP_RIGHTS: N_("Keep copies of documents and write down dates."),
    t.TIP_GENERAL: N_("Good that you wrote. Take care of yourself."),
    t.LINES_24_7: N_("Free, day and night: 150, 111."),
    t.SAFETY: N_("Danger: 112. Police 102. Ambulance 103. Free, day and night: 150, 111."),
    t.NOBODY_ON_DUTY_CRISIS: N_(
        "Honestly: nobody is on shift now. 150 and 111 answer day and night, free. "
        "We write here when someone comes."
    ),
    t.CRISIS_MESSAGE_RECEIVED: N_("Passed on. A person will answer here. Danger: 112."),
    t.HELP: N_(
        "Helpline bot. 0: a person now. NEW: start again. FORGET: delete all. "
        "STOP: no messages. Danger: 112. Day and night: 150, 111."
    ),
    t.PRIVACY: N_(
        "We never ask your name; staff never see your number. A callback number is deleted "
        "after the call. FORGET deletes all."
    ),
    t.FORGOTTEN: N_("Done: everything about you is deleted. Write any time."),
    t.STOPPED: STOPPED,
    t.UNKNOWN_COMMAND: N_("Unknown command. HELP: what I can do."),
    t.TOO_LONG: N_("Too long for me. Please send shorter parts."),
    t.NOT_WORDS: N_("Please write in words, or send a number."),
    t.CHOOSE_OPTION: N_("Please send a number from the list."),
    t.HANDOFF: N_("Sorry, I don't understand. I am passing this to a person."),
    t.HANDOFF_NOBODY: N_("Sorry, I don't understand. Help day and night: 150, 111."),
    t.LEAVE_MESSAGE_PROMPT: N_("Write your message. A counsellor will answer here."),
    t.CRISIS_WAITING: N_("A person will answer here. Danger: 112."),
    t.STAFF_JOINED: N_("A person from our team is here and will answer you."),
    t.CASE_CLOSED: N_("Our talk is closed. Thank you. Write any time. Danger: 112."),
    t.CLEAR_NOT_NEEDED: CLEAR,
    ct.STAFF_MEDIA: N_("A counsellor sent a photo or voice note; SMS cannot show it."),
    # choice labels
    t.HELP_NOW: SOS,
    t.SKIP: N_("No answer"),
    t.CALLER_CHILD: N_("Child"),
    t.CALLER_PARENT: N_("Parent"),
    t.CALLER_RELATIVE: N_("Relative"),
    t.CALLER_TEACHER: N_("Teacher"),
    t.CALLER_OTHER: N_("Other person"),
    t.SERVICE_PSYCHOLOGICAL: N_("Psychologist"),
    t.SERVICE_LEGAL: N_("Lawyer"),
    t.SERVICE_SOCIAL: N_("Social worker"),
    t.TALK_NOW: N_("Talk now"),
    t.LEAVE_MESSAGE: N_("Leave a message"),
    t.CHAT_NOW: N_("Chat"),
    t.CALL_ME_BACK: N_("Call back"),
    t.WINDOW_MORNING: N_("9-12"),
    t.WINDOW_AFTERNOON: N_("12-15"),
    t.WINDOW_LATE_AFTERNOON: N_("15-18"),
    t.WINDOW_EVENING: N_("18-21"),
    t.GROUP_MONEY: N_("Alimony, benefits"),
    t.GROUP_RIGHTS: N_("Rights, documents"),
    t.SOMETHING_ELSE: N_("Other"),
    menus.CATEGORY_LABELS["family"]: N_("Family"),
    menus.CATEGORY_LABELS["abuse"]: N_("Someone hurts"),
    menus.CATEGORY_LABELS["bullying"]: N_("Bullying"),
    menus.CATEGORY_LABELS["psychological"]: N_("Sad, scared"),
    menus.CATEGORY_LABELS["education"]: N_("School"),
    menus.CATEGORY_LABELS["health"]: N_("Health"),
    menus.CATEGORY_LABELS["maintenance"]: N_("Alimony"),
    menus.CATEGORY_LABELS["social_security"]: N_("Benefits"),
    menus.CATEGORY_LABELS["civil_rights"]: N_("Documents"),
    menus.CATEGORY_LABELS["custody"]: N_("Custody"),
    menus.CATEGORY_LABELS["parental_rights"]: N_("Parental rights"),
    menus.CATEGORY_LABELS["property"]: N_("Housing"),
    menus.CATEGORY_LABELS["disability"]: N_("Disability"),
    menus.CATEGORY_LABELS["justice"]: N_("Police, court"),
    menus.CATEGORY_LABELS["care_institutions"]: N_("Children's homes"),
    menus.CATEGORY_LABELS["child_labor"]: N_("Child labour"),
    menus.REGIONS["astana"]: N_("Astana"),
    menus.REGIONS["almaty"]: N_("Almaty"),
    menus.REGIONS["shymkent"]: N_("Shymkent"),
    menus.REGIONS["abai"]: N_("Abai"),
    menus.REGIONS["akmola"]: N_("Akmola"),
    menus.REGIONS["aktobe"]: N_("Aktobe"),
    menus.REGIONS["almaty_region"]: N_("Almaty reg."),
    menus.REGIONS["atyrau"]: N_("Atyrau"),
    menus.REGIONS["east_kazakhstan"]: N_("East KZ"),
    menus.REGIONS["jambyl"]: N_("Jambyl"),
    menus.REGIONS["jetisu"]: N_("Jetisu"),
    menus.REGIONS["karaganda"]: N_("Karaganda"),
    menus.REGIONS["kostanay"]: N_("Kostanay"),
    menus.REGIONS["kyzylorda"]: N_("Kyzylorda"),
    menus.REGIONS["mangystau"]: N_("Mangystau"),
    menus.REGIONS["north_kazakhstan"]: N_("North KZ"),
    menus.REGIONS["pavlodar"]: N_("Pavlodar"),
    menus.REGIONS["turkistan"]: N_("Turkistan"),
    menus.REGIONS["ulytau"]: N_("Ulytau"),
    menus.REGIONS["west_kazakhstan"]: N_("West KZ"),
}

# --- segment budgets --------------------------------------------------------------------------
# Every text fits one segment in every language, except these (the safety numbers, the help
# and privacy notes say more and are worth it).
DEFAULT_BUDGET = 1
BUDGETS: dict[str, int] = {
    t.GREETING: 2,
    t.SAFETY: 2,
    t.NOBODY_ON_DUTY_CRISIS: 2,
    t.HELP: 3,
    t.PRIVACY: 3,
    t.CALLBACK_DONE: 2,
    t.NOBODY_CHILD[0]: 2,
    t.HANDOFF_NOBODY: 2,
    t.CASE_CLOSED: 2,
    t.STOPPED: 2,
    t.CLEAR_NOT_NEEDED: 2,
    t.OFFER_TALK_ADULT: 2,
}
# A whole reply (its texts and the line of numbered options) stays within this; longer
# option lists go in pages ("+" shows the next one).
REPLY_BUDGET = 4
OPTIONS_BUDGET = 2


def budget(key: str) -> int:
    return BUDGETS.get(key, DEFAULT_BUDGET)
