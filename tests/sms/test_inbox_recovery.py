"""An SMS whose turn dies after the message was accepted is not lost: it waits in the durable
inbox, the inbox worker handles it once, and since no webhook response is waiting any more,
its reply reaches the phone through the outbox (the fake Twilio API), once."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_app
from bot.classify.types import Classifier
from bot.services.duty import FixedDuty
from tests.sms.conftest import Sms, sms_settings
from tests.sms.fake_twilio import ACCOUNT_SID, FROM, FakeTwilio
from tests.sms.test_webhook import CRISIS, state_of

SID = "SM" + "c" * 32


def crash_once(sms: Sms, monkeypatch: pytest.MonkeyPatch, *, died: bool) -> None:
    """The next turn fails after its message was accepted. `died`: the process is gone
    (nothing hands the update back; its lease runs out), else the handler raised."""
    turns = sms.app.turns
    real = turns._turn
    calls = {"n": 0}

    async def failing(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("the process dies mid-turn")
        return await real(*args, **kwargs)

    monkeypatch.setattr(turns, "_turn", failing)
    if died:
        inbox = sms.app.inbox
        monkeypatch.setattr(inbox, "lease", dt.timedelta(0))  # the lease has run out

        async def gone(row_id: int) -> None:  # a dead process releases nothing
            return None

        monkeypatch.setattr(inbox, "release", gone)


async def post(sms: Sms, phone: str, body: str, sid: str = SID) -> tuple[int, str]:
    params = {"MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": phone, "To": FROM}
    params |= {"Body": body, "NumMedia": "0"}
    return await sms.post("/sms/twilio", params)


async def run_inbox_until_empty(sms: Sms) -> None:
    stop = asyncio.Event()
    worker = asyncio.create_task(sms.app.inbox.run(stop, idle_s=0.05))
    try:
        for _ in range(200):
            async with sms.app.store.transaction() as repos:
                if await repos.inbox.pending_count() == 0:
                    break
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await worker
    async with sms.app.store.transaction() as repos:
        assert await repos.inbox.pending_count() == 0


def sent_to(sms: Sms, phone: str) -> list[str]:
    return [s.body for s in sms.twilio.sent if s.to == phone]


@pytest.mark.parametrize("died", [False, True], ids=["handler_failed", "process_died"])
async def test_a_turn_that_dies_after_acceptance_is_handled_once_by_the_inbox_worker(
    sms: Sms, monkeypatch: pytest.MonkeyPatch, died: bool
) -> None:
    phone = "+77011230101"
    assert await sms.text(phone, "Hello")
    crash_once(sms, monkeypatch, died=died)
    status, _ = await post(sms, phone, "1")
    assert status == 500  # no reply: Twilio may post it again, but need not
    assert (await state_of(sms, phone)).step != "topic"  # type: ignore[union-attr]

    await run_inbox_until_empty(sms)
    await sms.deliver()
    await sms.deliver()
    state = await state_of(sms, phone)
    assert state is not None and state.step == "topic" and state.caller == "child"
    replies = sent_to(sms, phone)
    assert len(replies) == 1 and replies[0].strip(), replies

    # Twilio's retry of the same MessageSid: no second turn, no second reply
    status, xml = await post(sms, phone, "1")
    assert status == 200 and "<Message>" not in xml
    await run_inbox_until_empty(sms)
    await sms.deliver()
    assert sent_to(sms, phone) == replies
    again = await state_of(sms, phone)
    assert again is not None and again.step == "topic" and again.category is None


@pytest.mark.parametrize("died", [False, True], ids=["handler_failed", "process_died"])
async def test_a_crisis_whose_turn_died_still_makes_exactly_one_staff_card(
    sms: Sms, monkeypatch: pytest.MonkeyPatch, died: bool
) -> None:
    phone = "+77011230102"
    assert await sms.text(phone, "Hello")
    crash_once(sms, monkeypatch, died=died)
    assert (await post(sms, phone, CRISIS["en"]))[0] == 500
    assert sms.staff_texts() == []

    await run_inbox_until_empty(sms)
    await sms.deliver()
    await post(sms, phone, CRISIS["en"])  # Twilio's retry
    await run_inbox_until_empty(sms)
    await sms.deliver()
    cards = sms.staff_texts()
    assert len(cards) == 1 and "🔴" in cards[0], cards
    async with sms.app.store.transaction() as repos:
        assert len(await repos.cases.list()) == 1
    replies = sent_to(sms, phone)
    assert len(replies) == 1 and "112" in replies[0] and "150" in replies[0], replies


async def test_a_retry_while_the_row_is_pending_is_answered_inline(
    sms: Sms, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The handler failed and the worker has not run yet: Twilio's retry takes the update
    and answers it as TwiML (the fast path), once; nothing goes through the outbox."""
    phone = "+77011230103"
    assert await sms.text(phone, "Hello")
    crash_once(sms, monkeypatch, died=False)
    assert (await post(sms, phone, "1"))[0] == 500
    status, xml = await post(sms, phone, "1")
    assert status == 200 and "<Message>" in xml
    await run_inbox_until_empty(sms)
    await sms.deliver()
    assert sent_to(sms, phone) == []
    assert (await state_of(sms, phone)).step == "topic"  # type: ignore[union-attr]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_serve_runs_the_inbox_worker_with_sms_alone(
    tmp_path: Path, classifier: Classifier
) -> None:
    """No Telegram configured: `App.serve` still handles what waits in the inbox."""
    twilio = FakeTwilio()
    await twilio.start()
    settings = sms_settings(tmp_path, twilio.url, http_host="127.0.0.1", http_port=free_port())
    settings = settings.model_copy(update={"telegram_token": None, "staff_chat_id": None})
    app = await build_app(settings, classifier, FixedDuty(True))
    try:
        assert app.telegram is None
        phone = "+77011230104"
        update = {"address": phone, "body": "Hello", "num_media": "0"}
        assert await app.inbox.accept("sms", SID, phone, update)  # stored; never handled
        stop = asyncio.Event()
        serving = asyncio.create_task(app.serve(stop))
        try:
            for _ in range(200):
                if [s for s in twilio.sent if s.to == phone]:
                    break
                await asyncio.sleep(0.05)
        finally:
            stop.set()
            await serving
        assert len([s for s in twilio.sent if s.to == phone]) == 1
        async with app.store.transaction() as repos:
            assert await repos.inbox.pending_count() == 0
    finally:
        await app.close()
        await twilio.close()
