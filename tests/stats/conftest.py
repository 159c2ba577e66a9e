"""The real databases of the integration tests (SQLite file, throw-away PostgreSQL)."""

from tests.integration.conftest import store

__all__ = ["store"]
