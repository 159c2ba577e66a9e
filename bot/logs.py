"""Logging that cannot leak: records are reduced to their format string's fixed text unless
their arguments are plainly safe (numbers, booleans, short slugs)."""

from __future__ import annotations

import logging
import re

_SAFE_ARG = re.compile(r"^[a-z_][a-z0-9_.:/-]{0,40}$")


class PrivacyFilter(logging.Filter):
    """Drop arguments that could be message text, phone numbers, chat ids or names.

    Integers are dropped too: chat ids and phone numbers are integers. Code that must log a
    count does so as part of a safe slug-like string, or not at all.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            safe = tuple(a if self._safe(a) else "[redacted]" for a in args)
            record.args = safe
        return True

    @staticmethod
    def _safe(value: object) -> bool:
        if isinstance(value, bool) or value is None:
            return True
        if isinstance(value, float):
            return True
        return isinstance(value, str) and bool(_SAFE_ARG.match(value))


def setup_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(PrivacyFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # aiogram logs update contents and chat ids at INFO/DEBUG: keep it quiet. Alembic tells
    # its dialect on every schema check; `helpline migrate` prints its own summary line.
    noisy_loggers = ("aiogram.event", "aiogram.dispatcher", "aiohttp.access", "apscheduler")
    for noisy in (*noisy_loggers, "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
