"""/healthz and /readyz, and which roles the settings allow."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.config import ConfigError, Settings, with_role
from bot.health import add_health_routes
from storage import Store

TOKEN = SecretStr("42:TEST-mocked-bot-token-abcdefghijklmnop")


async def client_for(store: Store) -> TestClient[web.Request, web.Application]:
    aio = web.Application()
    add_health_routes(aio, store)
    client = TestClient(TestServer(aio))
    await client.start_server()
    return client


@pytest.fixture
async def empty_sqlite(tmp_path: Path) -> AsyncIterator[Store]:
    store = Store(f"sqlite+aiosqlite:///{tmp_path}/h.db")
    yield store
    await store.close()


async def probe(store: Store, path: str) -> tuple[int, str]:
    client = await client_for(store)
    try:
        resp = await client.get(path)
        return resp.status, await resp.text()
    finally:
        await client.close()


async def test_ready_when_the_schema_is_current(store: Store) -> None:
    assert await probe(store, "/readyz") == (200, "ready\n")
    assert await probe(store, "/healthz") == (200, "ok\n")


async def test_not_ready_on_an_unmigrated_database(empty_sqlite: Store) -> None:
    assert await probe(empty_sqlite, "/readyz") == (
        503,
        "not ready: the database is empty: run `helpline migrate` first\n",
    )
    assert await probe(empty_sqlite, "/healthz") == (200, "ok\n")  # alive all the same


async def test_not_ready_when_the_database_is_unreachable() -> None:
    store = Store("postgresql+asyncpg://helpline:secret@127.0.0.1:1/helpline")
    try:
        status, body = await probe(store, "/readyz")
    finally:
        await store.close()
    assert status == 503 and body.startswith("not ready: database unreachable (")
    assert "secret" not in body and "127.0.0.1" not in body


def settings(**values: object) -> Settings:
    return Settings(secret_key=SecretStr("k" * 32), **values)  # type: ignore[arg-type]


def test_roles_take_updates_send_and_serve_http() -> None:
    hook = "https://helpline.example/telegram/webhook"
    web_ = with_role(settings(telegram_token=TOKEN, telegram_webhook_url=hook), "web")
    worker = with_role(settings(telegram_token=TOKEN), "worker")
    both = with_role(settings(telegram_token=TOKEN), None)
    assert (web_.receives_updates, web_.sends_and_sweeps, web_.serves_http) == (True, False, True)
    assert (worker.receives_updates, worker.sends_and_sweeps, worker.serves_http) == (
        False,
        True,
        True,
    )
    assert (both.role, both.receives_updates, both.sends_and_sweeps) == ("all", True, True)
    assert not both.serves_http  # long polling alone opens no port unless one is asked for
    assert with_role(settings(telegram_token=TOKEN, http_port=9000), None).serves_http


def test_roles_that_cannot_work_are_refused() -> None:
    with pytest.raises(ConfigError) as web_without_webhook:
        with_role(settings(telegram_token=TOKEN), "web")
    assert "role web answers Telegram's webhook" in web_without_webhook.value.message
    with pytest.raises(ConfigError) as worker_without_bot:
        with_role(settings(), "worker")
    assert "set HELPLINE_TELEGRAM_TOKEN" in worker_without_bot.value.message
