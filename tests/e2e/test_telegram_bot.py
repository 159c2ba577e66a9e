"""The real bot (a subprocess running `python -m bot run`) against the Telegram emulator.

One bot process serves the whole module; each test acts as its own user, so conversations
never mix. Texts are checked against the catalogs, state against the bot's SQLite file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.dialogs import callback_texts as ct
from bot.dialogs import texts as t
from bot.dialogs.model import Msg
from bot.dialogs.register import for_child
from bot.handlers import texts as ht
from bot.i18n import gettext, render
from tests.telegram.bot_process import BotProcess

from .emulator import BOT_TOKEN, BotMessage, Emulator, User
from .emulator_server import EmulatorServer

LANGS = {"kk": "kk", "ru": "ru-RU", "en": "en"}
CRISIS = {"kk": "Өлгім келеді", "ru": "хочу умереть", "en": "I want to die"}
STAFF_CHAT = -1001234567890


@pytest.fixture(scope="module")
def bot(
    emulator_server: EmulatorServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotProcess]:
    staff = {"HELPLINE_STAFF_CHAT_ID": str(STAFF_CHAT)}
    proc = BotProcess(emulator_server.api_url, BOT_TOKEN, tmp_path_factory.mktemp("bot"), staff)
    proc.start()
    try:
        proc.wait_until("polling", lambda: proc.emulator_get("/test/calls?method=getUpdates"))
        # getUpdates calls of an earlier module's bot can satisfy the wait above (the log is
        # reset per test, not per module), so wait for this bot's command menus as well.
        proc.startup_commands = proc.wait_until(  # type: ignore[attr-defined]
            "commands",
            lambda: found if len(found := proc.emulator_get("/test/commands")) >= 4 else None,
        )
        yield proc
    finally:
        code = proc.stop()
        assert code == 0, f"bot did not stop cleanly ({code}):\n{proc.log()}"


def text_of(key: str, lang: str, child: bool = False) -> str:
    """A text as the reader sees it: `child` gives a child's register of it."""
    return render(for_child(Msg(key)), lang) if child else gettext(key, lang)


async def reply_to(emulator: Emulator, user: User, after: Any, contains: str) -> BotMessage:
    return await emulator.wait_for_message(
        user.id, lambda m: contains in (m.text or ""), after=after, timeout=8
    )


async def press(emulator: Emulator, user: User, menu: BotMessage, choice: str) -> None:
    await emulator.press(user, menu, f"c|{choice}")


async def step_through(
    emulator: Emulator, user: User, menu: BotMessage, choice: str, expect: str
) -> BotMessage:
    """Press a button; the answered menu shows ✓ and loses its keyboard; the next one comes."""
    label = next(b["text"] for b in menu.buttons if b["callback_data"] == f"c|{choice}")
    await press(emulator, user, menu, choice)
    nxt = await reply_to(emulator, user, menu.message_id, expect)
    answered = await emulator.wait_for_message(
        user.id, lambda m: m.message_id == menu.message_id and m.reply_markup is None
    )
    assert (answered.text or "").endswith("✓ " + label)
    return nxt


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
async def test_routine_triage_by_buttons(bot: BotProcess, emulator: Emulator, lang: str) -> None:
    user = User(id=1000 + len(lang) * 7 + ord(lang[0]), language_code=LANGS[lang])
    start = await emulator.send_command(user, "/start", "school7")
    menu = await reply_to(emulator, user, start, text_of(t.ASK_CALLER, lang))
    assert text_of(t.GREETING, lang).split("\n")[0] in (menu.text or "")
    assert menu.callback_data[-1] == "c|help_now"
    assert len(menu.reply_markup["inline_keyboard"][-1]) == 1  # type: ignore[index]

    for choice, question in [
        ("caller:child", t.ASK_TOPIC_CHILD),
        ("topic:education", t.ASK_AGE_CHILD),
        ("age:10-12", t.ASK_GENDER_CHILD),
        ("gender:girl", t.ASK_REGION),
    ]:
        menu = await step_through(emulator, user, menu, choice, text_of(question, lang, True))
    assert len(menu.reply_markup["inline_keyboard"][0]) == 2  # type: ignore[index]
    final = await step_through(
        emulator, user, menu, "region:almaty", text_of(t.TIPS_HEADER_CHILD, lang)
    )
    # self-help, then where else to turn: the directory's lines for the topic and region
    assert text_of(ct.REFERRALS_HEADER, lang) in (final.text or "")
    assert "150" in (final.text or "") and "111" in (final.text or "")

    conv = bot.conversation(user.id)
    assert conv is not None and conv["state"]["step"] == "message"
    (intake,) = bot.query("SELECT * FROM intake_records WHERE id = ?", conv["intake_id"])
    assert (intake["language"], intake["caller"], intake["region"]) == (lang, "child", "almaty")
    assert (intake["age_band"], intake["gender"], intake["source"]) == ("10-12", "girl", "school7")
    categories = bot.query("SELECT slug FROM intake_categories WHERE intake_id = ?", intake["id"])
    assert [c["slug"] for c in categories] == ["education"] and intake["outcome"] == "referred"


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
async def test_crisis_gets_safety_message_and_case(
    bot: BotProcess, emulator: Emulator, lang: str
) -> None:
    user = User(id=2000 + ord(lang[0]) + ord(lang[1]), language_code=LANGS[lang])
    sent = await emulator.send_text(user, CRISIS[lang])
    safety = await reply_to(emulator, user, sent, "112")
    for number in ("112", "150", "111"):
        assert number in (safety.text or "")
    assert text_of(t.SAFETY, lang).split("\n")[0] in (safety.text or "")
    conv = bot.conversation(user.id)
    assert conv is not None and conv["state"]["step"] == "crisis"
    (case,) = bot.query("SELECT * FROM cases WHERE conversation_id = ?", conv["id"])
    assert (case["urgency"], case["status"], case["channel"]) == ("crisis", "open", "telegram")
    card = await emulator.wait_for_message(
        STAFF_CHAT, lambda m: f"#{case['id']}" in (m.text or ""), timeout=3
    )
    assert CRISIS[lang] in (card.text or "")  # the escalation card reached the staff group
    assert str(user.id) not in (card.text or "") and "Test" not in (card.text or "")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
async def test_safety_question_danger_opens_a_crisis_case_and_card(
    bot: BotProcess, emulator: Emulator, lang: str
) -> None:
    """Issue 9: "are you safe right now?" for a child who chose a bullying topic; "No, I am in
    danger" is a crisis: the safety message, a crisis case and the card in the staff group."""
    user = User(id=3000 + ord(lang[0]) + ord(lang[1]), language_code=LANGS[lang])
    start = await emulator.send_command(user, "/start")
    menu = await reply_to(emulator, user, start, text_of(t.ASK_CALLER, lang))
    menu = await step_through(
        emulator, user, menu, "caller:child", text_of(t.ASK_TOPIC_CHILD, lang)
    )
    menu = await step_through(
        emulator, user, menu, "topic:bullying", text_of(t.ASK_SAFETY_CHILD, lang)
    )
    assert [b["callback_data"] for b in menu.buttons][:3] == [
        "c|safety:yes",
        "c|safety:danger",
        "c|safety:self_harm",
    ]
    safety = await step_through(emulator, user, menu, "safety:danger", "112")
    assert text_of(t.SAFETY_CHILD, lang).split("\n")[0] in (safety.text or "")
    conv = bot.conversation(user.id)
    assert conv is not None and conv["state"]["step"] == "crisis"
    (case,) = bot.query("SELECT * FROM cases WHERE conversation_id = ?", conv["id"])
    assert (case["urgency"], case["reason"], case["status"]) == ("crisis", "safety", "open")
    card = await emulator.wait_for_message(
        STAFF_CHAT, lambda m: f"#{case['id']}" in (m.text or ""), timeout=5
    )
    assert str(user.id) not in (card.text or "")


async def test_lang_new_and_forget(bot: BotProcess, emulator: Emulator) -> None:
    user = User(id=3001, language_code="ru")
    sent = await emulator.send_command(user, "/start")
    await reply_to(emulator, user, sent, text_of(t.ASK_CALLER, "ru"))
    sent = await emulator.send_command(user, "/lang")
    menu = await reply_to(emulator, user, sent, text_of(t.CHOOSE_LANGUAGE, "ru"))
    assert menu.callback_data[:3] == ["c|lang:kk", "c|lang:ru", "c|lang:en"]
    await step_through(emulator, user, menu, "lang:kk", text_of(t.LANGUAGE_SET, "kk"))
    conv = bot.conversation(user.id)
    assert conv is not None and conv["language"] == "kk"

    sent = await emulator.send_text(user, "мектеп")
    await reply_to(emulator, user, sent, text_of(t.THANKS_TOPIC, "kk"))
    sent = await emulator.send_command(user, "/new")
    await reply_to(emulator, user, sent, text_of(t.STARTING_OVER, "kk"))
    conv = bot.conversation(user.id)
    assert conv is not None and conv["state"]["step"] == "caller"
    assert conv["state"]["category"] is None and conv["language"] == "kk"

    sent = await emulator.send_command(user, "/forget")
    await reply_to(emulator, user, sent, text_of(t.FORGOTTEN, "kk"))
    conv = bot.conversation(user.id)  # erased; only the chosen language is kept (issue 11)
    assert conv is not None and conv["language"] == "kk" and conv["intake_id"] is None
    assert conv["state"]["step"] == "new" and conv["state"]["caller"] is None


async def test_clear_deletes_bot_and_user_messages(bot: BotProcess, emulator: Emulator) -> None:
    user = User(id=3002, language_code="en")
    sent = await emulator.send_command(user, "/start")
    await reply_to(emulator, user, sent, text_of(t.ASK_CALLER, "en"))
    sent = await emulator.send_text(user, "hello")
    await emulator.wait_for_messages(user.id, 2)
    clear = await emulator.send_command(user, "/clear")
    await emulator.wait_for_call("deleteMessages")
    deleted = {(d["message_id"], d["was_bot_message"]) for d in await emulator.deletions(user.id)}
    everything = await emulator.bot_messages(user.id, include_user=True)
    assert {(m.message_id, m.from_bot) for m in everything} == deleted
    assert (clear["message_id"], False) in deleted and (sent["message_id"], False) in deleted
    assert any(from_bot for _, from_bot in deleted)
    assert all(m.deleted for m in await emulator.bot_messages(user.id, include_user=True))
    assert (
        bot.query("SELECT * FROM chat_messages WHERE pseudonym = ?", bot.pseudonym(user.id)) == []
    )


@pytest.mark.parametrize("kind", ["sticker", "photo"])
async def test_media_gets_short_answer_step_unchanged(
    bot: BotProcess, emulator: Emulator, kind: str
) -> None:
    user = User(id=3100 + len(kind), language_code="kk")
    sent = await emulator.send_command(user, "/start")
    await reply_to(emulator, user, sent, text_of(t.ASK_CALLER, "kk"))
    media = await (emulator.send_sticker(user) if kind == "sticker" else emulator.send_photo(user))
    answer = await reply_to(emulator, user, media, text_of(t.UNSUPPORTED, "kk"))
    assert answer.callback_data[-1] == "c|help_now"
    conv = bot.conversation(user.id)
    assert conv is not None and conv["state"]["step"] == "caller"


async def test_edited_message_gets_friendly_answer(bot: BotProcess, emulator: Emulator) -> None:
    user = User(id=3200, language_code="en")
    sent = await emulator.send_command(user, "/start")
    await reply_to(emulator, user, sent, text_of(t.ASK_CALLER, "en"))
    typo = await emulator.send_text(user, "hi")
    await reply_to(emulator, user, typo, text_of(t.ASK_CALLER, "en"))
    before = bot.conversation(user.id)
    await emulator.edit_message(user, typo["message_id"], "hello")
    await reply_to(emulator, user, typo, text_of(ht.EDITED, "en"))
    assert before is not None
    assert bot.conversation(user.id)["state"] == before["state"]  # type: ignore[index]


def test_command_menu_in_each_language(bot: BotProcess) -> None:
    commands: list[dict[str, Any]] = bot.startup_commands  # type: ignore[attr-defined]
    by_lang = {c["language_code"]: c["commands"] for c in commands}
    assert set(by_lang) == {"", "kk", "ru", "en"}
    for lang in ("kk", "ru", "en"):
        names = [c["command"] for c in by_lang[lang]]
        assert names == [
            "start",
            "help",
            "lang",
            "new",
            "forget",
            "clear",
            "privacy",
            "stop",
            "cancel",
        ]
        assert by_lang[lang][0]["description"] == text_of(ht.CMD_START, lang)
