"""The tests' own PostgreSQL: which server is chosen, and the embedded one really runs."""

from __future__ import annotations

import asyncpg
import psutil
import pytest

from tests.postgres import (
    DSN_ENV,
    MODE_ENV,
    PostgresUnavailableError,
    choose_postgres,
)


def test_a_configured_dsn_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MODE_ENV, raising=False)
    monkeypatch.setenv(DSN_ENV, "postgresql://someone@db.example:6543/admin")
    chosen = choose_postgres()
    assert (chosen.origin, chosen.admin_dsn) == (
        DSN_ENV,
        "postgresql://someone@db.example:6543/admin",
    )
    assert chosen.url("x") == "postgresql+asyncpg://someone@db.example:6543/x"


def test_an_unknown_mode_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MODE_ENV, "sometimes")
    with pytest.raises(PostgresUnavailableError, match="embedded"):
        choose_postgres()


async def test_the_embedded_server_starts_serves_and_goes_away(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(MODE_ENV, "embedded")
    monkeypatch.setenv(DSN_ENV, "postgresql://nobody@127.0.0.1:1/never")  # the switch wins
    pg = choose_postgres()
    assert pg.origin == "embedded"
    folder, pid = pg._dir, pg._server.get_pid()
    assert folder is not None and psutil.pid_exists(pid)
    try:
        async with pg.database() as url:
            assert url.startswith("postgresql+asyncpg://")
            conn = await asyncpg.connect(url.replace("+asyncpg", ""))
            try:
                assert await conn.fetchval("SELECT 40 + 2") == 42
            finally:
                await conn.close()
    finally:
        pg.stop()
    assert not folder.exists()
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
