"""The SMS wording: a short variant of each dialog text, SMS-only texts, segment budgets.

Kazakh and Russian go as UCS-2 (70 characters in one segment, 67 a part), so every text a
child gets by SMS is written again, short. Short variants are keyed by the dialog's text
constants (not copied wording), so a dialog text that is reworded keeps its SMS variant; a
dialog text with no variant here is sent whole, and `tests/sms/test_budgets.py` fails when
that costs more segments than its budget. Keywords are written in the reader's language
(СТОП / ТОҚТАТ, УДАЛИТЬ / ӨШІР): the translations name them.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from bot.channels import texts as ct
from bot.dialogs import menus
from bot.dialogs import texts as t
from bot.dialogs.texts import N_, NP_

# --- texts only SMS has -----------------------------------------------------------------------
STOPPED = N_("OK, no more messages from us. Send START to get them again.")
SAFETY_SHORT = N_("Danger: 112. Police 102. Ambulance 103. Free, day and night: 150, 111.")
CLEAR = N_("We cannot delete SMS on your phone: delete them in your messages app.")
MORE = N_("+ more")
SOS = N_("SOS")

# --- short variants of dialog texts ----------------------------------------------------------
# Keyed by the name of the dialog's text constant (in bot/dialogs/texts.py or a sibling text
# module such as tips.py): the dialog's wording may change and texts may move without breaking
# this table. A plural text takes a (singular, plural) pair; where the dialog has had both
# shapes, both are listed and the one that fits the dialog's constant is used.
BY_NAME: dict[str, list[str | tuple[str, str]]] = {
    "GREETING": [
        N_(
            "Children's helpline: free and anonymous, no name needed. FORGET deletes all. "
            "Danger: 112."
        )
    ],
    "WELCOME_BACK": [N_("Welcome back! Let's go on.")],
    "ASK_TOPIC_CHILD": [N_("What is happening? Write a few words or send a number.")],
    "ASK_TOPIC_ADULT": [N_("What is happening with the child? Write or send a number.")],
    "CONFIRM_TOPIC": [N_("Did I get it right? Send a number.")],
    "THANKS_TOPIC_PASSED_CHILD": [
        N_("Thank you for telling us. It is passed on to a counsellor.")
    ],
    "ASK_SAFETY_CHILD": [N_("Are you safe right now?")],
    "SAFE_YES": [N_("Yes, safe")],
    "SAFE_DANGER": [N_("In danger")],
    "SAFE_SELF_HARM": [N_("Want to hurt myself")],
    "ASK_AGE_CHILD": [N_("How old are you?")],
    "ASK_AGE_ADULT": [N_("How old is the child?")],
    "ASK_GENDER_CHILD": [N_("Girl or boy?")],
    "ASK_GENDER_ADULT": [N_("Is the child a girl or a boy?")],
    "ASK_REGION": [N_("Which region?")],
    "ASK_SERVICE": [N_("Who can help best?")],
    "OFFER_TALK_CHILD": [N_("A counsellor can talk with you now. Want to?")],
    "OFFER_TALK_ADULT": [N_("A specialist is on shift. Chat now or call back?")],
    "TALK_SOON": [N_("A counsellor will write to you here soon.")],
    "NOBODY_CHILD": [
        NP_(
            "Nobody is on shift now. Write here; we answer within {n} hour.",
            "Nobody is on shift now. Write here; we answer within {n} hours.",
        ),
        N_("Nobody is on shift now. Write here; we answer {within}."),
    ],
    "NOBODY_CHILD_TOLD": [N_("Nobody is on shift now. It is passed on; we answer here {within}.")],
    "NOBODY_ADULT": [N_("Nobody is on shift now, but we can call you back.")],
    "ASK_WINDOW": [N_("When shall we call?")],
    "ASK_PHONE": [N_("Which number shall we call? Like +77012345678")],
    "BAD_PHONE": [N_("That is not a phone number. Like this: +77012345678")],
    "CALLBACK_DONE": [
        N_("Thank you. We will call then, and delete the number after. FORGET cancels.")
    ],
    "MESSAGE_RECEIVED": [N_("Got it. A counsellor will answer here.")],
    "MESSAGE_RECEIVED_LATER": [N_("Got it. Nobody is on shift now; we answer here {within}.")],
    "THANKS_WELCOME": [N_("You're welcome. You can add more here.")],
    "AFTER_DONE": [N_("Saved. NEW starts again, 0 calls a person.")],
    "TIP_PSYCHOLOGICAL": [N_("Breathe slowly, in 4, out 6. Tell someone you trust how you feel.")],
    "TIP_BULLYING": [N_("It is not your fault. Keep screenshots, tell a teacher or parent.")],
    "TIP_FAMILY": [N_("Hard at home? Talk to an adult you trust.")],
    "TIP_ABUSE": [N_("If someone hurts you, it is not your fault. Danger: 112.")],
    "TIP_RIGHTS": [N_("Keep copies of documents and write down dates.")],
    "TIP_GENERAL": [N_("Good that you wrote. Take care of yourself.")],
    "TIP_SCHOOL": [N_("School problems can be solved. Talk to your teacher or a parent.")],
    "TIP_HEALTH": [N_("Worried about your health? Tell an adult you trust. Very bad: 103.")],
    "TIP_MONEY": [N_("Money and housing are adults' work. Tell an adult you trust.")],
    "TIP_DOCUMENTS": [N_("Adults can help with documents: ask a parent or a teacher.")],
    "TIP_CUSTODY": [N_("Your opinion matters. Tell it to an adult you trust.")],
    "TIP_DISABILITY": [N_("You have the same rights as everyone. Tell an adult what you need.")],
    "TIP_JUSTICE": [N_("Police or court: ask for an adult you trust to be with you.")],
    "TIP_CARE": [N_("Something wrong where you live? Tell an adult you trust. Danger: 112.")],
    "TIP_CHILD_LABOR": [N_("Made to work too hard? Tell an adult you trust, or call 111.")],
    "TIP_OTHER": [N_("Good that you wrote. Do something calm you like while you wait.")],
    "LINES_24_7": [N_("Free, day and night: 150, 111.")],
    "SAFETY": [SAFETY_SHORT],
    "SAFETY_CHILD": [SAFETY_SHORT],
    "CALLING_PERSON": [N_("We are calling a person from our team: they will write here.")],
    "NOBODY_ON_DUTY_CRISIS": [
        N_(
            "Honestly: nobody is on shift now. 150 and 111 answer day and night, free. "
            "We write here when someone comes."
        ),
        N_(
            "Honestly: nobody is on shift now. We answer here {within} at the latest. "
            "Call 150 or 111, free, day and night."
        ),
    ],
    "CRISIS_MESSAGE_RECEIVED": [N_("Passed on. A person will answer here. Danger: 112.")],
    "CRISIS_MESSAGE_RECEIVED_NOBODY": [
        N_("Passed on. Nobody is on shift yet. Danger: 112; 150 and 111 day and night.")
    ],
    "CRISIS_WAITING": [N_("A person will answer here. Danger: 112.")],
    "CRISIS_WAITING_NOBODY": [
        N_("Nobody is on shift yet; the first person on shift answers here. Danger: 112.")
    ],
    "HELP": [
        N_(
            "Helpline bot. 0: a person now. NEW: start again. FORGET: delete all. "
            "STOP: no messages. Danger: 112. Day and night: 150, 111."
        )
    ],
    "PRIVACY": [
        N_(
            "We never ask your name; staff never see your number. A callback number is deleted "
            "after the call. FORGET deletes all."
        )
    ],
    "FORGOTTEN": [N_("Done: everything about you is deleted. Write any time.")],
    "STOPPED": [STOPPED],
    "OLD_BUTTON": [N_("That option is from an earlier question.")],
    "UNKNOWN_COMMAND": [N_("Unknown command. HELP: what I can do.")],
    "TOO_LONG": [N_("Too long for me. Please send shorter parts.")],
    "NOT_WORDS": [N_("Please write in words, or send a number.")],
    "CHOOSE_OPTION": [N_("Please send a number from the list.")],
    "HANDOFF": [N_("Sorry, I don't understand. I am passing this to a person.")],
    "HANDOFF_NOBODY": [
        N_("Sorry, I don't understand. Help day and night: 150, 111."),
        N_("Sorry, I don't understand. It is passed on; we answer {within}. Now: 150, 111."),
    ],
    "LEAVE_MESSAGE_PROMPT": [N_("Write your message. A counsellor will answer here.")],
    "LEAVE_MESSAGE_PROMPT_LATER": [
        N_("Write your message. Nobody is on shift now; we answer {within}.")
    ],
    "STAFF_JOINED": [N_("A person from our team is here and will answer you.")],
    "CASE_CLOSED": [N_("Our talk is closed. Thank you. Write any time. Danger: 112.")],
    "CLEAR_NOT_NEEDED": [CLEAR],
    # callbacks (bot/dialogs/callback_texts.py): to an adult, formal
    "NO_SLOTS": [N_("No call times free now. Please call 111 or 150, day and night.")],
    "READBACK": [N_("Please check: {specialist} calls {number}, {slot}, {language}. Right?")],
    "NUMBER_KEPT": [N_("We keep your number only until the call. To change or cancel: /cancel")],
    "PENDING": [N_("Your call: {specialist}, {slot}, {language}.")],
    "ALREADY_PENDING": [N_("A call is already booked: {slot}. No second request is needed.")],
    "CANCELLED": [N_("Call cancelled, number deleted. Write to us any time.")],
    "MOVED": [N_("Your call is moved: {specialist} calls {slot}. You can change or cancel it.")],
    "CANCELLED_BY_STAFF": [
        N_("Sorry: we had to cancel your call; the number is deleted. NEW: a new request.")
    ],
    "NO_ANSWER_TWICE": [N_("We could not reach you twice. Please choose another time:")],
    "REMINDER": [N_("Reminder: {specialist} calls you {slot}, {language}. Keep your phone near.")],
    # choice labels
    "HELP_NOW": [SOS],
    "SKIP": [N_("Skip it")],
    "CALLER_CHILD": [N_("Child")],
    "CALLER_PARENT": [N_("Parent")],
    "CALLER_RELATIVE": [N_("Relative")],
    "CALLER_TEACHER": [N_("Teacher")],
    "CALLER_OTHER": [N_("Other person")],
    "SERVICE_PSYCHOLOGICAL": [N_("Psychologist")],
    "SERVICE_LEGAL": [N_("Lawyer")],
    "SERVICE_SOCIAL": [N_("Social worker")],
    "TALK_NOW": [N_("Talk now")],
    "LEAVE_MESSAGE": [N_("Write to us")],
    "CHAT_NOW": [N_("Chat")],
    "CALL_ME_BACK": [N_("Call back")],
    "WINDOW_MORNING": [N_("9-12")],
    "WINDOW_AFTERNOON": [N_("12-15")],
    "WINDOW_LATE_AFTERNOON": [N_("15-18")],
    "WINDOW_EVENING": [N_("18-21")],
    "GROUP_MONEY": [N_("Alimony, benefits")],
    "GROUP_RIGHTS": [N_("Rights, documents")],
    "SOMETHING_ELSE": [N_("Other")],
}
# Labels the dialog keeps in its menus' tables (a child's own topic labels share the short).
SHORT: dict[str, str | tuple[str, str]] = {
    ct.STAFF_MEDIA: N_("A counsellor sent a photo or voice note; SMS cannot show it."),
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
    menus.CATEGORY_LABELS["property"]: N_("Housing"),
    menus.CATEGORY_LABELS["disability"]: N_("Disability"),
    menus.CATEGORY_LABELS["justice"]: N_("Police, court"),
    menus.CATEGORY_LABELS["care_institutions"]: N_("Children's homes"),
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
BUDGETS_BY_NAME: dict[str, int] = {
    "GREETING": 2,
    "SAFETY": 2,
    "SAFETY_CHILD": 2,
    "NOBODY_ON_DUTY_CRISIS": 2,
    "CRISIS_MESSAGE_RECEIVED_NOBODY": 2,
    "CRISIS_WAITING_NOBODY": 2,
    "HELP": 3,
    "PRIVACY": 3,
    "CALLBACK_DONE": 2,
    "NOBODY_CHILD": 2,
    "NOBODY_CHILD_TOLD": 2,
    "MESSAGE_RECEIVED_LATER": 2,
    "LEAVE_MESSAGE_PROMPT_LATER": 2,
    "HANDOFF_NOBODY": 2,
    "CASE_CLOSED": 2,
    "STOPPED": 2,
    "CLEAR_NOT_NEEDED": 2,
    "OFFER_TALK_ADULT": 2,
    "READBACK": 2,
    "NUMBER_KEPT": 2,
    "PENDING": 2,
    "ALREADY_PENDING": 2,
    "MOVED": 2,
    "CANCELLED_BY_STAFF": 2,
    "REMINDER": 2,
}
# A whole reply (its texts and the line of numbered options) stays within this; longer
# option lists go in pages ("+" shows the next one).
REPLY_BUDGET = 4
OPTIONS_BUDGET = 2


def _shape_fits(constant: object, short: str | tuple[str, str]) -> bool:
    return isinstance(constant, tuple) == isinstance(short, tuple)


def _resolve() -> tuple[dict[str, str | tuple[str, str]], dict[str, int]]:
    """Message id of each dialog text → its short variant, and → its budget."""
    shorts: dict[str, str | tuple[str, str]] = {}
    budgets: dict[str, int] = {}
    for module in dialog_text_modules():
        for name, constant in vars(module).items():
            if not isinstance(constant, str | tuple) or name.startswith("_"):
                continue
            key = constant[0] if isinstance(constant, tuple) else constant
            if not isinstance(key, str):
                continue
            for short in BY_NAME.get(name, []):
                if _shape_fits(constant, short):
                    shorts[key] = short
                    break
            if name in BUDGETS_BY_NAME:
                budgets[key] = BUDGETS_BY_NAME[name]
    return shorts, budgets


def dialog_text_modules() -> list[ModuleType]:
    """bot/dialogs/texts.py and its sibling text modules (tips.py) where they exist."""
    found = [t]
    for name in SIBLING_TEXT_MODULES:
        if importlib.util.find_spec(name) is not None:
            found.append(importlib.import_module(name))
    return found


SIBLING_TEXT_MODULES = ("bot.dialogs.tips", "bot.dialogs.callback_texts", "bot.dialogs.slots")
_SHORT_FROM_DIALOG, BUDGETS = _resolve()
SHORT.update(_SHORT_FROM_DIALOG)
for _adult, _child in getattr(menus, "CHILD_TOPIC_LABELS", {}).items():
    if _adult in SHORT:
        SHORT.setdefault(_child, SHORT[_adult])


def budget(key: str) -> int:
    return BUDGETS.get(key, DEFAULT_BUDGET)
