"""Hypothesis strategies for what can reach the bot: dialog events in every state, Telegram
updates of every kind (with forged callback data), and text full of odd characters.

`FUZZ_EXAMPLES` (environment) sets how many inputs each fuzz test generates: a few hundred in
`make test`, 10,000 and more in `make fuzz`.
"""

from __future__ import annotations

import itertools
import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from bot.classify.types import CATEGORIES, LANGUAGES, Classification
from bot.dialogs import Event
from bot.dialogs.triage import COMMANDS
from bot.handlers.render import ChoiceData
from bot.staff.callbacks import StaffAction

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written into the repository; failures print their example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

ODD_DIGITS = "0123456789²³¹⁰①②③④⑤⑩⑳٣۴１２𝟙𝟚Ⅻ½"
TRICKY = [
    "",
    " ",
    "0",
    "SOS",
    "сос",
    "²",
    "③",
    "99999999999999999999",
    "-1",
    "1e9",
    "/start",
    "/start 87011234567",
    "I want to die",
    "unsure what this is",
    "alimony",
    "+77012345678",
    "87011234567",
    "\u202e\u200b",
    "x" * 5000,
    "<b>bold</b> & <script>",
    "@zhuldyz_2011 zhuldyz собака mail.kz",
]


def texts() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(TRICKY),
        st.text(max_size=60),
        st.text(alphabet=ODD_DIGITS, min_size=1, max_size=4),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    )


def classifications() -> st.SearchStrategy[Classification | None]:
    scored = st.tuples(st.sampled_from(CATEGORIES), st.floats(0, 1, allow_nan=False))
    return st.one_of(
        st.none(),
        st.builds(
            Classification,
            language=st.sampled_from(LANGUAGES),
            # ranked categories, each once (as every classifier here returns them)
            categories=st.lists(scored, max_size=4, unique_by=lambda c: c[0]).map(tuple),
            urgency=st.sampled_from(("crisis", "urgent", "routine")),
            signals=st.lists(st.text(max_size=12), max_size=3).map(tuple),
            confident=st.booleans(),
        ),
    )


def choice_ids() -> st.SearchStrategy[str]:
    known = [
        "help_now",
        "skip",
        "back",
        "caller:child",
        "caller:parent",
        "lang:kk",
        "lang:en",
        "lang:xx",
        "topic:abuse",
        "topic:nonsense",
        "group:rights",
        "group:none",
        "age:7-9",
        "gender:girl",
        "region:almaty_city",
        "service:legal",
        "route:talk",
        "route:callback",
        "route:message",
        "window:morning",
    ]
    return st.one_of(st.sampled_from(known), st.text(max_size=40))


def events() -> st.SearchStrategy[Event]:
    commands = st.one_of(st.sampled_from(COMMANDS), st.text(max_size=12))
    return st.one_of(
        st.builds(Event, kind=st.just("text"), text=texts(), classification=classifications()),
        st.builds(Event, kind=st.just("text"), text=st.text(ODD_DIGITS, min_size=1, max_size=3)),
        st.builds(Event, kind=st.just("choice"), choice=choice_ids()),
        st.builds(Event, kind=st.just("command"), command=commands, arg=texts()),
        st.builds(Event, kind=st.just("start")),
        st.builds(Event, kind=st.just("unsupported")),
        st.builds(
            Event,
            kind=st.just("media"),
            text=texts(),
            classification=classifications(),
            media=st.sampled_from(("photo", "voice", "document", "")),
            media_ref=st.integers(0, 2**40),
        ),
        st.builds(
            Event, kind=st.just("system"), command=st.sampled_from(("staff_joined", "case_closed"))
        ),
    )


# --- Telegram updates -------------------------------------------------------------------

_ids = itertools.count(10_000_000)
STAFF_CHAT = -1001234567890
USERS = [880001, 880002, 880003]


def callback_data() -> st.SearchStrategy[str]:
    huge = st.one_of(
        st.integers(-(2**70), 2**70), st.sampled_from([0, -1, 2**31, 2**63, 2**64, 10**20])
    )
    return st.one_of(
        st.builds(lambda c: f"{ChoiceData.__prefix__}|{c}", choice_ids()),
        st.builds(
            lambda a, c, v: f"s:{a}:{c}:{v}",
            st.sampled_from(("claim", "release", "close", "cat", "catnext", "svc", "out", "prof")),
            huge,
            st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-", max_size=20),
        ),
        st.builds(lambda c: StaffAction(action="claim", case=c).pack(), st.integers(1, 5)),
        st.text(max_size=64),
    )


def _chat(kind: str, user_id: int) -> dict[str, Any]:
    if kind == "private":
        return {"id": user_id, "type": "private"}
    if kind == "staff":
        return {"id": STAFF_CHAT, "type": "supergroup", "title": "staff", "is_forum": True}
    return {"id": -1009999, "type": "group", "title": "elsewhere"}


def _user(user_id: int, lang: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": "Zhuldyzay"}
    if lang is not None:
        found["language_code"] = lang
    return found


CONTENTS = st.one_of(
    st.builds(lambda t: {"text": t}, texts()),
    st.builds(lambda t: {"text": "/" + t}, st.one_of(st.sampled_from(COMMANDS), texts())),
    st.builds(
        lambda c: {
            "photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}],
            **({"caption": c} if c else {}),
        },
        texts(),
    ),
    st.just({"voice": {"file_id": "v", "file_unique_id": "v", "duration": 2}}),
    st.builds(
        lambda n: {"document": {"file_id": "d", "file_unique_id": "d", "file_name": n}},
        st.sampled_from(("a.pdf", "Zhuldyzay_Nurlanqyzy.pdf", "87011234567.jpg", "")),
    ),
    st.just(
        {
            "sticker": {
                "file_id": "s",
                "file_unique_id": "s",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            }
        }
    ),
    st.just({"location": {"latitude": 43.2, "longitude": 76.9}}),
    st.just({"contact": {"phone_number": "+77011234567", "first_name": "Mama"}}),
)


@st.composite
def updates(draw: st.DrawFn) -> dict[str, Any]:
    user_id = draw(st.sampled_from([*USERS, 7001, 7002]))
    where = draw(st.sampled_from(("private", "private", "staff", "staff", "other")))
    lang = draw(st.one_of(st.none(), st.sampled_from(("kk", "ru", "en", "kz", "de", "ru-RU"))))
    n = next(_ids)
    message: dict[str, Any] = {
        "message_id": n,
        "date": 1_700_000_000,
        "chat": _chat(where, user_id),
        "from": _user(user_id, lang),
        **draw(CONTENTS),
    }
    if where == "staff" and draw(st.booleans()):
        message["message_thread_id"] = draw(st.integers(1, 2**40))
        message["is_topic_message"] = True
    if where == "staff" and draw(st.booleans()):
        message["reply_to_message"] = {
            "message_id": draw(st.integers(1, 2**40)),
            "date": 1_700_000_000,
            "chat": _chat(where, user_id),
            "text": "card",
        }
    kind = draw(st.sampled_from(("message", "message", "edited_message", "callback_query")))
    if kind == "callback_query":
        return {
            "update_id": n,
            "callback_query": {
                "id": str(n),
                "from": _user(user_id, lang),
                "chat_instance": "x",
                "data": draw(callback_data()),
                "message": {
                    "message_id": n,
                    "date": 0,
                    "chat": message["chat"],
                    "text": "menu",
                },
            },
        }
    if kind == "edited_message":
        message["edit_date"] = 1_700_000_001
    return {"update_id": n, kind: message}
