"""Alembic migrations of the helpline's schema (see README.md here). Run by storage.migrate."""
