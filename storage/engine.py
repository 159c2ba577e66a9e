"""Engine and transactions. Built by the composition root, never at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from storage import migrate as schema
from storage import models_inbox  # noqa: F401  (its table)
from storage.repositories import Repos

DEFAULT_BUSY_TIMEOUT_MS = 15_000  # a writer waits this long for another's lock, then retries


def _sqlite_pragmas(busy_timeout_ms: int) -> Callable[[object, object], None]:
    def on_connect(dbapi_conn: object, _record: object) -> None:
        cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
        # WAL + synchronous=NORMAL: a crash loses no committed turn; foreign keys enforce
        # erasure.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        # Erased rows are overwritten with zeros, not left readable in free pages (/forget).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    return on_connect


class Store:
    def __init__(
        self, url: str, echo: bool = False, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS
    ) -> None:
        self.url = url
        # pre_ping: a connection the server dropped (a PostgreSQL restart) is replaced
        # before use instead of failing the first transaction after the restart
        self.engine: AsyncEngine = create_async_engine(
            url, echo=echo, pool_pre_ping=url.startswith("postgresql")
        )
        if url.startswith("sqlite"):
            sync_engine: Engine = self.engine.sync_engine
            event.listen(sync_engine, "connect", _sqlite_pragmas(busy_timeout_ms))
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_postgres(self) -> bool:
        return self.url.startswith("postgresql")

    async def migrate(self) -> schema.SchemaState:
        """Apply the migrations the database lacks (storage/migrations); never create_all."""
        return await schema.upgrade(self.engine)

    async def create_schema(self) -> None:
        """A fresh database's schema, by the same migrations production runs."""
        await self.migrate()

    async def prepare(self) -> None:
        """At app start: SQLite migrates itself; PostgreSQL must be current (SchemaNotReady)."""
        await schema.prepare(self.engine)

    async def schema_state(self) -> schema.SchemaState:
        return await schema.schema_state(self.engine)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Repos]:
        """One unit of work: commits on success, rolls back on any error."""
        async with self._sessions() as session, session.begin():
            yield Repos(session, lock_rows=self.is_postgres)

    async def checkpoint(self) -> None:
        """After an erasure: move the WAL into the database file and truncate it, so erased
        text does not linger in `-wal` while the process runs. A no-op on PostgreSQL."""
        if self.is_postgres:
            return
        async with self.engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    async def close(self) -> None:
        await self.engine.dispose()
