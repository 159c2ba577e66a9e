"""Persistence: SQLAlchemy 2 async models, engine and repositories (the only SQL in the code)."""

from storage.engine import Store

__all__ = ["Store"]
