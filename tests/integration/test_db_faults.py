"""Defect 3 of issue 8: a held database lock must delay a turn, never lose it; the same turn
is never applied twice."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

from bot.dialogs import Event
from bot.privacy import Identity
from bot.services.duty import FixedDuty
from bot.services.turns import Inbound, TurnService
from storage import Store
from storage.retry import is_transient
from tests.fakes import FakeClassifier

KID = "80001"


def hold_write_lock(path: Path, seconds: float, held: threading.Event) -> threading.Thread:
    """Another process's writer: takes the write lock and keeps it for `seconds`."""

    def run() -> None:
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(seconds)
        db.execute("COMMIT")
        db.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


async def crisis_under_lock(tmp_path: Path, busy_ms: int, lock_s: float) -> Store:
    path = tmp_path / "locked.db"
    store = Store(f"sqlite+aiosqlite:///{path}", busy_timeout_ms=busy_ms)
    await store.create_schema()
    turns = TurnService(store, FakeClassifier(), Identity(b"k" * 32), FixedDuty(True))
    await turns.handle(Inbound("telegram", KID, Event("start")))
    held = threading.Event()
    thread = hold_write_lock(path, lock_s, held)
    await asyncio.to_thread(held.wait)
    started = time.monotonic()
    outcome = await turns.handle(Inbound("telegram", KID, Event("text", text="I want to die")))
    waited = time.monotonic() - started
    await asyncio.to_thread(thread.join)
    assert outcome.case_ids, "the crisis opened no case"
    assert waited >= lock_s * 0.8  # it really waited for the lock
    return store


async def assert_one_case_one_card(store: Store) -> None:
    async with store.transaction() as repos:
        assert len(await repos.cases.list()) == 1
        assert [r.kind for r in await repos.outbox.list()].count("card") == 1
        assert len(await repos.intakes.list()) == 1
    await store.close()


async def test_a_lock_held_for_ten_seconds_delays_the_crisis_turn_but_loses_nothing(
    tmp_path: Path,
) -> None:
    store = await crisis_under_lock(tmp_path, busy_ms=15_000, lock_s=10.0)
    await assert_one_case_one_card(store)


async def test_a_lock_held_past_the_busy_timeout_is_retried_once_applied(
    tmp_path: Path,
) -> None:
    store = await crisis_under_lock(tmp_path, busy_ms=200, lock_s=2.0)
    await assert_one_case_one_card(store)


def test_what_counts_as_transient() -> None:
    assert is_transient(sqlite3.OperationalError("database is locked"))
    assert is_transient(ConnectionResetError())
    assert not is_transient(ValueError("database is locked"))
    assert not is_transient(sqlite3.IntegrityError("UNIQUE constraint failed"))
