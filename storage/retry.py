"""Retrying a unit of work after a transient database error.

Transient: SQLite "database is locked/busy" (another writer held the lock past the busy
timeout), PostgreSQL serialization failures and deadlocks, and a connection lost or refused
(a restart, a reset). The unit of work must be one transaction, so a failed attempt left
nothing behind and running it again is the same as running it once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import asyncpg
from sqlalchemy import exc as sa_exc

log = logging.getLogger(__name__)

T = TypeVar("T")

_PG_TRANSIENT = (
    asyncpg.SerializationError,
    asyncpg.DeadlockDetectedError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
    asyncpg.InterfaceError,
)
_SQLITE_TRANSIENT = ("database is locked", "database is busy", "database table is locked")


def is_transient(exc: BaseException) -> bool:
    """True for errors that a second attempt of the same transaction may not meet."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:  # the cause chain, wrappers too
        seen.add(id(current))
        if isinstance(current, sa_exc.DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, (*_PG_TRANSIENT, ConnectionError, TimeoutError)):
            return True
        if isinstance(current, OSError) and not isinstance(current, FileNotFoundError):
            return True
        text = str(current).lower()
        if isinstance(current, sa_exc.OperationalError | sa_exc.DBAPIError) and any(
            marker in text for marker in _SQLITE_TRANSIENT
        ):
            return True
        if "sqlite3" in type(current).__module__ and any(m in text for m in _SQLITE_TRANSIENT):
            return True
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return False


async def retry_transient(
    work: Callable[[], Awaitable[T]],
    *,
    within_s: float = 60.0,
    first_delay_s: float = 0.05,
    max_delay_s: float = 2.0,
    what: str = "transaction",
) -> T:
    """Run `work` (one transaction) again after transient errors, for up to `within_s`
    seconds in all; other errors, and the last transient one, are raised."""
    deadline = time.monotonic() + within_s
    delay = first_delay_s
    while True:
        try:
            return await work()
        except Exception as exc:
            if not is_transient(exc) or time.monotonic() + delay > deadline:
                raise
            log.warning("%s hit a transient database error (%s); retrying", what, _kind(exc))
        await asyncio.sleep(delay)
        delay = min(max_delay_s, delay * 2)


def _kind(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return type(orig if isinstance(orig, BaseException) else exc).__name__.lower()
