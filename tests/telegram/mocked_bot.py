"""A Bot whose session records every call and answers from a script, like aiogram's own
tests/mocked_bot.py, but with sensible default answers so a whole dialog can run through it.

`session.fail(exc)` makes the next call raise `exc` (queued, in order); `session.calls` holds
every method the bot tried to call, including the failed ones.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import deque
from collections.abc import AsyncGenerator
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    AnswerCallbackQuery,
    CopyMessage,
    CreateForumTopic,
    DeleteMessage,
    DeleteMessages,
    EditMessageText,
    GetMe,
    SendMessage,
    TelegramMethod,
)
from aiogram.types import Chat, ForumTopic, Message, MessageId, User

MAX_TEXT = 4096  # as Telegram counts it: after the HTML entities are parsed
TOKEN = "42:TEST-mocked-bot-token-abcdefghijklmnop"
BOT_USER = User(id=42, is_bot=True, first_name="Helpline", username="helpline_test_bot")


def _shown(text: str | None) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text or ""))


class MockedSession(BaseSession):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[TelegramMethod[Any]] = []
        self.failures: deque[Exception] = deque()
        self.next_id = 100

    def fail(self, *errors: Exception) -> None:
        self.failures.extend(errors)

    def sent(self, kind: type[TelegramMethod[Any]] = SendMessage) -> list[Any]:
        return [c for c in self.calls if isinstance(c, kind)]

    def texts(self) -> list[str]:
        """What the user would read (the HTML entities resolved)."""
        return [html.unescape(c.text) for c in self.sent(SendMessage)]

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109 - the BaseSession signature
    ) -> Any:
        self.calls.append(method)
        if self.failures:
            raise self.failures.popleft()
        text = getattr(method, "text", None)
        if isinstance(method, SendMessage | EditMessageText) and len(_shown(text)) > MAX_TEXT:
            raise TelegramBadRequest(method, "Bad Request: message is too long")
        return self._answer(method)

    def _answer(self, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, SendMessage):
            self.next_id += 1
            chat_id = int(method.chat_id)
            return Message(
                message_id=self.next_id,
                date=dt.datetime.now(dt.UTC),
                chat=Chat(id=chat_id, type="private" if chat_id > 0 else "supergroup"),
                from_user=BOT_USER,
                text=method.text,
                reply_markup=method.reply_markup,
            )
        if isinstance(method, GetMe):  # asked by aiogram for "/command@botname"
            return BOT_USER
        if isinstance(method, CopyMessage):
            self.next_id += 1
            return MessageId(message_id=self.next_id)
        if isinstance(method, CreateForumTopic):
            self.next_id += 1
            return ForumTopic(message_thread_id=self.next_id, name=method.name, icon_color=0)
        if isinstance(method, EditMessageText | AnswerCallbackQuery):
            return True
        if isinstance(method, DeleteMessage | DeleteMessages):
            return True
        return True

    async def close(self) -> None:
        return None

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:  # pragma: no cover
        yield b""


class MockedBot(Bot):
    session: MockedSession

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(TOKEN, session=MockedSession(), **kwargs)
