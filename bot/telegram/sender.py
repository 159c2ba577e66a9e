"""A request middleware on the Bot's session: every Bot API call goes through it.

* 429: waits `retry_after`, then retries (a bounded number of times);
* network errors and 5xx: retries with exponential backoff, then gives up (raises);
* except for calls made by the outbox (`single_attempt()`): those are tried once and the
  failure goes back to the outbox, which pauses only that destination or backs off the row,
  so a worker holding other rows (crisis cards) never sleeps here;
* 403 on a private chat: the user blocked the bot, so the conversation is marked blocked and
  nothing more is sent there until the user writes again;
* messages that reach a private chat are reported, so /clear can delete them later.

Never logs a chat id or text: only the method name and the kind of failure.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.exceptions import (
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.types import Message, MessageId

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]

_SINGLE_ATTEMPT: ContextVar[bool] = ContextVar("telegram_single_attempt", default=False)


@contextmanager
def single_attempt() -> Iterator[None]:
    """Calls inside are tried once: the caller (the outbox) handles waits and retries."""
    token = _SINGLE_ATTEMPT.set(True)
    try:
        yield
    finally:
        _SINGLE_ATTEMPT.reset(token)


class SendHooks(Protocol):
    def is_blocked(self, chat_id: int) -> bool: ...

    async def blocked(self, chat_id: int) -> None: ...

    async def sent(self, chat_id: int, message_ids: list[int]) -> None: ...


def private_chat_id(method: TelegramMethod[Any]) -> int | None:
    """The target chat of a call when it is a private chat (positive id), else None."""
    chat_id = getattr(method, "chat_id", None)
    return chat_id if isinstance(chat_id, int) and chat_id > 0 else None


class SendGuard(BaseRequestMiddleware):
    def __init__(
        self,
        hooks: SendHooks | None = None,
        *,
        max_retry_after: int = 5,
        network_retries: int = 3,
        backoff_s: float = 0.5,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.hooks = hooks
        self.max_retry_after = max_retry_after
        self.network_retries = network_retries
        self.backoff_s = backoff_s
        self.sleep = sleep  # tests replace it to record the delays

    async def __call__(self, make_request: Any, bot: Bot, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, GetUpdates):  # polling has its own backoff
            return await make_request(bot, method)
        chat_id = private_chat_id(method)
        if chat_id is not None and self.hooks is not None and self.hooks.is_blocked(chat_id):
            raise TelegramForbiddenError(method, "Forbidden: bot was blocked by the user")
        result = await self._with_retries(make_request, bot, method, chat_id)
        if chat_id is not None and self.hooks is not None:
            await self._report_sent(chat_id, result)
        return result

    async def _with_retries(
        self, make_request: Any, bot: Bot, method: TelegramMethod[Any], chat_id: int | None
    ) -> Any:
        name = method.__api_method__.lower()  # lower case passes the privacy log filter
        once = _SINGLE_ATTEMPT.get()
        waits = network_failures = 0
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                waits += 1
                if once or waits > self.max_retry_after:
                    raise
                log.warning("%s: flood limit, waiting before retry", name)
                await self.sleep(float(exc.retry_after))
            except (TelegramNetworkError, TelegramServerError) as exc:
                network_failures += 1
                if once or network_failures > self.network_retries:
                    log.warning("%s: %s", name, "failed" if once else "giving up after retries")
                    raise
                kind = "server_error" if isinstance(exc, TelegramServerError) else "network"
                log.warning("%s: %s, retrying", name, kind)
                await self.sleep(self.backoff_s * 2 ** (network_failures - 1))
            except TelegramForbiddenError:
                if chat_id is not None and self.hooks is not None:
                    log.warning("%s: user blocked the bot; conversation marked blocked", name)
                    await self.hooks.blocked(chat_id)
                raise

    async def _report_sent(self, chat_id: int, result: Any) -> None:
        results = result if isinstance(result, list) else [result]
        ids = [
            r.message_id
            for r in results
            if isinstance(r, Message | MessageId)
            and (not isinstance(r, Message) or r.chat.type == "private")
        ]
        if ids and self.hooks is not None:
            try:
                await self.hooks.sent(chat_id, ids)
            except Exception as exc:  # the message is out; losing its id only weakens /clear
                log.warning("could not record a sent message id (%s)", type(exc).__name__.lower())
