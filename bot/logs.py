"""Logging that cannot leak. Every record passes `PrivacyFilter` before it is written:

* arguments are kept only when plainly safe (booleans, floats, short lowercase slugs, names of
  exception classes); integers are dropped (chat ids and phone numbers are integers);
* an exception passed as an argument or as the message becomes its class name;
* the message text itself is scrubbed (digit runs, phone numbers, e-mails, handles, pydantic's
  `input_value=…`), for messages built with f-strings;
* a traceback keeps its frames and exception class names but loses every exception message
  (a database or validation error's message can quote what the user wrote).
"""

from __future__ import annotations

import logging
import re
import time
import traceback
from types import TracebackType

from bot.masking import Masker, Span, rule_spans

_SAFE_ARG = re.compile(r"^[a-z_][a-z0-9_.:/-]{0,40}$")
_EXCEPTION_NAME = re.compile(
    r"^[A-Z][A-Za-z0-9]{0,60}(Error|Exception|Warning|Exit|Interrupt|Timeout|Cancelled)$"
)
_INPUT_VALUE = re.compile(r"input_value=.*?(?=, input_type=|\]\n|\]$|$)", re.MULTILINE)
_DIGITS = re.compile(r"\d{5,}")
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_][\w.]{2,}")
REDACTED = "[redacted]"
REFRESH_S = 1.0  # a miss walks the exception classes again (under a millisecond)


def exception_names() -> frozenset[str]:
    """Names of every exception class loaded so far (for arguments like CamelCase names)."""
    names: set[str] = set()
    todo: list[type[BaseException]] = [BaseException]
    while todo:
        cls = todo.pop()
        if cls.__name__ not in names:
            names.add(cls.__name__)
            todo.extend(cls.__subclasses__())
    return frozenset(names)


def _identifiers(text: str) -> list[Span]:
    """Numbers, e-mails and handles: what an f-string in our own code could carry. (Names and
    addresses are left to the callers: in log text the masking rules would hit plain words.)"""
    return [s for s in rule_spans(text) if s.kind in _LOGGED_KINDS]


_LOGGED_KINDS = frozenset({"phone", "iin", "card", "email"})
_LOG_MASKER = Masker([_identifiers])


def scrub(text: str) -> str:
    """Mask what could identify someone in free text written by our own code."""
    text = _INPUT_VALUE.sub("input_value=" + REDACTED, text)
    text = _HANDLE.sub("[account]", _LOG_MASKER.mask(text))
    return _DIGITS.sub("[number]", text)


def safe_traceback(
    exc_type: type[BaseException] | None,
    exc: BaseException | None,
    tb: TracebackType | None,
) -> str:
    """The traceback with its frames and class names, never an exception's message."""
    lines: list[str] = []
    seen: set[int] = set()
    chain: list[BaseException] = []
    current = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    for i, item in enumerate(reversed(chain)):
        if i:
            lines.append("\nDuring handling of the above exception, another one followed:\n")
        lines.append("Traceback (most recent call last):")
        frames = traceback.extract_tb(item.__traceback__ if item is not exc else tb)
        for frame in frames:
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
        lines.append(f"{type(item).__module__}.{type(item).__qualname__}: [message withheld]")
    if not chain and exc_type is not None:
        lines.append(f"{exc_type.__qualname__}: [message withheld]")
    return "\n".join(lines)


class PrivacyFilter(logging.Filter):
    """Drop arguments, message parts and exception messages that could carry message text,
    phone numbers, chat ids or names. Code that must log a count does so as part of a safe
    slug-like string, or not at all."""

    def __init__(self) -> None:
        super().__init__()
        self._exception_names = exception_names()
        self._refreshed = time.monotonic()

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, BaseException):
            record.msg = type(record.msg).__name__
        elif not isinstance(record.msg, str):
            record.msg = REDACTED
        message = record.msg
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            try:  # formatted here, so the scrub below sees the whole message
                message = message % tuple(self._safe(a) for a in args)
            except (TypeError, ValueError, KeyError):
                message = record.msg
        record.msg, record.args = scrub(message), ()
        if record.exc_info:
            record.exc_text = safe_traceback(*record.exc_info)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = REDACTED
        return True

    def _safe(self, value: object) -> object:
        if isinstance(value, bool) or value is None or isinstance(value, float):
            return value
        if isinstance(value, BaseException):
            return type(value).__name__
        if isinstance(value, type) and issubclass(value, BaseException):
            return value.__name__
        if isinstance(value, str):
            if _SAFE_ARG.match(value):
                return value
            if _EXCEPTION_NAME.match(value) or self._is_exception_name(value):
                return value
        return REDACTED

    def _is_exception_name(self, value: str) -> bool:
        if len(value) > 60 or not value.isidentifier():
            return False
        now = time.monotonic()
        if value not in self._exception_names and now - self._refreshed > REFRESH_S:
            self._exception_names = exception_names()  # classes loaded since we started
            self._refreshed = now
        return value in self._exception_names


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
