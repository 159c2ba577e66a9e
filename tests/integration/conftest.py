"""Real databases: a temporary SQLite file and a throw-away PostgreSQL database.

The PostgreSQL server comes from the session fixture `postgres` (tests/postgres.py): the one
configured, the one on 127.0.0.1:5432, or an embedded one started for the run. Never skipped.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.privacy import Identity
from bot.services.callbacks import CallbackBook
from bot.services.clock import ManualClock
from bot.services.duty import FixedDuty
from bot.services.turns import TurnService
from storage import Store
from tests.dialog_driver import NOW
from tests.fakes import FakeClassifier
from tests.postgres import SessionPostgres


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    if request.param == "sqlite":
        st = Store(f"sqlite+aiosqlite:///{tmp_path}/test.db")
        await st.create_schema()
        yield st
        await st.close()
        return
    postgres: SessionPostgres = request.getfixturevalue("postgres")
    async with postgres.database() as url:
        st = Store(url)
        try:
            await st.create_schema()
            yield st
        finally:
            await st.close()


@pytest.fixture
def identity() -> Identity:
    return Identity(b"test-secret-key-0123456789")


@pytest.fixture
def turns(store: Store, identity: Identity) -> TurnService:
    book = CallbackBook(identity, clock=ManualClock(NOW))  # callback slots from a fixed moment
    return TurnService(store, FakeClassifier(), identity, FixedDuty(False), callbacks=book)
