"""Where a database's schema stands against this code (no Alembic import: the CLI loads it)."""

from __future__ import annotations

from dataclasses import dataclass


class SchemaNotReady(Exception):
    """The database is not at the revision this code needs; the message is one line."""


@dataclass(frozen=True)
class SchemaState:
    current: tuple[str, ...]  # revisions recorded in the database; () when none
    head: str  # the newest revision this code knows
    known: bool  # every recorded revision is one of ours
    legacy_tables: bool  # our tables exist without any revision (made by create_all)

    @property
    def up_to_date(self) -> bool:
        return self.current == (self.head,)

    def problem(self) -> str:
        """Why the app cannot start on this database (empty when it can)."""
        if self.up_to_date:
            return ""
        if not self.current:
            what = "has tables but no schema revision" if self.legacy_tables else "is empty"
            return f"the database {what}: run `helpline migrate` first"
        if not self.known:
            return (
                f"the database is at revision {', '.join(self.current)}, which this version "
                f"does not know (a newer version migrated it): run the newer version"
            )
        return (
            f"the database is at revision {', '.join(self.current)} but this version needs "
            f"{self.head}: run `helpline migrate`"
        )
