"""Real databases: a temporary SQLite file and a throw-away PostgreSQL database.

PostgreSQL must be reachable (it is on the development machines and in CI): these tests fail,
never skip, when it is not.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from bot.privacy import Identity
from bot.services.callbacks import CallbackBook
from bot.services.clock import ManualClock
from bot.services.duty import FixedDuty
from bot.services.turns import TurnService
from storage import Store
from tests.dialog_driver import NOW
from tests.fakes import FakeClassifier

PG_ADMIN_DSN = os.environ.get("HELPLINE_TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    if request.param == "sqlite":
        st = Store(f"sqlite+aiosqlite:///{tmp_path}/test.db")
        await st.create_schema()
        yield st
        await st.close()
        return
    name = f"helpline_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(PG_ADMIN_DSN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    st = Store(f"{base}/{name}")
    try:
        await st.create_schema()
        yield st
    finally:
        await st.close()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture
def identity() -> Identity:
    return Identity(b"test-secret-key-0123456789")


@pytest.fixture
def turns(store: Store, identity: Identity) -> TurnService:
    book = CallbackBook(identity, clock=ManualClock(NOW))  # callback slots from a fixed moment
    return TurnService(store, FakeClassifier(), identity, FixedDuty(False), callbacks=book)
