"""Fixtures for end-to-end tests against the Telegram Bot API emulator.

* ``emulator_server`` (session, sync): one Node emulator process for the whole run.
  Missing Node or node_modules FAILS the tests (run `make emulator`); never skipped.
* ``emulator`` (function, async): an ``Emulator`` client on that server, reset before
  each test, with ``HELPLINE_TELEGRAM_API_URL`` pointing at it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from .emulator import API_URL_ENV, Emulator
from .emulator_server import EmulatorServer, EmulatorUnavailableError


@pytest.fixture(scope="session")
def emulator_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorServer]:
    log_path = tmp_path_factory.mktemp("emulator") / "emulator.log"
    server = EmulatorServer(log_path=log_path)
    try:
        server.start()
    except EmulatorUnavailableError as exc:
        pytest.fail(f"Telegram emulator unavailable: {exc}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def emulator(
    emulator_server: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Emulator]:
    client = Emulator(emulator_server.api_url)
    await client.start()
    try:
        await client.reset()
        monkeypatch.setenv(API_URL_ENV, emulator_server.api_url)
        yield client
    finally:
        await client.stop()
