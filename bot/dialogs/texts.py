"""Every user-facing text of the dialog, as gettext message ids (English source text).

`N_` only marks a string for `pybabel extract`; translation happens in the channel, in the
conversation's language. Names ending in `_SMS` are the short variants the SMS renderer uses
(Kazakh and Russian go as UCS-2: 70 characters a segment).
"""

from __future__ import annotations


def N_(message: str) -> str:
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    return singular, plural


GREETING = N_(
    "Hi! This is the children's helpline. You can write to us about anything.\n"
    "It is free and anonymous: you don't need to give your name.\n"
    "To delete everything you wrote, send /forget.\n"
    "If you are in danger right now, call 112."
)
GREETING_SMS = N_("Children's helpline. Free, anonymous. FORGET deletes all. Danger: call 112.")
WELCOME_BACK = N_("Welcome back! Let's go on where we stopped.")
ASK_CALLER = N_("Who is writing to us?")
ASK_TOPIC_CHILD = N_("What is happening? Write in your own words, or choose a topic.")
ASK_TOPIC_ADULT = N_("What is happening with the child? Write in a few words, or choose a topic.")
ASK_TOPIC_SMS = N_("What is happening? Write a few words or pick a number.")
ASK_TOPIC_GROUP = N_("Choose what fits best.")
CONFIRM_TOPIC = N_("Did I understand you right? Choose what fits best.")
THANKS_TOPIC = N_("Thank you for telling us.")
ASK_AGE_CHILD = N_("How old are you? You can skip this question.")
ASK_AGE_ADULT = N_("How old is the child? You can skip this question.")
ASK_GENDER_CHILD = N_("Are you a girl or a boy? You can skip this question.")
ASK_GENDER_ADULT = N_("Is the child a girl or a boy? You can skip this question.")
ASK_REGION = N_("Where do you live? You can skip this question.")
ASK_SERVICE = N_("Who can help you best? We suggest the first one.")
OFFER_TALK_CHILD = N_("A counsellor can talk with you here right now. Do you want that?")
OFFER_TALK_ADULT = N_("A specialist is on shift now. Chat now, or shall we call you back?")
TALK_SOON = N_("Good. A counsellor will write to you here very soon. Please stay in this chat.")
NOBODY_CHILD = NP_(
    "Nobody from our team is on shift right now. Write your message here, and a counsellor "
    "will answer within {n} hour.",
    "Nobody from our team is on shift right now. Write your message here, and a counsellor "
    "will answer within {n} hours.",
)
NOBODY_ADULT = N_("Nobody from our team is on shift right now, but we can call you back.")
ASK_PHONE = N_("Which number should we call? For example: +7 701 234 56 78")
BAD_PHONE = N_(
    "This does not look like a phone number. Please write it like this: +7 701 234 56 78"
)
MESSAGE_RECEIVED = N_("Thank you, we got your message. A counsellor will read it and answer here.")
AFTER_DONE = N_("Your request is saved. Send /new to start again or /help for help.")

TIPS_HEADER = N_("While you wait, this may help:")
TIP_PSYCHOLOGICAL = N_(
    "Breathe slowly: in for 4, out for 6, five times. "
    "Tell someone you trust how you feel. Your feelings matter."
)
TIP_BULLYING = N_(
    "It is not your fault. Save screenshots of what they write, and tell a teacher or parent. "
    "You can block the bullies online."
)
TIP_FAMILY = N_(
    "When things are hard at home, talk to an adult you trust: a relative, a teacher, "
    "a school psychologist."
)
TIP_ABUSE = N_(
    "If someone hurts you, it is never your fault. Tell an adult you trust. "
    "If you are in danger, go to a safe place and call 112."
)
TIP_RIGHTS = N_("Keep copies of your documents and write down dates. A lawyer will need them.")
TIP_GENERAL = N_("You did the right thing by writing. Take care of yourself while you wait.")
LINES_24_7 = N_(
    "Free, day and night: 150 (children's trust line), 111 (family and children's line)."
)

SAFETY = N_(
    "You are not alone, and you did right to write to us. I am calling a person from our team "
    "now.\n"
    "If you are in danger right now, call 112.\n"
    "Police: 102. Ambulance: 103.\n"
    "Children's trust line: 150. Family and children's line: 111.\n"
    "All free, day and night."
)
SAFETY_SMS = N_(
    "We are calling a person now. Danger: 112. Police 102. Ambulance 103. Help 150, 111."
)
NOBODY_ON_DUTY_CRISIS = N_(
    "To be honest: nobody from our team is on shift right now. Please call 150 or 111 now: "
    "they answer day and night, for free. We will write to you here as soon as someone comes."
)
CRISIS_MESSAGE_RECEIVED = N_(
    "We got your message and passed it on. A person will answer here. "
    "If you are in danger, call 112."
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
LANGUAGE_SET = N_("Now we write in English.")
FORGOTTEN = N_("Done. We deleted everything we kept about you. If you want, write again any time.")
STOPPED = N_("OK, we will not write to you any more. If you write again, we will answer.")
STARTING_OVER = N_("Let's start again.")
NEW_IN_CASE_CHILD = N_(
    "You are already in touch with our team, and everything you write here reaches them. "
    "Just write what you want to say."
)
NEW_IN_CASE_ADULT = N_(
    "You are already in touch with our team, and everything you write here reaches them. "
    "Please just write what you would like to say."
)
CLEAR_NOT_NEEDED = N_("This chat keeps no messages on your device, so there is nothing to clear.")

UNKNOWN_COMMAND = N_("I don't know this command. Send /help to see what I can do.")
EMPTY = N_("Your message is empty. Please write a few words.")
TOO_LONG = N_("This message is too long for me. Please write it shorter, in a few parts.")
NOT_WORDS = N_("Please tell me in words, or choose a topic.")
CHOOSE_OPTION = N_("Please choose one of the options.")
WRONG_NUMBER = N_("Please send a number from 0 to {max}.")
OLD_BUTTON = N_("This button is from an earlier question. Please use the new buttons.")
UNSUPPORTED = N_("I can read only text. Please write in words.")
HANDOFF = N_("I'm sorry, I don't understand. I am passing your message to a person.")
HANDOFF_NOBODY = N_(
    "I'm sorry, I don't understand. If you need help now, call 150 or 111: "
    "they answer day and night, for free."
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
    "Write your message here. A counsellor will read it and answer in this chat."
)
CRISIS_WAITING = N_("A person from our team will answer you here. If you are in danger, call 112.")

STAFF_JOINED = N_("A person from our team is here now and will answer you in this chat.")
CASE_CLOSED = N_(
    "Our conversation is closed. Thank you for trusting us. You can write again any time: "
    "send /new. In danger, call 112."
)

# Short variants for SMS, where every segment counts.
SMS_VARIANTS: dict[str, str] = {
    GREETING: GREETING_SMS,
    SAFETY: SAFETY_SMS,
    ASK_TOPIC_CHILD: ASK_TOPIC_SMS,
    ASK_TOPIC_ADULT: ASK_TOPIC_SMS,
}
