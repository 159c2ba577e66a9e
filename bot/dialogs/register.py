"""The speaker register: a child reads the child's own texts, everyone else the formal ones.

Every text in `texts.py` is written for an adult or for someone we do not know yet (formal
but warm: вы / сіз). When the caller is a child, `speak` swaps each text that reads
differently for a child for the child's entry: a separate text (`CHILD_TEXT`, where the
English differs too) or the same message id in the `child` gettext context (`CHILD_CONTEXT`,
where only Kazakh and Russian change: ты / сен). The dialog calls it once per reply, so no
step has to remember who is reading.
"""

from __future__ import annotations

from dataclasses import replace

from bot.dialogs import menus
from bot.dialogs import texts as t
from bot.dialogs.model import Choice, Msg, Reply, State
from bot.dialogs.texts import NC_

CHILD = "child"

CHILD_TEXT: dict[str, str] = {
    t.ASK_TOPIC_ADULT: t.ASK_TOPIC_CHILD,
    t.ASK_AGE_ADULT: t.ASK_AGE_CHILD,
    t.ASK_GENDER_ADULT: t.ASK_GENDER_CHILD,
    t.OFFER_TALK_ADULT: t.OFFER_TALK_CHILD,
    t.SAFETY: t.SAFETY_CHILD,
    **menus.CHILD_TOPIC_LABELS,
}

# The same English, a different Kazakh and Russian text (ты / сен). Each literal repeats a
# text of texts.py so that `pybabel extract` finds it; a test checks they stay identical.
CHILD_CONTEXT: frozenset[str] = frozenset(
    {
        NC_("child", "Welcome back! Let's pick up where we left off."),
        NC_("child", "Choose what fits best."),
        NC_("child", "Did I understand you right? Choose what fits best."),
        NC_("child", "Thank you for telling us."),
        NC_("child", "Which region do you live in? You can skip this question."),
        NC_(
            "child",
            "Good. We have called a counsellor: they will write to you here soon. "
            "Please stay in this chat.",
        ),
        NC_(
            "child",
            "Thank you, we got your message. A person from our team will read it and answer here.",
        ),
        NC_(
            "child",
            "Thank you, we got your message. Nobody is on shift right now: a person from our "
            "team will read it and answer here {within}.",
        ),
        NC_("child", "You're welcome. If you want to add something, write here."),
        NC_(
            "child",
            "We have everything we need for now. To start again, send /new; for help, /help.",
        ),
        NC_("child", "I am calling a person from our team now: they will write to you here."),
        NC_(
            "child",
            "To be honest: nobody from our team is on shift right now. We have passed on that "
            "you need help, and the first person on shift will answer here, {within} at the "
            "latest. Please call 150 or 111 now: they answer day and night, for free.",
        ),
        NC_(
            "child",
            "We got your message and passed it on. A person from our team will answer here. "
            "If you are in danger, call 112.",
        ),
        NC_(
            "child",
            "We got your message and passed it on. Nobody is on shift yet: the first person on "
            "shift will read it. If you are in danger, call 112; 150 and 111 answer day and "
            "night.",
        ),
        NC_(
            "child",
            "A person from our team will answer you here. If you are in danger, call 112.",
        ),
        NC_(
            "child",
            "Nobody is on shift yet: the first person on shift will read your messages and "
            "answer here. If you are in danger, call 112; 150 and 111 answer day and night.",
        ),
        NC_(
            "child",
            "I am the helpline's bot. I help you reach the right person.\n"
            "/new: start again\n"
            "/lang: change language\n"
            "/privacy: what we keep\n"
            "/forget: delete everything about you\n"
            "/clear: delete our messages from this chat\n"
            "/stop: we will not write to you\n"
            "In danger? Call 112. Free help day and night: 150, 111.",
        ),
        NC_(
            "child",
            "We do not ask your name. Our staff never see your name, account or number. "
            "If you ask us to call you, only the person who calls sees the number, and we "
            "delete it after the call. For statistics we keep only general facts, such as the "
            "topic and the region, with nothing that shows who you are. Send /forget and we "
            "delete everything about you.",
        ),
        NC_("child", "Choose a language:"),
        NC_("child", "OK, let's talk in English."),
        NC_("child", "OK, we will not write to you any more. If you write again, we will answer."),
        NC_("child", "I don't know this command. Send /help to see what I can do."),
        NC_("child", "Your message is empty. Please write a few words."),
        NC_("child", "This message is too long for me. Please send it in shorter parts."),
        NC_("child", "Please tell me in words, or choose a topic."),
        NC_("child", "Please choose one of the options below."),
        NC_("child", "Please send a number from 1 to {max} (0: help now)."),
        NC_("child", "This button is from an earlier question. Please use the new buttons."),
        NC_("child", "I can read only text. Please write in words."),
        NC_(
            "child",
            "I'm sorry, I don't understand. I am passing our conversation to a person from our "
            "team: they will write to you here. You can write here in your own words.",
        ),
        NC_(
            "child",
            "I'm sorry, I don't understand. I have passed our conversation on to our team. "
            "Nobody is on shift right now: a person will answer here {within}. If you need "
            "help now, call 150 or 111: they answer day and night, for free.",
        ),
        NC_(
            "child",
            "Write your message here. A person from our team will read it and answer in this "
            "chat.",
        ),
        NC_(
            "child",
            "Write your message here. Nobody is on shift right now: a person from our team "
            "will read it and answer in this chat {within}.",
        ),
    }
)


def for_child(msg: Msg) -> Msg:
    """The child's version of one text (the same text where it reads the same)."""
    if msg.literal:
        return msg
    if msg.key in CHILD_TEXT:
        return replace(msg, key=CHILD_TEXT[msg.key])
    if msg.key in CHILD_CONTEXT:
        return replace(msg, context=CHILD)
    return msg


def speak(state: State, reply: Reply) -> Reply:
    """Put a reply in the register of whoever reads it (the caller type of `state`)."""
    if state.caller != "child":
        return reply
    reply.messages = [for_child(m) for m in reply.messages]
    reply.choices = [Choice(c.id, for_child(c.label)) for c in reply.choices]
    return reply
