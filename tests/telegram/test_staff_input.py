"""The staff group through the real dispatcher: /cases pages, odd and huge case numbers, forged
button data (issue 8, defect 15), and a child's photo in a claimed case (defect 12)."""

from __future__ import annotations

from typing import Any

from aiogram.methods import AnswerCallbackQuery, CopyMessage, SendMessage

from bot.i18n import gettext
from bot.staff import texts as st
from bot.staff.callbacks import StaffAction
from storage.models import Case

from .conftest import STAFF_CHAT, StaffTelegram, _ids, message_update, user

STAFF = 7001
KID = 880011


def replies(tg: StaffTelegram) -> list[str]:
    return [c.text for c in tg.bot.session.sent(SendMessage) if int(c.chat_id) == STAFF_CHAT]


async def open_cases(tg: StaffTelegram, n: int) -> None:
    async with tg.app.store.transaction() as repos:
        for _ in range(n):
            await repos.cases.add(
                Case(
                    urgency="crisis",
                    reason="crisis",
                    category="care_institutions",
                    channel="telegram",
                    language="kk",
                    caller="relative",
                )
            )


async def test_cases_with_sixty_open_cases_pages_within_the_limit(staff_tg: StaffTelegram) -> None:
    await open_cases(staff_tg, 60)
    await staff_tg.staff_says(STAFF, "/cases")
    await staff_tg.staff_says(STAFF, "/cases 2")
    await staff_tg.staff_says(STAFF, "/cases 99999999999999999999")
    first, second, last = replies(staff_tg)
    assert all(len(x) <= 4096 for x in (first, second, last))
    assert "#1 ·" in first and "#60 ·" not in first and "/cases 2" in first
    assert "#60 ·" in second or "/cases 3" in second
    pages = first.rsplit("\n", 1)[-1]
    assert pages.startswith(gettext(st.CASES_PAGE, "en").split("{")[0])


async def test_odd_and_huge_case_numbers_answer_politely(staff_tg: StaffTelegram) -> None:
    await open_cases(staff_tg, 2)
    odd = ("²", "99999999999999999999", "-1", "0", "#", "1e9", "𝟙", "³")
    for arg in odd:
        await staff_tg.staff_says(STAFF, f"/case {arg}")
        await staff_tg.staff_says(STAFF, f"/close {arg}")
    usage = gettext(st.CASE_USAGE, "en")
    no_case = gettext(st.NO_SUCH_CASE, "en").split("#")[0]
    # every command is answered, except those that did what was asked: /case 2 reposts
    # the card (through the outbox), /close 1 and /close 2 open the close form on it
    assert len(replies(staff_tg)) == 2 * len(odd) - 4
    for text in replies(staff_tg):
        assert text == usage or text.startswith(no_case) or text.startswith("Close"), text


def press(data: str, chat_id: int = STAFF_CHAT) -> dict[str, Any]:
    n = next(_ids)
    return {
        "update_id": n,
        "callback_query": {
            "id": str(n),
            "from": user(STAFF, "en"),
            "chat_instance": "x",
            "data": data,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": chat_id, "type": "supergroup", "title": "staff"},
                "text": "card",
            },
        },
    }


async def test_forged_button_data_with_huge_numbers_is_answered(staff_tg: StaffTelegram) -> None:
    huge = StaffAction(action="claim", case=2**31 - 1, value="").pack()
    forged = [
        huge,
        "s:claim:99999999999999999999:",
        "s:release:-5:",
        "s:prof:1:" + "x" * 40,
        "s:nonsense:1:",
        "s:claim:abc:",
        "s:::",
    ]
    for data in forged:
        await staff_tg.feed(press(data))
    answered = staff_tg.bot.session.sent(AnswerCallbackQuery)
    assert len(answered) == 5  # each one that parses as a staff button gets an answer
    for answer in answered:
        assert answer.text is None or "#" in answer.text


async def test_a_childs_photo_in_a_claimed_case_reaches_the_counsellor(
    staff_tg: StaffTelegram,
) -> None:
    await staff_tg.say(KID, "/start")
    await staff_tg.say(KID, "I want to die")
    await staff_tg.deliver()
    async with staff_tg.app.store.transaction() as repos:
        (case,) = await repos.cases.list()
    await staff_tg.feed(press(StaffAction(action="claim", case=case.id, value="").pack()))
    await staff_tg.deliver()
    photo = [{"file_id": "p1", "file_unique_id": "u1", "width": 9, "height": 9}]
    update = message_update(KID, 5550, "en", photo=photo, caption="this is me, call 87011234567")
    await staff_tg.feed(update)
    await staff_tg.deliver()
    (copy,) = staff_tg.bot.session.sent(CopyMessage)
    assert int(copy.chat_id) == STAFF_CHAT and int(copy.from_chat_id) == KID
    assert copy.message_id == 5550
    assert copy.caption is not None and "87011234567" not in copy.caption
    assert "[phone]" in copy.caption and f"#{case.id}" in copy.caption
