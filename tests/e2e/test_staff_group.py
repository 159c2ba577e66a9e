"""The staff side end to end: the real bot process, the emulator, a staff supergroup.

A crisis produces a card; staff claim it; replies go both ways without names; closing writes
the intake record and tells the person. Also: taken cases, release, stray buttons, faults,
and a search for identifiers in cards, logs and every database column.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from bot.dialogs import texts as t
from bot.i18n import gettext
from bot.staff import texts as st
from tests.telegram.bot_process import BotProcess

from .emulator import BOT_TOKEN, BotMessage, Emulator, User
from .emulator_server import EmulatorServer
from .staff_helpers import COORDINATOR_CHAT, STAFF_CHAT, card_of, data, press_when_shown

CRISIS = {
    "kk": "өгей әкем мені белбеумен сабайды, үйге барғым келмейді",
    "ru": "отчим снова избил меня, мне страшно идти домой",
    "en": "my stepdad hits me every night and I am scared to go home",
}
STAFF_LANG = "ru"


@pytest.fixture(scope="module")
def bot(
    emulator_server: EmulatorServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotProcess]:
    env = {
        "HELPLINE_STAFF_CHAT_ID": str(STAFF_CHAT),
        "HELPLINE_COORDINATOR_CHAT_ID": str(COORDINATOR_CHAT),
        "HELPLINE_STAFF_LANGUAGE": STAFF_LANG,
        # the emulator has no flood limits; the limiter itself is tested in test_rate_limiter
        "HELPLINE_TELEGRAM_GROUP_PER_MINUTE": "600",
    }
    proc = BotProcess(emulator_server.api_url, BOT_TOKEN, tmp_path_factory.mktemp("staff"), env)
    proc.start()
    try:
        proc.wait_until("polling", lambda: proc.emulator_get("/test/calls?method=getUpdates"))
        yield proc
    finally:
        assert proc.stop() == 0, proc.log()


def staff_text(key: str) -> str:
    return gettext(key, STAFF_LANG)


async def open_crisis(bot: BotProcess, emulator: Emulator, user: User, text: str) -> int:
    sent = await emulator.send_text(user, text)
    await emulator.wait_for_message(user.id, lambda m: "112" in (m.text or ""), after=sent)
    conv = bot.conversation(user.id)
    assert conv is not None
    (case,) = bot.query("SELECT id FROM cases WHERE conversation_id = ?", conv["id"])
    return int(case["id"])


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
async def test_crisis_card_claim_relay_close(
    bot: BotProcess, emulator: Emulator, lang: str
) -> None:
    user = User(id=51000 + ord(lang[0]), first_name="Zhuldyzay", language_code=lang)
    staff = User(id=71000 + ord(lang[0]), first_name="Aigerim", username="aigerim_staff")
    case_id = await open_crisis(bot, emulator, user, CRISIS[lang])

    card = await card_of(emulator, case_id)
    assert data("claim", case_id) in card.callback_data
    assert staff_text(st.URGENCY_CRISIS) in (card.text or "")
    assert CRISIS[lang].split()[0] in (card.text or "")  # the message, masked, on the card

    await press_when_shown(emulator, staff, case_id, "claim")
    joined = await emulator.wait_for_message(
        user.id, lambda m: gettext(t.STAFF_JOINED, lang) in (m.text or "")
    )
    claimed = await emulator.wait_for_message(
        STAFF_CHAT,
        lambda m: m.message_id == card.message_id and data("release", case_id) in m.callback_data,
    )
    assert "Aigerim" not in (claimed.text or "")

    reply = await emulator.group_send(
        STAFF_CHAT, staff, "Я рядом. Ты сейчас в безопасности?", reply_to=card.message_id
    )
    relayed = await emulator.wait_for_message(
        user.id, lambda m: "Я рядом" in (m.text or ""), after=joined.message_id
    )
    assert relayed.text == "Я рядом. Ты сейчас в безопасности?"
    assert reply["message_id"] != relayed.message_id

    await emulator.send_text(user, "да, я у бабушки")
    posted = await emulator.wait_for_message(
        STAFF_CHAT, lambda m: "да, я у бабушки" in (m.text or "")
    )
    assert f"#{case_id}" in (posted.text or "")

    await press_when_shown(emulator, staff, case_id, "close")
    await press_when_shown(emulator, staff, case_id, "cat", "family")
    await press_when_shown(emulator, staff, case_id, "catnext")
    await press_when_shown(emulator, staff, case_id, "svc", "psychological")
    await press_when_shown(emulator, staff, case_id, "out", "consulted")
    await press_when_shown(emulator, staff, case_id, "profdone")
    await emulator.wait_for_message(
        user.id, lambda m: gettext(t.CASE_CLOSED, lang).split(".")[0] in (m.text or "")
    )
    closed = await emulator.wait_for_message(
        STAFF_CHAT, lambda m: m.message_id == card.message_id and not m.callback_data
    )
    assert staff_text(st.OUTCOME_CONSULTED) in (closed.text or "")

    (case,) = bot.query("SELECT * FROM cases WHERE id = ?", case_id)
    assert (case["status"], case["outcome"], case["routing_enc"]) == ("closed", "consulted", None)
    (intake,) = bot.query("SELECT * FROM intake_records WHERE id = ?", case["intake_id"])
    assert (intake["urgency"], intake["service"], intake["outcome"]) == (
        "crisis",
        "psychological",
        "consulted",
    )
    categories = bot.query("SELECT slug FROM intake_categories WHERE intake_id = ?", intake["id"])
    assert "family" in [c["slug"] for c in categories] and intake["time_to_claim_s"] is not None
    for message in await emulator.bot_messages(user.id):
        assert "Aigerim" not in (message.text or "") and "aigerim" not in (message.text or "")


async def test_quick_messages_reach_the_case_in_the_order_they_were_sent(
    bot: BotProcess, emulator: Emulator
) -> None:
    """A child typing fast: every message reaches staff, once, in the order it was typed."""
    user = User(id=52501, first_name="Dana", language_code="ru")  # ids unique in this module
    staff = User(id=72501, first_name="Aigerim", username="aigerim_staff")
    case_id = await open_crisis(bot, emulator, user, CRISIS["ru"])
    await press_when_shown(emulator, staff, case_id, "claim")
    await emulator.wait_for_message(
        user.id, lambda m: gettext(t.STAFF_JOINED, "ru") in (m.text or "")
    )

    words = ["первое", "второе", "третье", "четвёртое", "пятое", "шестое"]
    for word in words:  # no waiting in between: they arrive in one batch of updates
        await emulator.send_text(user, f"сообщение {word}")
    relay_head = staff_text(st.FROM_USER).format(number=case_id)  # not the card, which
    # also shows the newest messages

    def relayed(m: BotMessage) -> bool:
        return (m.text or "").startswith(relay_head)

    await emulator.wait_for_message(
        STAFF_CHAT,
        lambda m: relayed(m) and f"сообщение {words[-1]}" in (m.text or ""),
        timeout=15.0,
    )
    posted = [
        word
        for m in await emulator.bot_messages(STAFF_CHAT)
        for word in words
        if relayed(m) and f"сообщение {word}" in (m.text or "")
    ]
    assert posted == words


async def test_second_claim_is_refused_and_release_requeues(
    bot: BotProcess, emulator: Emulator
) -> None:
    user = User(id=52001, language_code="ru")
    first, second = User(id=72001, first_name="A"), User(id=72002, first_name="B")
    case_id = await open_crisis(bot, emulator, user, CRISIS["ru"])
    await press_when_shown(emulator, first, case_id, "claim")
    card = await emulator.wait_for_message(
        STAFF_CHAT, lambda m: data("release", case_id) in m.callback_data
    )
    query_id = await emulator.group_press(STAFF_CHAT, second, card, data("release", case_id))
    answers = {a["callback_query_id"]: a for a in await emulator.callback_answers()}
    for _ in range(50):
        if query_id in answers:
            break
        await asyncio.sleep(0.05)
        answers = {a["callback_query_id"]: a for a in await emulator.callback_answers()}
    refusal = answers[query_id]
    assert refusal.get("show_alert") is True
    (case,) = bot.query("SELECT * FROM cases WHERE id = ?", case_id)
    assert case["status"] == "claimed"

    await emulator.group_press(STAFF_CHAT, first, card, data("release", case_id))
    requeued = await emulator.wait_for_message(
        STAFF_CHAT,
        lambda m: m.message_id == card.message_id and data("claim", case_id) in m.callback_data,
    )
    assert staff_text(st.CARD_STATUS_OPEN) in (requeued.text or "")
    query_id = await emulator.group_press(STAFF_CHAT, second, requeued, data("claim", case_id))
    await emulator.wait_for_message(
        STAFF_CHAT,
        lambda m: m.message_id == card.message_id and data("release", case_id) in m.callback_data,
    )
    (case,) = bot.query("SELECT * FROM cases WHERE id = ?", case_id)
    assert case["status"] == "claimed"
    actions = [
        r["action"] for r in bot.query("SELECT action FROM audit_log WHERE case_id = ?", case_id)
    ]
    assert actions == ["claim", "release", "claim"]


async def test_second_person_pressing_claim_is_told_it_is_taken(
    bot: BotProcess, emulator: Emulator
) -> None:
    user = User(id=52101, language_code="en")
    first, second = User(id=72101), User(id=72102)
    case_id = await open_crisis(bot, emulator, user, CRISIS["en"])
    card = await card_of(emulator, case_id)
    await emulator.group_press(STAFF_CHAT, first, card, data("claim", case_id))
    await emulator.wait_for_message(
        STAFF_CHAT,
        lambda m: m.message_id == card.message_id and data("release", case_id) in m.callback_data,
    )
    query_id = await emulator.press(
        second, card, data("claim", case_id), chat_id=STAFF_CHAT, force=True
    )
    for _ in range(100):
        answers = {a["callback_query_id"]: a for a in await emulator.callback_answers()}
        if query_id in answers:
            break
        await asyncio.sleep(0.05)
    taken = answers[query_id]
    assert taken.get("show_alert") is True and f"#{case_id}" in taken.get("text", "")


async def test_staff_buttons_outside_the_staff_group_do_nothing(
    bot: BotProcess, emulator: Emulator
) -> None:
    user = User(id=52201, language_code="en")
    case_id = await open_crisis(bot, emulator, user, CRISIS["en"])
    await card_of(emulator, case_id)
    mine = await emulator.last_bot_message(user.id)
    assert mine is not None
    query_id = await emulator.press(user, mine, data("claim", case_id), force=True)
    for _ in range(100):
        answers = {a["callback_query_id"]: a for a in await emulator.callback_answers()}
        if query_id in answers:
            break
        await asyncio.sleep(0.05)
    assert not answers[query_id].get("text")
    other_group = -1001111111111  # a group the bot is in, but not the staff group
    await emulator.send_update(
        {
            "callback_query": {
                "id": "stray-1",
                "from": {"id": user.id, "is_bot": False, "first_name": "X"},
                "chat_instance": "stray",
                "data": data("claim", case_id),
                "message": {
                    "message_id": 1,
                    "date": 0,
                    "chat": {"id": other_group, "type": "supergroup", "title": "other"},
                    "text": "a card someone copied",
                },
            }
        }
    )
    await emulator.wait_for_call(
        "answerCallbackQuery", lambda c: c["params"].get("callback_query_id") == "stray-1"
    )
    (case,) = bot.query("SELECT status FROM cases WHERE id = ?", case_id)
    assert case["status"] == "open"
    assert bot.query("SELECT * FROM audit_log WHERE case_id = ?", case_id) == []


async def test_duty_roster_and_honest_no_one_on_shift(bot: BotProcess, emulator: Emulator) -> None:
    staff = User(id=72301, first_name="Dana")
    await emulator.group_command(STAFF_CHAT, staff, "/who")
    await emulator.wait_for_message(
        STAFF_CHAT, lambda m: staff_text(st.WHO_NOBODY) in (m.text or "")
    )
    user = User(id=52301, language_code="en")
    sent = await emulator.send_text(user, "I want to kill myself")
    await emulator.wait_for_message(
        user.id,
        lambda m: gettext(t.NOBODY_ON_DUTY_CRISIS, "en")[:30] in (m.text or ""),
        after=sent,
    )
    await emulator.wait_for_message(COORDINATOR_CHAT, lambda m: "#" in (m.text or ""))

    await emulator.group_command(STAFF_CHAT, staff, "/duty", "on")
    on_duty = gettext(st.DUTY_ON, STAFF_LANG).split("}", 1)[1]
    confirmed = await emulator.wait_for_message(STAFF_CHAT, lambda m: on_duty in (m.text or ""))
    assert "Dana" not in (confirmed.text or "")  # staff appear by alias only
    other = User(id=52302, language_code="en")
    sent = await emulator.send_text(other, "I want to kill myself")
    safety = await emulator.wait_for_message(
        other.id, lambda m: "112" in (m.text or ""), after=sent
    )
    await asyncio.sleep(0.3)
    texts = [m.text or "" for m in await emulator.bot_messages(other.id)]
    assert not any(gettext(t.NOBODY_ON_DUTY_CRISIS, "en")[:30] in x for x in texts), safety
    await emulator.group_command(STAFF_CHAT, staff, "/cases")
    await emulator.wait_for_message(
        STAFF_CHAT, lambda m: "#" in (m.text or "") and "·" in (m.text or "")
    )
    await emulator.group_command(STAFF_CHAT, staff, "/duty", "off")


async def test_cards_survive_429_and_500_once_each_in_order(
    bot: BotProcess, emulator: Emulator
) -> None:
    await emulator.inject_fault("sendMessage", "429", count=2, retry_after=1, chat_id=STAFF_CHAT)
    await emulator.inject_fault("sendMessage", "500", count=4, chat_id=STAFF_CHAT)
    await emulator.inject_fault("editMessageText", "500", count=2, chat_id=STAFF_CHAT)
    users = [User(id=53000 + i, language_code="ru") for i in range(3)]
    cases = [await open_crisis(bot, emulator, u, CRISIS["ru"]) for u in users]
    for u in users:  # a second message per case: an edit (or relay) queued behind the card
        await emulator.send_text(u, "пожалуйста помогите")
    for case_id in cases:
        await emulator.wait_for_message(
            STAFF_CHAT,
            lambda m, c=case_id: f"#{c} ·" in (m.text or "") and "пожалуйста" in (m.text or ""),
            timeout=30,
        )
    messages = await emulator.bot_messages(STAFF_CHAT)
    for case_id in cases:
        cards = [
            m
            for m in messages
            if (m.text or "")
            .split("\n", 1)[0]
            .endswith(f"#{case_id} · " + staff_text(st.URGENCY_CRISIS))
        ]
        assert len(cards) == 1, [m.text for m in cards]
    bot.wait_until(
        "outbox drained",
        lambda: not bot.query("SELECT id FROM outbox WHERE status = 'pending'"),
        timeout=30,
    )
    rows = bot.query(
        "SELECT case_id, kind, target, status, sent_at FROM outbox"
        " WHERE case_id IN (?, ?, ?) ORDER BY id",
        *cases,
    )
    assert all(r["status"] == "sent" for r in rows if r["kind"] == "card")
    statuses = [(r["kind"], r["status"]) for r in rows]
    assert all(s in ("sent", "skipped") for _, s in statuses), str(statuses)  # skipped: later edit
    for case_id in cases:  # in order per case: what was queued first went out first
        sent = [r["sent_at"] for r in rows if r["case_id"] == case_id and r["target"] == "staff"]
        assert sent == sorted(sent)
    failed = await emulator.calls("sendMessage")
    assert any(c.get("fault") for c in failed)  # the faults really happened


async def test_no_identifier_in_cards_logs_or_database(
    bot: BotProcess, emulator: Emulator
) -> None:
    user = User(
        id=987654321,
        first_name="Zhuldyzay",
        last_name="Nurlanqyzy",
        username="zhuldyz_2011",
        language_code="ru",
    )
    case_id = await open_crisis(
        bot, emulator, user, "меня бьёт отчим, мой номер +7 701 765 43 21, пишите zhuldyz@mail.kz"
    )
    card = await card_of(emulator, case_id)
    await emulator.send_text(user, "я Жулдызай, живу на ул. Абая 12, кв 5")
    await emulator.wait_for_message(
        STAFF_CHAT, lambda m: m.message_id == card.message_id and "[address]" in (m.text or "")
    )
    needles = [
        "987654321",
        "Zhuldyzay",
        "Nurlanqyzy",
        "zhuldyz_2011",
        "7017654321",
        "701 765 43 21",
        "zhuldyz@mail.kz",
        "Абая 12",
    ]
    staff_texts = [m.text or "" for m in await emulator.bot_messages(STAFF_CHAT)]
    for needle in needles:
        assert not any(needle in x for x in staff_texts), needle
        assert needle not in bot.log(), needle
    tables = [r["name"] for r in bot.query("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        for row in bot.query(f"SELECT * FROM {table}"):
            for column, value in dict(row).items():
                for needle in needles:
                    assert needle not in str(value), f"{needle} in {table}.{column}"


async def test_forum_topic_relays_text_photo_and_voice(
    bot: BotProcess, emulator: Emulator
) -> None:
    """When the staff group is a forum, a claimed case gets its own topic; everything written
    there reaches the person, media copied so that no staff name travels with it."""
    user = User(id=52401, language_code="ru")
    staff = User(id=72401, first_name="Saule")
    case_id = await open_crisis(bot, emulator, user, CRISIS["ru"])
    await press_when_shown(emulator, staff, case_id, "claim")
    bot.wait_until(
        "topic", lambda: bot.query("SELECT thread_id FROM cases WHERE id = ?", case_id)[0][0]
    )
    (row,) = bot.query("SELECT thread_id FROM cases WHERE id = ?", case_id)
    thread = int(row["thread_id"])
    forum = emulator.group_chat(STAFF_CHAT, forum=True)
    await emulator.send_text(staff, "Я здесь, расскажи", chat=forum, thread_id=thread)
    await emulator.wait_for_message(user.id, lambda m: m.text == "Я здесь, расскажи")
    await emulator.send_photo(staff, chat=forum, thread_id=thread)
    await emulator.send_voice(staff, chat=forum, thread_id=thread)
    copies = await emulator.wait_for_call(
        "copyMessage", lambda c: int(c["params"]["chat_id"]) == user.id
    )
    assert int(copies["params"]["from_chat_id"]) == STAFF_CHAT
    await emulator.send_text(user, "мне страшно выходить из комнаты")
    posted = await emulator.wait_for_message(
        STAFF_CHAT, lambda m: "выходить из комнаты" in (m.text or "")
    )
    assert posted.message_thread_id == thread  # the person's words land in the case's topic
    for _ in range(40):
        calls = await emulator.calls("copyMessage")
        if len([c for c in calls if int(c["params"]["chat_id"]) == user.id]) == 2:
            break
        await asyncio.sleep(0.1)
    assert len([c for c in calls if int(c["params"]["chat_id"]) == user.id]) == 2
