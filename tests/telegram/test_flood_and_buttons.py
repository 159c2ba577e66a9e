"""Flood control (a crisis always passes), callback data size, keyboard layout, button presses."""

from __future__ import annotations

import html

from aiogram.methods import EditMessageText

from bot.dialogs import menus
from bot.dialogs import texts as t
from bot.dialogs.model import State
from bot.dialogs.prompts import choices_for
from bot.handlers import texts as ht
from bot.handlers.render import MAX_CALLBACK_BYTES, keyboard, pack_choice
from bot.i18n import gettext
from bot.telegram.ratelimit import TokenBuckets

from .conftest import Telegram

KID = 888001


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_refills() -> None:
    clock = Clock()
    buckets = TokenBuckets(rate=20, per=60, burst=8, clock=clock)
    assert [buckets.allow("a") for _ in range(9)] == [True] * 8 + [False]
    assert buckets.allow("b")  # another user has their own bucket
    clock.now += 3.0  # 20 a minute: one token every 3 s
    assert buckets.allow("a") and not buckets.allow("a")
    assert buckets.should_notice("a") and not buckets.should_notice("a")
    clock.now += 60
    assert buckets.should_notice("a")


async def test_over_the_limit_dropped_with_one_notice_but_crisis_passes(tg: Telegram) -> None:
    tg.channel.buckets = TokenBuckets(rate=1, per=3600, burst=2)
    await tg.say(KID, "/start")
    await tg.say(KID, "hello")
    replies = len(tg.bot.session.texts())
    for _ in range(3):
        await tg.say(KID, "hello again")
    notices = [x for x in tg.bot.session.texts() if x == gettext(ht.SLOW_DOWN, "en")]
    assert len(notices) == 1 and len(tg.bot.session.texts()) == replies + 1

    seen_before = len(tg.app.turns.classifier.seen)  # type: ignore[attr-defined]
    await tg.say(KID, "I want to die")
    assert gettext(t.SAFETY, "en").split("\n")[0] in tg.bot.session.texts()[-1]
    # classified once, by the flood check; the turn reused that verdict
    assert tg.app.turns.classifier.seen[seen_before:] == ["I want to die"]  # type: ignore[attr-defined]
    async with tg.app.store.transaction() as repos:
        (case,) = await repos.cases.list()
        assert case.urgency == "crisis"


def test_every_callback_data_is_short_and_holds_only_the_choice_id() -> None:
    steps = ["caller", "topic", "topic_confirm", "age", "gender", "region", "service", "route"]
    states = [State(step=s, guesses=["family", "education"]) for s in steps]  # type: ignore[arg-type]
    states += [State(step="topic_group", topic_group=g) for g in menus.TOPIC_GROUPS]
    states.append(State(step="callback_slot", offered_slots=["20261201-12-15", "20261231-18-21"]))
    for later in ("callback_language", "callback_confirm", "callback_change", "callback_pending"):
        states.append(State(step=later))  # type: ignore[arg-type]
    states.append(State(step="caller", lang_menu=True))
    for state in states:
        for choice in choices_for(state):
            packed = pack_choice(choice.id)
            assert packed == "c|" + choice.id
            assert len(packed.encode()) < MAX_CALLBACK_BYTES


def test_keyboard_layout_help_now_last_regions_in_two_columns() -> None:
    markup = keyboard(choices_for(State(step="region")), "ru")
    assert markup is not None
    rows = markup.inline_keyboard
    assert [b.callback_data for b in rows[-1]] == ["c|help_now"]
    assert all(len(row) == 2 for row in rows[:10])
    caller = keyboard(choices_for(State(step="caller")), "kk")
    assert caller is not None
    assert [b.callback_data for b in caller.inline_keyboard[-2]] == [
        "c|lang:kk",
        "c|lang:ru",
        "c|lang:en",
    ]


async def test_pressing_a_button_marks_the_menu_and_asks_next(tg: Telegram) -> None:
    await tg.say(KID, "/start")
    menu = tg.bot.session.sent()[-1]
    label = next(
        b.text
        for row in menu.reply_markup.inline_keyboard
        for b in row
        if b.callback_data == "c|caller:child"
    )
    await tg.press(KID, "c|caller:child", menu)
    (edit,) = tg.bot.session.sent(EditMessageText)
    assert edit.text.endswith("✓ " + html.escape(label)) and edit.reply_markup is None
    assert gettext(t.ASK_TOPIC_CHILD, "en") in tg.bot.session.texts()[-1]
