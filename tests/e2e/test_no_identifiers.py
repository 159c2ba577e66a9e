"""Issue 8, acceptance 4: a full run with known test users, then a search for any of their
identifiers in clear in the database files (with the -wal), the DEBUG log and every message the
bot posted in the staff group and to the coordinator."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from bot.dialogs import texts as t
from bot.i18n import gettext
from tests.telegram.bot_process import SECRET_KEY, BotProcess

from .emulator import BOT_TOKEN, Emulator, User
from .emulator_server import EmulatorServer
from .staff_helpers import COORDINATOR_CHAT, STAFF_CHAT, press_when_shown

ZHULDYZ = User(
    id=987650001,
    first_name="Zhuldyzay",
    last_name="Nurlanqyzy",
    username="zhuldyz_2011",
    language_code="ru",
)
ARUZHAN = User(
    id=987650002, first_name="Аружан", last_name="Серикова", username="aru_07", language_code="en"
)
COUNSELLOR = User(id=77001234, first_name="Saule", last_name="Bekova", username="saule_psy")

# Everything that identifies the test users, as they wrote it and as digits alone.
NEEDLES = [
    str(ZHULDYZ.id),
    str(ARUZHAN.id),
    str(COUNSELLOR.id),
    "Zhuldyzay",
    "Nurlanqyzy",
    "Жулдызай",
    "Нурланкызы",
    "zhuldyz_2011",
    "Аружан",
    "Серикова",
    "Aruzhan",
    "Serikova",
    "aru_07",
    "Saule",
    "Bekova",
    "saule_psy",
    "+7 701 765 43 21",
    "7017654321",
    "87017654321",
    "8 747 555 12 34",
    "7475551234",
    "zhuldyz@mail.kz",
    "zhuldyz собака mail.kz",
    "aruzhan.s@gmail.com",
    "140524686846",
    "050825508499",
    "4400514547527729",
    "4400 5145 4752 7729",
    "ул. Абая 12",
    BOT_TOKEN,  # secrets too: a leaked log or database must not hand over the bot
    SECRET_KEY,
]


def forms(needle: str) -> list[str]:
    """The needle as it would sit in a file: plain UTF-8 and JSON-escaped (JSON columns)."""
    return sorted({needle, json.dumps(needle)[1:-1]})


@pytest.fixture(scope="module")
def bot(
    emulator_server: EmulatorServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotProcess]:
    env = {
        "HELPLINE_STAFF_CHAT_ID": str(STAFF_CHAT),
        "HELPLINE_COORDINATOR_CHAT_ID": str(COORDINATOR_CHAT),
        "HELPLINE_STAFF_LANGUAGE": "ru",
        "HELPLINE_TELEGRAM_GROUP_PER_MINUTE": "600",
        "HELPLINE_LOG_LEVEL": "DEBUG",
    }
    proc = BotProcess(emulator_server.api_url, BOT_TOKEN, tmp_path_factory.mktemp("pii"), env)
    proc.start()
    try:
        proc.wait_until(
            "polling", lambda: proc.emulator_get("/test/calls?method=getUpdates"), timeout=90
        )
        yield proc
    finally:
        assert proc.stop() == 0, proc.log()


async def case_of(bot: BotProcess, user: User) -> int:
    conv = bot.wait_until("conversation", lambda: bot.conversation(user.id))
    rows = bot.wait_until(
        "case",
        lambda: bot.query("SELECT id FROM cases WHERE conversation_id = ?", conv["id"]),
    )
    return int(rows[0]["id"])


def hits_in_files(bot: BotProcess) -> list[str]:
    found = []
    for path in sorted(bot.workdir.glob("helpline.db*")):
        data = path.read_bytes()
        for needle in NEEDLES:
            for form in forms(needle):
                if form.encode() in data:
                    found.append(f"{needle!r} in {path.name}")
    return found


async def test_a_full_run_leaves_no_identifier_in_clear(
    bot: BotProcess, emulator: Emulator
) -> None:
    await emulator.group_command(STAFF_CHAT, COUNSELLOR, "/duty", "on")

    # A child in crisis who says who she is, in every way a child might.
    await emulator.send_text(ZHULDYZ, "/start")
    sent = await emulator.send_text(
        ZHULDYZ,
        "меня бьёт отчим, меня зовут Жулдызай Нурланкызы, мой номер +7 701 765 43 21, "
        "почта zhuldyz@mail.kz, ИИН 140524686846",
    )
    await emulator.wait_for_message(ZHULDYZ.id, lambda m: "112" in (m.text or ""), after=sent)
    case_a = await case_of(bot, ZHULDYZ)
    await press_when_shown(emulator, COUNSELLOR, case_a, "claim", wait_s=10)
    await emulator.wait_for_message(
        ZHULDYZ.id, lambda m: gettext(t.STAFF_JOINED, "ru") in (m.text or ""), timeout=10
    )
    await emulator.group_send(STAFF_CHAT, COUNSELLOR, "Я рядом. Где ты сейчас?", reply_to=None)
    await emulator.send_text(
        ZHULDYZ,
        "I'm Zhuldyzay Nurlanqyzy, insta zhuldyz_2011, пиши zhuldyz собака mail.kz, "
        "живу на ул. Абая 12, кв 5, мамина карта 4400 5145 4752 7729",
    )
    await emulator.send_photo(ZHULDYZ, caption="это я, звони 87017654321")
    await emulator.wait_for_message(
        STAFF_CHAT, lambda m: "[photo]" in (m.caption or ""), timeout=15
    )

    # A second child, in English, who gives her name, e-mail, phone and IIN.
    await emulator.send_text(ARUZHAN, "/start")
    sent = await emulator.send_text(
        ARUZHAN,
        "my stepdad hits me every night. My name's Aruzhan Serikova, "
        "call 8 747 555 12 34 or aruzhan.s@gmail.com, my IIN 050825508499",
    )
    await emulator.wait_for_message(ARUZHAN.id, lambda m: "112" in (m.text or ""), after=sent)
    case_b = await case_of(bot, ARUZHAN)

    # The counsellor closes the first case; the second child asks to be forgotten.
    for action, value in [
        ("close", ""),
        ("cat", "family"),
        ("catnext", ""),
        ("svc", "psychological"),
        ("out", "consulted"),
        ("profdone", ""),
    ]:
        await press_when_shown(emulator, COUNSELLOR, case_a, action, value, wait_s=10)
    await emulator.send_text(ARUZHAN, "/forget")
    await emulator.wait_for_message(
        ARUZHAN.id, lambda m: gettext(t.FORGOTTEN, "en")[:20] in (m.text or ""), timeout=10
    )
    bot.wait_until(
        "outbox drained",
        lambda: not bot.query("SELECT id FROM outbox WHERE status = 'pending'"),
        timeout=30,
    )
    assert bot.query("SELECT id FROM cases WHERE id = ?", case_b)  # it existed

    staff_side = [
        f"{m.text or ''}\n{m.caption or ''}"
        for chat in (STAFF_CHAT, COORDINATOR_CHAT)
        for m in await emulator.bot_messages(chat)
    ]
    assert any("[e-mail]" in x for x in staff_side)  # the masked messages did arrive
    log = bot.log_path.read_text(errors="replace")
    assert re.search(r"DEBUG", log), "the bot did not log at DEBUG"

    problems = hits_in_files(bot)  # while the bot runs: the -wal holds the latest writes
    for needle in NEEDLES:
        if any(needle in x for x in staff_side):
            problems.append(f"{needle!r} in a staff-group message")
        if needle in log:
            problems.append(f"{needle!r} in the log")
    bot.stop()
    problems += [f"after stop: {p}" for p in hits_in_files(bot)]
    assert problems == []
