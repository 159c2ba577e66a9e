"""Every user-facing text of the dialog, as gettext message ids (English source text).

`N_` only marks a string for `pybabel extract`; translation happens in the channel, in the
conversation's language. Names ending in `_SMS` are the short variants the SMS renderer uses
(Kazakh and Russian go as UCS-2: 70 characters a segment).

Register (who reads it). A text here is written for an adult (parent, relative, teacher,
someone else) or for a person we do not know yet: formal but warm (вы / сіз). Before we know
who writes we say вы / сіз on purpose: an adult must never be spoken to like a child, and to a
child a warm "вы" reads as respect, not as distance. Where a child reads something different
(ты / сен, simpler words, "you" instead of "your child"), `bot/dialogs/register.py` names the
child's own entry: a `child` context entry in the catalogs, or a separate text below whose
name ends in `_CHILD`. Child texts never assume the child's gender (no "написал", "один",
"виноват").
"""

from __future__ import annotations


def N_(message: str) -> str:
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    return singular, plural


def NC_(context: str, message: str) -> str:
    """Marks the same message id in a gettext context (msgctxt), e.g. the child's register."""
    return message


GREETING = N_(
    "Hello! This is the children's helpline. You can write to us about anything.\n"
    "It is free and anonymous: no name is needed.\n"
    "To delete everything you wrote, send /forget.\n"
    "If you are in danger right now, call 112."
)
GREETING_SMS = N_("Children's helpline. Free, anonymous. FORGET deletes all. Danger: call 112.")
WELCOME_BACK = N_("Welcome back! Let's pick up where we left off.")
ASK_CALLER = N_("Who is writing to us?")
ASK_TOPIC_ADULT = N_("What is happening with the child? Write in a few words, or choose a topic.")
ASK_TOPIC_CHILD = N_("What is happening? Write in your own words, or choose a topic.")
ASK_TOPIC_SMS = N_("What is happening? Write a few words or pick a number.")
ASK_TOPIC_GROUP = N_("Choose what fits best.")
CONFIRM_TOPIC = N_("Did I understand you right? Choose what fits best.")
THANKS_TOPIC = N_("Thank you for telling us.")
THANKS_TOPIC_PASSED_CHILD = N_(
    "Thank you for telling us. I have passed what you wrote on to our counsellors."
)
ASK_SAFETY_CHILD = N_("One important question: are you safe right now? You can skip it.")
SAFE_YES = N_("Yes, I am safe")
SAFE_DANGER = N_("No, I am in danger")
SAFE_SELF_HARM = N_("I am thinking about hurting myself")
ASK_AGE_ADULT = N_("How old is the child? You can skip this question.")
ASK_AGE_CHILD = N_("How old are you? You can skip this question.")
ASK_GENDER_ADULT = N_("Is the child a girl or a boy? You can skip this question.")
ASK_GENDER_CHILD = N_("Are you a girl or a boy? You can skip this question.")
ASK_REGION = N_("Which region do you live in? You can skip this question.")
ASK_SERVICE = N_("Which specialist would you like? We suggest the first one.")
OFFER_TALK_CHILD = N_("A counsellor can talk with you here right now. Do you want that?")
OFFER_TALK_ADULT = N_(
    "A specialist is on shift now. Would you like to chat now, or shall we call you back?"
)
TALK_SOON = N_(
    "Good. We have called a counsellor: they will write to you here soon. "
    "Please stay in this chat."
)
WITHIN_HOURS = NP_("within {n} hour", "within {n} hours")
NOBODY_CHILD = N_(
    "Nobody from our team is on shift right now. Write here what happened, and a counsellor "
    "will answer {within}."
)
NOBODY_CHILD_TOLD = N_(
    "Nobody from our team is on shift right now. What you wrote has been passed on, and a "
    "counsellor will answer here {within}. If you want to add something, write here."
)
NOBODY_ADULT = N_("Nobody from our team is on shift right now, but we can call you back.")
ASK_PHONE = N_("Which number should we call? For example: +7 701 234 56 78")
BAD_PHONE = N_(
    "This does not look like a phone number. Please write it like this: +7 701 234 56 78"
)
MESSAGE_RECEIVED = N_(
    "Thank you, we got your message. A person from our team will read it and answer here."
)
MESSAGE_RECEIVED_LATER = N_(
    "Thank you, we got your message. Nobody is on shift right now: a person from our team "
    "will read it and answer here {within}."
)
THANKS_WELCOME = N_("You're welcome. If you want to add something, write here.")
AFTER_DONE = N_("We have everything we need for now. To start again, send /new; for help, /help.")

TIPS_HEADER_CHILD = N_("While you wait, this may help:")
LINES_24_7 = N_(
    "Free, day and night: 150 (children's helpline), 111 (family and children's contact centre)."
)

SAFETY = N_(
    "Thank you for writing to us. You are not alone with this.\n"
    "If you or a child are in danger right now, call 112.\n"
    "Police: 102. Ambulance: 103.\n"
    "Children's helpline: 150. Family and children's contact centre: 111.\n"
    "All free, day and night."
)
SAFETY_CHILD = N_(
    "You did the right thing by writing to us. You don't have to face this alone.\n"
    "If you are in danger right now, call 112.\n"
    "Police: 102. Ambulance: 103.\n"
    "Children's helpline: 150. Family and children's contact centre: 111.\n"
    "All free, day and night."
)
SAFETY_SMS = N_("Danger: 112. Police 102. Ambulance 103. Help day and night: 150, 111.")
CALLING_PERSON = N_("I am calling a person from our team now: they will write to you here.")
NOBODY_ON_DUTY_CRISIS = N_(
    "To be honest: nobody from our team is on shift right now. We have passed on that you "
    "need help, and the first person on shift will answer here, {within} at the latest. "
    "Please call 150 or 111 now: they answer day and night, for free."
)
CRISIS_MESSAGE_RECEIVED = N_(
    "We got your message and passed it on. A person from our team will answer here. "
    "If you are in danger, call 112."
)
CRISIS_MESSAGE_RECEIVED_NOBODY = N_(
    "We got your message and passed it on. Nobody is on shift yet: the first person on shift "
    "will read it. If you are in danger, call 112; 150 and 111 answer day and night."
)
CRISIS_WAITING = N_("A person from our team will answer you here. If you are in danger, call 112.")
CRISIS_WAITING_NOBODY = N_(
    "Nobody is on shift yet: the first person on shift will read your messages and answer "
    "here. If you are in danger, call 112; 150 and 111 answer day and night."
)

HELP = N_(
    "I am the helpline's bot. I help you reach the right person.\n"
    "/new: start again\n"
    "/lang: change language\n"
    "/privacy: what we keep\n"
    "/forget: delete everything about you\n"
    "/clear: delete our messages from this chat\n"
    "/stop: we will not write to you\n"
    "In danger? Call 112. Free help day and night: 150, 111."
)
PRIVACY = N_(
    "We do not ask your name. Our staff never see your name, account or number. "
    "If you ask us to call you, only the person who calls sees the number, and we delete it "
    "after the call. For statistics we keep only general facts, such as the topic and the "
    "region, with nothing that shows who you are. Send /forget and we delete everything "
    "about you."
)
CHOOSE_LANGUAGE = N_("Choose a language:")
LANGUAGE_SET = N_("OK, let's talk in English.")
FORGOTTEN = N_("Done. We deleted everything we kept about you. If you want, write again any time.")
STOPPED = N_("OK, we will not write to you any more. If you write again, we will answer.")
STARTING_OVER = N_("Let's start again.")
CLEAR_NOT_NEEDED = N_("This chat keeps no messages on your device, so there is nothing to clear.")

UNKNOWN_COMMAND = N_("I don't know this command. Send /help to see what I can do.")
EMPTY = N_("Your message is empty. Please write a few words.")
TOO_LONG = N_("This message is too long for me. Please send it in shorter parts.")
NOT_WORDS = N_("Please tell me in words, or choose a topic.")
CHOOSE_OPTION = N_("Please choose one of the options below.")
WRONG_NUMBER = N_("Please send a number from 1 to {max} (0: help now).")
OLD_BUTTON = N_("This button is from an earlier question. Please use the new buttons.")
UNSUPPORTED = N_("I can read only text. Please write in words.")
HANDOFF = N_(
    "I'm sorry, I don't understand. I am passing our conversation to a person from our team: "
    "they will write to you here. You can write here in your own words."
)
HANDOFF_NOBODY = N_(
    "I'm sorry, I don't understand. I have passed our conversation on to our team. Nobody is "
    "on shift right now: a person will answer here {within}. If you need help now, call 150 "
    "or 111: they answer day and night, for free."
)

# Choice labels
HELP_NOW = N_("I need help now")
SKIP = N_("Skip")
BACK = N_("Back")
CALLER_CHILD = N_("I am a child or teenager")
CALLER_PARENT = N_("A parent")
CALLER_RELATIVE = N_("Another relative")
CALLER_TEACHER = N_("A teacher or caregiver")
CALLER_OTHER = N_("Someone else")
GIRL = N_("Girl")
BOY = N_("Boy")
SERVICE_PSYCHOLOGICAL = N_("A psychologist")
SERVICE_LEGAL = N_("A lawyer")
SERVICE_SOCIAL = N_("A social worker")
TALK_NOW = N_("Yes, talk now")
LEAVE_MESSAGE = N_("Leave a message")
CHAT_NOW = N_("Chat now")
CALL_ME_BACK = N_("Call me back")
GROUP_MONEY = N_("Alimony or benefits")
GROUP_RIGHTS = N_("Rights, documents, police or court")
SOMETHING_ELSE = N_("Something else")
LEAVE_MESSAGE_PROMPT = N_(
    "Write your message here. A person from our team will read it and answer in this chat."
)
LEAVE_MESSAGE_PROMPT_LATER = N_(
    "Write your message here. Nobody is on shift right now: a person from our team will read "
    "it and answer in this chat {within}."
)

STAFF_JOINED = N_("A person from our team is here now and will answer you in this chat.")
CASE_CLOSED = N_(
    "Our conversation is closed. Thank you for your trust. You can write again any time: "
    "send /new. In danger, call 112."
)

# Short variants for SMS, where every segment counts.
SMS_VARIANTS: dict[str, str] = {
    GREETING: GREETING_SMS,
    SAFETY: SAFETY_SMS,
    SAFETY_CHILD: SAFETY_SMS,
    ASK_TOPIC_CHILD: ASK_TOPIC_SMS,
    ASK_TOPIC_ADULT: ASK_TOPIC_SMS,
}
