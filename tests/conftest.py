"""Session-wide fixtures for every test package."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.postgres import PostgresUnavailableError, SessionPostgres, choose_postgres

_used: list[str] = []  # where the session's PostgreSQL came from, for the summary line


@pytest.fixture(scope="session")
def postgres() -> Iterator[SessionPostgres]:
    """The session's PostgreSQL (tests/postgres.py): started on first use, stopped at the end."""
    try:
        server = choose_postgres()
    except PostgresUnavailableError as exc:
        pytest.fail(f"PostgreSQL for the tests: {exc}", pytrace=False)
    _used.append(server.origin)
    try:
        yield server
    finally:
        server.stop()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _used:
        terminalreporter.write_line(f"PostgreSQL for the tests: {_used[0]}")
