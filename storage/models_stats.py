"""Table of the scheduled statistics reports: one row per period, so that of several
processes running the same scheduler exactly one sends each month's report."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base


class ReportRun(Base):
    __tablename__ = "report_runs"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)  # "monthly:2026-02"
    claimed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
