"""The log filter: nothing identifying in messages, arguments or tracebacks (issue 8, defect 7)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from aiogram.types import Update
from pydantic import ValidationError

from bot.logs import PrivacyFilter, scrub

NAME, CHAT_ID, PHONE, TEXT = "Zhuldyzay", 987654321, "+7 701 765 43 21", "отчим бьёт меня"


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(PrivacyFilter())
    logger = logging.getLogger("tests.privacy")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    try:
        yield logger, stream
    finally:
        logger.handlers[:] = []


def _turn_fails(text: str, chat_id: int) -> None:
    raise RuntimeError(f"could not store {text!r} for chat {chat_id}")


def test_traceback_keeps_frames_and_class_names_but_no_exception_message(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    log, out = captured
    try:
        try:
            _turn_fails(TEXT, CHAT_ID)
        except RuntimeError as exc:
            raise KeyError(f"{NAME} {PHONE}") from exc
    except KeyError:
        log.exception("turn failed")
    written = out.getvalue()
    for secret in (TEXT, str(CHAT_ID), NAME, PHONE):
        assert secret not in written, written
    assert "turn failed" in written
    assert "_turn_fails" in written and "Traceback" in written  # frames stay readable
    assert "builtins.RuntimeError" in written and "builtins.KeyError" in written


def test_message_built_with_an_f_string_is_scrubbed(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    log, out = captured
    log.warning(f"chat {CHAT_ID} wrote from {PHONE}, mail zhuldyz@mail.kz, @zhuldyz_2011")
    written = out.getvalue()
    for secret in (str(CHAT_ID), PHONE, "701", "zhuldyz@mail.kz", "zhuldyz_2011"):
        assert secret not in written, written


def test_arguments_unsafe_dropped_exception_names_kept(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    log, out = captured
    log.warning(
        "send failed (%s, %s, %s) for %s %s %s",
        "TelegramRetryAfter",
        "OperationalError",
        ConnectionResetError("peer 10.0.0.1 reset for chat 987654321"),
        NAME,
        CHAT_ID,
        TEXT,
    )
    written = out.getvalue()
    assert "TelegramRetryAfter" in written and "OperationalError" in written, written
    assert "ConnectionResetError" in written
    for secret in (NAME, str(CHAT_ID), TEXT, "10.0.0.1"):
        assert secret not in written, written


def test_exception_as_the_message_is_its_class_name(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    log, out = captured
    log.error(ValueError(f"{NAME} wrote {TEXT}"))  # type: ignore[arg-type]
    assert out.getvalue().strip().endswith("ValueError")


def test_pydantic_validation_error_does_not_log_user_values(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    """An update that fails validation quotes its input; neither the message nor the
    traceback may carry it into the log."""
    log, out = captured
    bad = {"update_id": 1, "message": {"message_id": "x", "from": {"first_name": NAME}}}
    try:
        Update.model_validate(bad)
    except ValidationError as exc:
        log.error("update rejected: %s", exc)
        log.error(f"update rejected: {exc}")
        log.exception("update rejected")
    written = out.getvalue()
    assert NAME not in written, written
    assert "ValidationError" in written


def test_scrub_leaves_plain_developer_text_alone() -> None:
    assert scrub("outbox send failed (TelegramNetworkError); will retry") == (
        "outbox send failed (TelegramNetworkError); will retry"
    )


def test_exception_classes_loaded_after_start_stay_readable() -> None:
    log_filter = PrivacyFilter()

    class RetryAfterSomething(Exception):  # no "Error" suffix, defined after the filter
        pass

    log_filter._refreshed -= 2  # as if a second had passed since the filter was built
    record = logging.LogRecord("x", logging.WARNING, "p", 1, "failed (%s)", ("Zhuldyzay",), None)
    log_filter.filter(record)
    assert record.getMessage() == "failed ([redacted])"
    record = logging.LogRecord(
        "x", logging.WARNING, "p", 1, "failed (%s)", (RetryAfterSomething.__name__,), None
    )
    log_filter.filter(record)
    assert record.getMessage() == "failed (RetryAfterSomething)"
