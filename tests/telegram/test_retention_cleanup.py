"""The retention sweep removes a closed case's traces from the staff group (issue 8, defect 17):
its forum topic is deleted; each message the bot posted for it is deleted, or blanked when
Telegram no longer lets a bot delete it (older than 48 hours)."""

from __future__ import annotations

import datetime as dt

from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import DeleteForumTopic, DeleteMessage, EditMessageText

from bot.jobs import purge_expired
from storage.models import Case

from .conftest import STAFF_CHAT, StaffTelegram


async def closed_case(
    tg: StaffTelegram, days_ago: int, card: int, links: list[int], thread: int | None = None
) -> int:
    async with tg.app.store.transaction() as repos:
        case = await repos.cases.add(
            Case(
                urgency="crisis",
                reason="crisis",
                category="abuse",
                channel="telegram",
                language="ru",
                status="closed",
                outcome="consulted",
                closed_at=repos.now() - dt.timedelta(days=days_ago),
                card_message_id=card,
                thread_id=thread,
            )
        )
        for message_id in links:
            await repos.relay.add(case.id, message_id)
        return case.id


async def test_old_cases_are_removed_from_the_staff_group_once(staff_tg: StaffTelegram) -> None:
    old = await closed_case(staff_tg, days_ago=10, card=500, links=[500, 501, 502])
    forum = await closed_case(staff_tg, days_ago=9, card=600, links=[601], thread=900)
    recent = await closed_case(staff_tg, days_ago=2, card=700, links=[701])
    staff_tg.bot.session.fail(
        TelegramBadRequest(method=DeleteMessage(chat_id=STAFF_CHAT, message_id=500), message="x")
    )
    await purge_expired(staff_tg.app.store, retention_days=7)
    await staff_tg.deliver()

    deleted = {c.message_id for c in staff_tg.bot.session.sent(DeleteMessage)}
    assert deleted == {500, 501, 502, 600, 601}
    (blanked,) = staff_tg.bot.session.sent(EditMessageText)  # 500 was too old to delete
    assert blanked.message_id == 500 and f"#{old}" in blanked.text
    (topic,) = staff_tg.bot.session.sent(DeleteForumTopic)
    assert topic.message_thread_id == 900 and int(topic.chat_id) == STAFF_CHAT
    assert 700 not in deleted and 701 not in deleted

    async with staff_tg.app.store.transaction() as repos:
        for case_id in (old, forum):
            case = await repos.cases.get(case_id)
            assert case is not None and case.card_message_id is None and case.thread_id is None
        kept = await repos.cases.get(recent)
        assert kept is not None and kept.card_message_id == 700
    calls = len(staff_tg.bot.session.calls)
    await purge_expired(staff_tg.app.store, retention_days=7)  # nothing left to remove
    await staff_tg.deliver()
    assert len(staff_tg.bot.session.calls) == calls
