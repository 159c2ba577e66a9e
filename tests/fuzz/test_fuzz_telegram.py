"""Fuzzing the Telegram side: updates of every kind, from users, the staff group and elsewhere,
with forged callback data, through the real dispatcher, services, SQLite and outbox, against
the mocked Bot API session. No exception may escape to the error handler (issue 8)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.telegram.conftest import build_staff_telegram

from .strategies import FUZZ, updates

WATCHED = ("bot.handlers.errors", "bot.outbox", "bot.jobs", "aiogram.event")


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_any_updates_leave_no_escaped_exception(tmp_path: Path) -> None:
    collect = Collect()
    for name in WATCHED:
        logging.getLogger(name).addHandler(collect)
    try:
        with asyncio.Runner() as runner:
            tg = runner.run(build_staff_telegram(tmp_path))

            @FUZZ
            @given(batch=st.lists(updates(), min_size=1, max_size=4))
            def feed(batch: list[dict[str, Any]]) -> None:
                for update in batch:
                    runner.run(tg.feed(update))
                runner.run(tg.deliver())
                failures = [f"{r.name}: {r.getMessage()}" for r in collect.records]
                collect.records.clear()
                assert failures == [], (failures, batch)

            try:
                feed()
            finally:
                runner.run(tg.app.close())
    finally:
        for name in WATCHED:
            logging.getLogger(name).removeHandler(collect)
