"""Issue 9 (safety question, language that stays put) and issue 11 (findings 12, 13) through
the real turn service, storage and, where it matters, the real classifier."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from itertools import pairwise

import pytest

from bot.classify import load_classifier
from bot.classify.types import Classifier, Language
from bot.dialogs import Event
from bot.dialogs import texts as t
from bot.dialogs.model import Msg
from bot.i18n import render
from bot.outbox import OutboxSender, RateLimiter
from bot.privacy import Identity
from bot.services.duty import FixedDuty
from bot.services.turns import Inbound, Outcome, TurnService, pieces
from bot.staff.escalation import Escalations
from storage import Store
from tests.staff_fakes import FakeTransport

USER = "770011"


@lru_cache(maxsize=1)
def real_classifier() -> Classifier:
    return load_classifier()


class NoWaitLimiter(RateLimiter):
    def try_acquire(
        self, key: str, group_message: bool, priority: int = 0, per_chat: bool = True
    ) -> float:
        return 0.0


def service(store: Store, identity: Identity, on_duty: bool = False) -> TurnService:
    return TurnService(
        store, real_classifier(), identity, FixedDuty(on_duty), escalations=Escalations()
    )


async def send(
    turns: TurnService, line: str, address: str = USER, platform: str | None = None
) -> Outcome:
    if line.startswith("/"):
        event = Event("command", command=line[1:])
    elif line.startswith("="):
        event = Event("choice", choice=line[1:])
    else:
        event = Event("text", text=line)
    return await turns.handle(Inbound("telegram", address, event, platform_language=platform))


@pytest.mark.parametrize("answer", ["safety:danger", "safety:self_harm"])
@pytest.mark.parametrize("on_duty", [False, True])
async def test_i_am_in_danger_opens_a_crisis_case_and_posts_the_card(
    store: Store, identity: Identity, answer: str, on_duty: bool
) -> None:
    turns = service(store, identity, on_duty)
    for line in ["/start", "=caller:child", "=topic:bullying"]:
        out = await send(turns, line)
    assert out.state.step == "safety"
    assert [c.id for c in out.reply.choices] == [
        "safety:yes",
        "safety:danger",
        "safety:self_harm",
        "skip",
        "help_now",
    ]
    out = await send(turns, "=" + answer)
    assert out.state.step == "crisis" and out.state.urgency == "crisis"
    assert out.state.age_band is None  # the profile is never asked in a crisis
    said = [m.key for m in out.reply.messages]
    assert said[0] == t.SAFETY_CHILD
    assert (t.CALLING_PERSON if on_duty else t.NOBODY_ON_DUTY_CRISIS) in said
    async with store.transaction() as repos:
        (case,) = await repos.cases.list()
        assert (case.urgency, case.reason, case.caller) == ("crisis", "safety", "child")
        assert case.signals == [answer.replace("safety:", "safety_")]
    transport = FakeTransport(identity)
    sender = OutboxSender(store, transport, NoWaitLimiter(), lease=dt.timedelta(0))
    await sender.run_once()
    assert "card" in transport.kinds()
    assert transport.sent[transport.kinds().index("card")].case_id == case.id


async def test_yes_and_skip_go_on_to_the_profile(store: Store, identity: Identity) -> None:
    turns = service(store, identity)
    for line in ["/start", "=caller:child", "=topic:family", "=safety:yes"]:
        out = await send(turns, line)
    assert out.state.step == "age"
    for line in ["/start", "=caller:child", "=topic:psychological", "=skip"]:
        out = await send(turns, line, address="other")
    assert out.state.step == "age"
    async with store.transaction() as repos:
        assert await repos.cases.list() == []


async def test_no_safety_question_for_school_or_for_adults(
    store: Store, identity: Identity
) -> None:
    turns = service(store, identity)
    for line in ["/start", "=caller:child", "=topic:education"]:
        out = await send(turns, line)
    assert out.state.step == "age"
    for line in ["/start", "=caller:parent", "=topic:abuse"]:
        out = await send(turns, line, address="parent")
    assert out.state.step == "age"


# Issue 11, finding 12: an over-long message is read whole for crisis first.
async def test_a_crisis_at_the_end_of_a_very_long_message_is_found(
    store: Store, identity: Identity
) -> None:
    turns = service(store, identity)
    await send(turns, "/start")
    await send(turns, "=caller:child")
    filler = "Мы с классом ходили в музей, потом ели мороженое в парке. " * 170
    text = filler + " Я больше не хочу жить, сегодня ночью я это сделаю."
    assert len(text) > 9000
    out = await send(turns, text)
    assert out.state.step == "crisis"
    async with store.transaction() as repos:
        (case,) = await repos.cases.list()
        assert case.urgency == "crisis"


def test_pieces_cover_the_whole_text_and_overlap() -> None:
    text = " ".join(f"w{i}" for i in range(5000))
    parts = pieces(text, size=1000, overlap=100)
    assert all(len(p) <= 1000 for p in parts)
    assert parts[0].startswith("w0 ") and parts[-1].endswith("w4999")
    for before, after in pairwise(parts):
        assert before[-50:] in after  # a sentence cut in two is also read whole


# Issue 11, finding 13: /forget keeps the language the user chose.
async def test_forget_keeps_the_chosen_language(store: Store, identity: Identity) -> None:
    turns = service(store, identity)
    for line in ["/start", "=lang:kk", "=caller:child", "/forget"]:
        out = await send(turns, line)
    assert out.language == "kk"
    out = await send(turns, "/start")
    assert out.state.language == "kk" and out.state.caller is None
    assert render(Msg(t.GREETING), "kk") == render(out.reply.messages[0], "kk")


# Issue 9, item 4: a short message never switches the language; a long, sure one does.
SHORT: dict[Language, list[str]] = {
    "ru": [
        "они отбирают телефон", "мне грустно", "помоги мне", "да", "нет", "не знаю",
        "меня бьют", "норм", "блин", "лол", "в школе травля", "я одна",
        "никто не слышит", "хочу поговорить", "можно вопрос", "привет", "спасибо", "ок",
        "брат дерётся", "учитель кричит", "мне 12", "алименты не платят", "ребенок плачет",
        "не могу спать", "мне страшно", "всё плохо", "сестра болеет", "денег нет",
        "ушла из дома", "меня обзывают",
    ],
    "kk": [
        "телефонымды тартып алады", "маған мұңды", "көмектесші", "иә", "жоқ", "білмеймін",
        "мені ұрады", "мама", "ага", "алло", "интернет",
        "жалғызбын", "ешкім тыңдамайды", "сөйлескім келеді", "сұрақ бар", "сәлем",
        "рақмет", "жарайды", "ағам төбелеседі", "мұғалім ұрсады", "он екі жаста",
        "алимент төлемейді", "бала жылайды", "ұйықтай алмаймын", "қорқып жүрмін",
        "бәрі жаман", "қарындасым ауырады", "ақша жоқ", "үйден кеттім", "мені мазақтайды",
    ],
    "en": [
        "they take my phone", "i feel sad", "help me please", "yes", "no", "i dont know",
        "he hits me", "k", "ya", "bye", "ty",
        "i am alone", "nobody listens", "want to talk", "a question", "hi", "thanks",
        "ok", "my brother fights", "teacher shouts", "i am 12", "no child support",
        "baby is crying", "cant sleep", "so scared", "everything is bad", "sister is sick",
        "mama", "ran away", "they call me names",
    ],
}  # fmt: skip
LONG: dict[Language, str] = {
    "ru": "Здравствуйте, у меня вопрос про алименты: отец ребёнка не платит уже год, "
    "что нам делать?",
    "kk": "Сәлеметсіз бе, менің балам мектепке барғысы келмейді, сыныптастары оны "
    "мазақтайды, не істеу керек?",
    "en": "Hello, my daughter does not want to go to school because the other kids laugh at "
    "her, what should we do?",
}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
async def test_short_messages_never_switch_the_language(
    store: Store, identity: Identity, lang: Language
) -> None:
    """The dialog's language comes from the phone (Telegram's language_code), not a choice
    the user made, so nothing but the switching rule protects it."""
    assert len(SHORT[lang]) == 30
    turns = service(store, identity)
    out = await send(turns, "/start", platform=lang)
    assert (out.state.language, out.state.language_source) == (lang, "platform")
    for text in SHORT[lang]:
        out = await send(turns, text, platform=lang)
        assert out.state.language == lang, text


@pytest.mark.parametrize(("start", "other"), [("ru", "kk"), ("kk", "en"), ("en", "ru")])
async def test_a_long_sure_message_in_another_language_switches_it(
    store: Store, identity: Identity, start: Language, other: Language
) -> None:
    turns = TurnService(
        store, real_classifier(), identity, FixedDuty(False), default_language=start
    )
    await send(turns, "/start")
    out = await send(turns, "=caller:parent")
    assert out.state.language == start
    out = await send(turns, LONG[other])
    assert out.state.language == other


async def test_the_users_own_choice_is_never_overridden(store: Store, identity: Identity) -> None:
    turns = service(store, identity)
    for line in ["/start", "=lang:en", "=caller:parent"]:
        await send(turns, line)
    out = await send(turns, LONG["ru"])
    assert out.state.language == "en"
