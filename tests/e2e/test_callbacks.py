"""Callbacks end to end (issue 10, acceptance 1 and 2): the real bot process, the emulator, the
staff group. A parent books a call on Telegram (and on the console); the card reaches the staff
group at once without the number; when the slot opens (the sweep run with a clock moved to the
slot) the 'due now' card appears and the coordinator is told nobody is on shift; Take shows the
number only to the taker; Called writes the intake record and the number is gone."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import sqlite3
import subprocess
from collections.abc import Iterator

import pytest

from bot.dialogs import callback_texts as ct
from bot.directory import load
from bot.i18n import gettext
from bot.privacy import Identity
from bot.services.callback_desk import CallbackDesk
from bot.services.callbacks import CallbackBook
from bot.services.clock import ManualClock
from bot.staff import callback_texts as cst
from storage import Store
from tests.telegram.bot_process import SECRET_KEY, BotProcess, _python

from .emulator import BOT_TOKEN, BotMessage, Emulator, User
from .emulator_server import EmulatorServer
from .staff_helpers import COORDINATOR_CHAT, STAFF_CHAT, data

STAFF_LANG = "ru"
DIGITS = "7012345678"


@pytest.fixture(scope="module")
def bot(
    emulator_server: EmulatorServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotProcess]:
    env = {
        "HELPLINE_STAFF_CHAT_ID": str(STAFF_CHAT),
        "HELPLINE_COORDINATOR_CHAT_ID": str(COORDINATOR_CHAT),
        "HELPLINE_STAFF_LANGUAGE": STAFF_LANG,
        "HELPLINE_TELEGRAM_GROUP_PER_MINUTE": "600",
        "HELPLINE_CALLBACK_WEEKDAYS": "mon-sun",  # whatever day the tests run on
    }
    proc = BotProcess(emulator_server.api_url, BOT_TOKEN, tmp_path_factory.mktemp("cb"), env)
    proc.start()
    try:
        proc.wait_until("polling", lambda: proc.emulator_get("/test/calls?method=getUpdates"))
        yield proc
    finally:
        assert proc.stop() == 0, proc.log()


async def say(emulator: Emulator, user: User, text: str) -> BotMessage:
    sent = await emulator.send_text(user, text)
    return await emulator.wait_for_message(user.id, after=sent, timeout=10.0)


async def pick(emulator: Emulator, user: User, menu: BotMessage, prefix: str) -> BotMessage:
    """Press the first button of the menu whose choice id starts with `prefix` (buttons are
    not flood-limited like typed messages)."""
    wanted = next(d for d in menu.callback_data if d.startswith(f"c|{prefix}"))
    await emulator.press(user, menu, wanted)
    return await emulator.wait_for_message(user.id, after=menu, timeout=10.0)


async def book_on_telegram(bot: BotProcess, emulator: Emulator, user: User) -> int:
    menu = await say(emulator, user, "/start")
    # parent · family · 13-15 · skip gender · Almaty · psychologist · first slot · English
    for prefix in [
        "caller:parent",
        "topic:family",
        "age:13-15",
        "skip",
        "region:almaty",
        "service:psychological",
        "slot:",
        "calllang:en",
    ]:
        menu = await pick(emulator, user, menu, prefix)
    readback = await say(emulator, user, "8 701 234 56 78")
    assert "+7 701 *** ** 78" in (readback.text or "") and DIGITS not in (readback.text or "")
    await emulator.press(user, readback, "c|cb:confirm")
    await emulator.wait_for_message(
        user.id, lambda m: gettext(ct.CONFIRMED, "en") in (m.text or ""), timeout=10.0
    )
    conv = bot.conversation(user.id)
    assert conv is not None
    (row,) = bot.query("SELECT id FROM callbacks WHERE conversation_id = ?", conv["id"])
    return int(row["id"])


async def run_sweep_at_slot(bot: BotProcess, cb_id: int) -> None:
    """The sweep the bot runs every 20 s, run here with a clock moved to the slot's start."""
    (row,) = bot.query("SELECT slot_start FROM callbacks WHERE id = ?", cb_id)
    start = dt.datetime.fromisoformat(row["slot_start"]).replace(tzinfo=dt.UTC)
    store = Store(f"sqlite+aiosqlite:///{bot.db_path}")
    identity = Identity(SECRET_KEY.encode())
    try:
        book = CallbackBook(identity, clock=ManualClock(start + dt.timedelta(minutes=1)))
        assert await CallbackDesk(store, identity, book, load()).sweep() >= 1
    finally:
        await store.close()


async def answer_to(emulator: Emulator, query_id: str) -> dict:
    for _ in range(200):
        answers = {a["callback_query_id"]: a for a in await emulator.callback_answers()}
        if query_id in answers:
            return answers[query_id]
        await asyncio.sleep(0.05)
    raise AssertionError("no answer to the button")


def everything_in(bot: BotProcess) -> str:
    """Every value in every table of the bot's database, as one string to search."""
    with contextlib.closing(sqlite3.connect(bot.db_path)) as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return "\n".join(str(row) for n in names for row in db.execute(f"SELECT * FROM {n}"))


async def staff_group_never_shows_the_number(emulator: Emulator) -> None:
    for message in await emulator.bot_messages(STAFF_CHAT):
        for version in [message.text or "", *(str(e) for e in message.edits)]:
            assert DIGITS not in version.replace(" ", "") and "701 234" not in version


async def take_call_and_finish(
    bot: BotProcess, emulator: Emulator, cb_id: int, taker: User, card: BotMessage
) -> None:
    query_id = await emulator.group_press(STAFF_CHAT, taker, card, data("take", cb_id))
    dm = await emulator.wait_for_message(
        taker.id, lambda m: "+77012345678" in (m.text or ""), timeout=10.0
    )
    assert f"#{cb_id}" in (dm.text or "")
    answer = await answer_to(emulator, query_id)
    assert answer.get("text") == gettext(cst.CB_NUMBER_SENT, STAFF_LANG)
    assert not answer.get("show_alert")

    snooper = User(id=74999, first_name="Other")  # someone else presses Show number
    taken_card = await emulator.wait_for_message(
        STAFF_CHAT, lambda m: data("called", cb_id) in m.callback_data, timeout=10.0
    )
    query_id = await emulator.group_press(STAFF_CHAT, snooper, taken_card, data("number", cb_id))
    refusal = await answer_to(emulator, query_id)
    assert refusal.get("show_alert") is True and DIGITS not in refusal.get("text", "")
    assert await emulator.bot_messages(snooper.id) == []

    await emulator.group_press(STAFF_CHAT, taker, taken_card, data("called", cb_id))
    await emulator.wait_for_message(
        STAFF_CHAT,
        lambda m: (
            m.message_id == taken_card.message_id
            and gettext(cst.CB_DONE, STAFF_LANG) in (m.text or "")
        ),
        timeout=10.0,
    )
    (row,) = bot.query("SELECT * FROM callbacks WHERE id = ?", cb_id)
    assert (row["status"], row["phone_enc"], row["routing_enc"]) == ("done", None, None)
    (intake,) = bot.query("SELECT * FROM intake_records WHERE id = ?", row["intake_id"])
    assert (intake["service"], intake["outcome"]) == ("psychological", "consulted")
    audit = bot.query("SELECT action FROM audit_log WHERE callback_id = ?", cb_id)
    assert [a["action"] for a in audit] == ["cb_take", "cb_called"]
    assert DIGITS not in everything_in(bot)  # not even encrypted: erased
    assert DIGITS not in bot.log_path.read_text(errors="replace").replace(" ", "")
    await staff_group_never_shows_the_number(emulator)


async def test_parent_on_telegram_books_and_staff_call_back(
    bot: BotProcess, emulator: Emulator
) -> None:
    parent = User(id=53001, first_name="Saule", language_code="en")
    taker = User(id=73001, first_name="Aigerim")
    await say(emulator, taker, "/start")  # the taker has a private chat with the bot
    cb_id = await book_on_telegram(bot, emulator, parent)

    card = await emulator.wait_for_message(
        STAFF_CHAT, lambda m: data("take", cb_id) in m.callback_data, timeout=10.0
    )
    assert f"#{cb_id}" in (card.text or "") and "📞" in (card.text or "")
    await staff_group_never_shows_the_number(emulator)

    await run_sweep_at_slot(bot, cb_id)
    due = await emulator.wait_for_message(
        STAFF_CHAT,
        lambda m: "⏰" in (m.text or "") and f"#{cb_id}" in (m.text or ""),
        timeout=10.0,
    )
    assert due.message_id != card.message_id and data("take", cb_id) in due.callback_data
    await emulator.wait_for_message(
        COORDINATOR_CHAT, lambda m: f"#{cb_id}" in (m.text or ""), timeout=10.0
    )
    await take_call_and_finish(bot, emulator, cb_id, taker, due)


async def test_a_taker_who_never_started_the_bot_sees_the_number_in_an_alert(
    bot: BotProcess, emulator: Emulator
) -> None:
    await emulator.refuse_unstarted_private_chats()
    parent = User(id=53101, first_name="Saule", language_code="en")
    cb_id = await book_on_telegram(bot, emulator, parent)
    card = await emulator.wait_for_message(
        STAFF_CHAT, lambda m: data("take", cb_id) in m.callback_data, timeout=10.0
    )
    stranger = User(id=73101, first_name="New")  # never wrote to the bot
    query_id = await emulator.group_press(STAFF_CHAT, stranger, card, data("take", cb_id))
    alert = await answer_to(emulator, query_id)
    assert alert.get("show_alert") is True and "+77012345678" in alert.get("text", "")
    assert await emulator.bot_messages(stranger.id) == []
    await staff_group_never_shows_the_number(emulator)


async def test_parent_on_the_console_in_russian_reaches_the_same_staff_group(
    bot: BotProcess, emulator: Emulator
) -> None:
    """Acceptance 2: the console channel, another language, the same outbox and staff group."""
    taker = User(id=73201, first_name="Aigerim")
    await say(emulator, taker, "/start")
    lines = ["2", "1", "5", "3", "2", "1", "1", "1", "8 701 234 56 78", "1"]
    done = await asyncio.to_thread(
        subprocess.run,
        [_python(), "-m", "bot", "chat", "--as", "console-parent-1"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=bot.env,
        cwd=bot.workdir,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert DIGITS not in done.stderr.replace(" ", "")
    assert gettext(ct.CONFIRMED, "ru") in done.stdout
    (row,) = bot.query("SELECT * FROM callbacks WHERE channel = 'console'")
    cb_id = int(row["id"])
    assert row["language"] == "ru"
    card = await emulator.wait_for_message(
        STAFF_CHAT, lambda m: data("take", cb_id) in m.callback_data, timeout=15.0
    )
    assert "console" in (card.text or "") and "Русский" in (card.text or "")
    await take_call_and_finish(bot, emulator, cb_id, taker, card)


async def test_no_answer_twice_asks_the_parent_for_another_time_on_telegram(
    bot: BotProcess, emulator: Emulator
) -> None:
    parent = User(id=53301, first_name="Saule", language_code="en")
    taker = User(id=73301, first_name="Aigerim")
    await say(emulator, taker, "/start")
    cb_id = await book_on_telegram(bot, emulator, parent)
    card = await emulator.wait_for_message(
        STAFF_CHAT, lambda m: data("take", cb_id) in m.callback_data, timeout=10.0
    )
    await emulator.group_press(STAFF_CHAT, taker, card, data("take", cb_id))
    for _ in range(2):
        taken = await emulator.wait_for_message(
            STAFF_CHAT,
            lambda m: (
                m.message_id == card.message_id and data("noanswer", cb_id) in m.callback_data
            ),
            timeout=10.0,
        )
        await emulator.group_press(STAFF_CHAT, taker, taken, data("noanswer", cb_id))
        await asyncio.sleep(0.5)  # the second press must see the first one's edit
    asked = await emulator.wait_for_message(
        parent.id, lambda m: gettext(ct.NO_ANSWER_TWICE, "en") in (m.text or ""), timeout=10.0
    )
    slot = next(d for d in asked.callback_data if d.startswith("c|slot:"))
    await emulator.press(parent, asked, slot)
    readback = await emulator.wait_for_message(
        parent.id, lambda m: "c|cb:confirm" in m.callback_data, after=asked, timeout=10.0
    )
    await emulator.press(parent, readback, "c|cb:confirm")
    await emulator.wait_for_message(
        STAFF_CHAT,
        lambda m: m.message_id == card.message_id and data("take", cb_id) in m.callback_data,
        timeout=10.0,
    )
    (row,) = bot.query("SELECT status, no_answers, slot FROM callbacks WHERE id = ?", cb_id)
    assert (row["status"], row["no_answers"]) == ("pending", 0)
    assert f"slot:{row['slot']}" in slot


async def test_staff_list_callbacks_and_refer_a_case_to_a_directory_entry(
    bot: BotProcess, emulator: Emulator
) -> None:
    staff = User(id=73401, first_name="Aigerim")
    sent = await emulator.group_command(STAFF_CHAT, staff, "/callbacks")
    listing = await emulator.wait_for_message(STAFF_CHAT, after=sent["message_id"], timeout=10.0)
    assert listing.text  # today's and overdue callbacks, or that there are none
    await staff_group_never_shows_the_number(emulator)

    child = User(id=53401, first_name="Dana", language_code="ru")
    sent = await emulator.send_text(child, "отчим снова избил меня, мне страшно идти домой")
    await emulator.wait_for_message(child.id, lambda m: "112" in (m.text or ""), after=sent)
    conv = bot.conversation(child.id)
    assert conv is not None
    (case,) = bot.query("SELECT id FROM cases WHERE conversation_id = ?", conv["id"])
    case_id = int(case["id"])
    card = await emulator.wait_for_message(
        STAFF_CHAT, lambda m: data("claim", case_id) in m.callback_data, timeout=10.0
    )
    await emulator.group_press(STAFF_CHAT, staff, card, data("claim", case_id))
    await emulator.wait_for_message(
        STAFF_CHAT, lambda m: data("release", case_id) in m.callback_data, timeout=10.0
    )
    sent = await emulator.group_command(STAFF_CHAT, staff, "/refer", str(case_id))
    entries = await emulator.wait_for_message(STAFF_CHAT, after=sent["message_id"], timeout=10.0)
    assert "police_102" in (entries.text or "") and "trust_line_150" in (entries.text or "")
    await emulator.group_command(STAFF_CHAT, staff, "/refer", f"{case_id} police_102")
    referred = await emulator.wait_for_message(
        child.id, lambda m: (m.text or "").startswith("Полиция: 102"), timeout=10.0
    )
    assert "круглосуточно" in (referred.text or "")  # in the child's language
