"""Python client of the Telegram Bot API emulator (tests/emulator/server.js).

``Emulator`` is an asynchronous aiohttp client of the emulator's ``/test/...`` routes: it
acts as users (private chats and groups), inspects what the bot sent and injects faults.
The Node process itself is started by ``emulator_server.EmulatorServer``, so that it can
live for the whole test session while each test's asyncio loop gets its own HTTP client.

A bot under test talks to ``api_url`` like to api.telegram.org, e.g. via
``Emulator.make_bot()`` or ``TelegramAPIServer.from_base(api_url)``.
"""

from __future__ import annotations

import asyncio
import enum
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from .emulator_server import EmulatorServer, EmulatorUnavailableError

#: A syntactically valid bot token; the emulator derives the bot's id (123456) from it.
BOT_TOKEN = "123456:TEST-helpline-bot-token-0123456789abcdef"
#: What the emulator's getMe reports as the bot's username.
BOT_USERNAME = "HelplineTestBot"
#: Env var through which the bot learns the Bot API base URL.
API_URL_ENV = "HELPLINE_TELEGRAM_API_URL"

# Waits are deadlines, not delays: a passing test is not slowed by a longer one, and a loaded
# machine (CI beside other work) must not turn a slow reply into a failure.
WAIT_SCALE = float(os.environ.get("HELPLINE_TEST_WAIT_SCALE", "3"))

Json = dict[str, Any]


class _Unset(enum.Enum):
    UNSET = 0


#: Default for ``secret_token`` arguments: send whatever secret the bot set.
UNSET = _Unset.UNSET


class EmulatorError(RuntimeError):
    """The emulator refused a test request (bad arguments, unknown message, ...)."""


@dataclass(frozen=True)
class User:
    """A Telegram user acting in a test."""

    id: int
    first_name: str = "Test"
    language_code: str | None = "en"
    username: str | None = None
    last_name: str | None = None

    def as_json(self) -> Json:
        data: Json = {"id": self.id, "first_name": self.first_name}
        for key in ("language_code", "username", "last_name"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data


@dataclass(frozen=True)
class BotMessage:
    """A message in a chat as the emulator recorded it (current version after edits)."""

    message_id: int
    chat_id: int
    from_bot: bool
    method: str | None
    text: str | None
    caption: str | None
    raw_text: str | None
    parse_mode: str | None
    reply_markup: Json | None
    message_thread_id: int | None
    reply_to_message_id: int | None
    deleted: bool
    edits: list[Json] = field(default_factory=list)
    message: Json = field(default_factory=dict)
    record: Json = field(default_factory=dict)

    @classmethod
    def from_record(cls, record: Json) -> BotMessage:
        return cls(
            message_id=int(record["message_id"]),
            chat_id=int(record["chat_id"]),
            from_bot=bool(record["from_bot"]),
            method=record.get("method"),
            text=record.get("text"),
            caption=record.get("caption"),
            raw_text=record.get("raw_text"),
            parse_mode=record.get("parse_mode"),
            reply_markup=record.get("reply_markup"),
            message_thread_id=record.get("message_thread_id"),
            reply_to_message_id=record.get("reply_to_message_id"),
            deleted=bool(record.get("deleted")),
            edits=list(record.get("edits") or []),
            message=dict(record.get("message") or {}),
            record=record,
        )

    @property
    def edited(self) -> bool:
        return bool(self.edits)

    @property
    def buttons(self) -> list[Json]:
        """Inline keyboard buttons, flattened row by row ([] if none)."""
        markup = self.reply_markup or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]

    @property
    def callback_data(self) -> list[str]:
        return [b["callback_data"] for b in self.buttons if "callback_data" in b]

    @property
    def keyboard(self) -> list[str]:
        """Reply-keyboard button texts, flattened ([] if none)."""
        markup = self.reply_markup or {}
        return [
            b if isinstance(b, str) else b["text"]
            for row in markup.get("keyboard", [])
            for b in row
        ]


class Emulator:
    """Async client of a running emulator: user actions, inspection, faults.

    ``Emulator(api_url)`` talks to an existing server (the pytest fixture's);
    ``Emulator()`` spawns its own server on ``start()`` and stops it on ``stop()``.
    """

    def __init__(self, api_url: str | None = None, *, token: str | None = None) -> None:
        self._api_url = api_url
        self.token = token
        self._own_server: EmulatorServer | None = None
        self._session: aiohttp.ClientSession | None = None

    # --- lifecycle -------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        if self._api_url is None:
            raise EmulatorUnavailableError("Emulator.start() has not been called")
        return self._api_url

    async def start(self) -> Emulator:
        if self._api_url is None:
            self._own_server = EmulatorServer()
            await asyncio.to_thread(self._own_server.start)
            self._api_url = self._own_server.api_url
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        return self

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._own_server is not None:
            await asyncio.to_thread(self._own_server.stop)
            self._own_server = None
            self._api_url = None

    async def __aenter__(self) -> Emulator:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def reset(self) -> None:
        """Forget messages, calls, commands, faults, webhooks and pending updates."""
        await self._post("/test/reset", {})

    async def refuse_unstarted_private_chats(self, on: bool = True) -> None:
        """As on Telegram: the bot's first message to a person who never wrote to it fails
        with 403 "bot can't initiate conversation with a user". Off after each reset."""
        await self._post("/test/options", {"strict_private": on})

    def make_bot(self, token: str = BOT_TOKEN, **bot_kwargs: Any) -> Bot:
        """An aiogram ``Bot`` whose requests go to this emulator (close its session!)."""
        session = AiohttpSession(api=TelegramAPIServer.from_base(self.api_url, is_local=False))
        return Bot(token, session=session, **bot_kwargs)

    # --- HTTP plumbing ---------------------------------------------------------------

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise EmulatorUnavailableError("Emulator.start() has not been called")
        return self._session

    async def _unwrap(self, resp: aiohttp.ClientResponse) -> Any:
        data = await resp.json(content_type=None)
        if not isinstance(data, dict) or not data.get("ok"):
            raise EmulatorError(f"{resp.method} {resp.url.path}: {resp.status} {data}")
        return data["result"]

    async def _post(self, path: str, body: Mapping[str, Any]) -> Any:
        payload = dict(body)
        if self.token is not None:
            payload.setdefault("token", self.token)
        async with self._http().post(self.api_url + path, json=payload) as resp:
            return await self._unwrap(resp)

    async def _get(self, path: str, **query: Any) -> Any:
        params = {k: str(v) for k, v in query.items() if v is not None}
        async with self._http().get(self.api_url + path, params=params) as resp:
            return await self._unwrap(resp)

    # --- user actions: private chats -------------------------------------------------

    async def send_update(
        self, update: Json, *, secret_token: str | _Unset | None = UNSET
    ) -> Json:
        """Inject a raw Update (update_id/message_id/date filled in when missing).

        In webhook mode, ``secret_token`` overrides the header sent to the bot
        (``None`` sends no header); by default the secret set with setWebhook is used.
        Returns ``{"queued": bool, "update_id": int, "webhook": {...}?}``.
        """
        body: Json = {"update": update}
        if secret_token is not UNSET:
            body["secret_token"] = secret_token
        result: Json = await self._post("/test/update", body)
        return result

    async def _message(
        self, user: User, *, secret_token: str | _Unset | None = UNSET, **fields: Any
    ) -> Json:
        body = {"user": user.as_json(), **{k: v for k, v in fields.items() if v is not None}}
        if secret_token is not UNSET:
            body["secret_token"] = secret_token
        result: Json = await self._post("/test/message", body)
        return result

    async def send_text(
        self,
        user: User,
        text: str,
        *,
        chat: Json | None = None,
        reply_to: int | BotMessage | None = None,
        thread_id: int | None = None,
        secret_token: str | _Unset | None = UNSET,
    ) -> Json:
        """The user sends ``text``; returns the injected Message (dict).

        ``chat`` defaults to the user's private chat; pass ``{"id": -100..., "type":
        "supergroup", "is_forum": True}`` for groups (or use ``group_send``). In webhook
        mode ``secret_token`` overrides the secret header (``None``: no header).
        """
        result = await self._message(
            user,
            text=text,
            chat=chat,
            reply_to_message_id=_message_id(reply_to),
            message_thread_id=thread_id,
            secret_token=secret_token,
        )
        message: Json = result["message"]
        return message

    async def send_command(
        self, user: User, command: str, arg: str | None = None, *, chat: Json | None = None
    ) -> Json:
        """``send_command(user, "/start", "src")`` sends ``/start src`` (bot_command entity)."""
        if not command.startswith("/"):
            command = "/" + command
        text = command if not arg else f"{command} {arg}"
        return await self.send_text(user, text, chat=chat)

    async def _media(self, user: User, kind: str, chat: Json | None = None, **fields: Any) -> Json:
        result = await self._message(user, kind=kind, chat=chat, **fields)
        message: Json = result["message"]
        return message

    async def send_sticker(
        self, user: User, emoji: str = "👍", *, chat: Json | None = None
    ) -> Json:
        return await self._media(user, "sticker", chat, emoji=emoji)

    async def send_photo(
        self,
        user: User,
        caption: str | None = None,
        *,
        chat: Json | None = None,
        thread_id: int | None = None,
    ) -> Json:
        return await self._media(user, "photo", chat, caption=caption, message_thread_id=thread_id)

    async def send_voice(
        self,
        user: User,
        duration: int = 3,
        *,
        chat: Json | None = None,
        thread_id: int | None = None,
    ) -> Json:
        return await self._media(
            user, "voice", chat, duration=duration, message_thread_id=thread_id
        )

    async def send_video_note(
        self, user: User, duration: int = 3, *, chat: Json | None = None
    ) -> Json:
        return await self._media(user, "video_note", chat, duration=duration)

    async def send_document(
        self,
        user: User,
        file_name: str = "file.pdf",
        mime_type: str = "application/pdf",
        caption: str | None = None,
        *,
        chat: Json | None = None,
    ) -> Json:
        return await self._media(
            user, "document", chat, file_name=file_name, mime_type=mime_type, caption=caption
        )

    async def send_location(
        self,
        user: User,
        latitude: float = 52.52,
        longitude: float = 13.405,
        *,
        chat: Json | None = None,
    ) -> Json:
        return await self._media(user, "location", chat, latitude=latitude, longitude=longitude)

    async def send_contact(
        self,
        user: User,
        phone_number: str = "+15550001111",
        *,
        own: bool = True,
        chat: Json | None = None,
    ) -> Json:
        """A shared contact; ``own=True`` makes it the user's own (contact.user_id == user.id)."""
        return await self._media(
            user,
            "contact",
            chat,
            phone_number=phone_number,
            contact_first_name=user.first_name,
            contact_user_id=user.id if own else None,
        )

    async def edit_message(
        self, user: User, message_id: int, text: str, *, chat: Json | None = None
    ) -> Json:
        """The user edits their earlier message (an ``edited_message`` update)."""
        await self._message(user, text=text, chat=chat, edit_message_id=message_id)
        chat_id = chat["id"] if chat else user.id
        for msg in await self.bot_messages(chat_id, include_user=True):
            if msg.message_id == message_id and not msg.from_bot:
                return msg.message
        raise EmulatorError(f"edited message {message_id} not found")

    async def press(
        self,
        user: User,
        message: int | BotMessage,
        callback_data: str,
        *,
        chat_id: int | None = None,
        force: bool = False,
    ) -> str:
        """The user presses the inline button ``callback_data`` on a bot message.

        Fails if the message has no such button (unless ``force``). Returns the
        callback query id (see ``callback_answers()``).
        """
        if isinstance(message, BotMessage) and chat_id is None:
            chat_id = message.chat_id
        body: Json = {
            "user": user.as_json(),
            "message_id": _message_id(message),
            "data": callback_data,
            "force": force,
        }
        if chat_id is not None:
            body["chat_id"] = chat_id
        result = await self._post("/test/callback", body)
        return str(result["callback_query_id"])

    # --- user actions: groups --------------------------------------------------------

    @staticmethod
    def group_chat(chat_id: int, *, title: str | None = None, forum: bool = False) -> Json:
        """Chat JSON for a group (-123) or supergroup (-100...) chat."""
        chat: Json = {"id": chat_id}
        if title:
            chat["title"] = title
        if forum:
            chat["is_forum"] = True
        return chat

    async def group_send(
        self,
        chat_id: int,
        user: User,
        text: str,
        reply_to: int | BotMessage | None = None,
        thread_id: int | None = None,
        *,
        forum: bool | None = None,
        title: str | None = None,
    ) -> Json:
        """A member posts in a group; ``reply_to`` a message id makes it a reply.

        ``forum`` defaults to True when ``thread_id`` is given.
        """
        is_forum = forum if forum is not None else thread_id is not None
        chat = self.group_chat(chat_id, title=title, forum=is_forum)
        return await self.send_text(user, text, chat=chat, reply_to=reply_to, thread_id=thread_id)

    async def group_command(
        self,
        chat_id: int,
        user: User,
        command: str,
        arg: str | None = None,
        *,
        mention: bool = False,
        thread_id: int | None = None,
    ) -> Json:
        """``/cmd arg`` in a group; ``mention=True`` sends ``/cmd@HelplineTestBot``."""
        if not command.startswith("/"):
            command = "/" + command
        if mention:
            command = f"{command}@{BOT_USERNAME}"
        text = command if not arg else f"{command} {arg}"
        return await self.group_send(chat_id, user, text, thread_id=thread_id)

    async def group_press(
        self, chat_id: int, user: User, message: int | BotMessage, callback_data: str
    ) -> str:
        return await self.press(user, message, callback_data, chat_id=chat_id)

    # --- inspection ------------------------------------------------------------------

    async def bot_messages(
        self, chat_id: int | None = None, *, include_user: bool = False
    ) -> list[BotMessage]:
        """Messages the bot sent in a chat (or all chats), in order, current versions.

        Deleted ones stay in the list with ``deleted=True``; ``edits`` holds the
        earlier versions. ``include_user`` adds the users' messages too.
        """
        records = await self._get(
            "/test/messages", chat_id=chat_id, all="1" if include_user else None
        )
        return [BotMessage.from_record(r) for r in records]

    async def last_bot_message(self, chat_id: int) -> BotMessage | None:
        messages = [m for m in await self.bot_messages(chat_id) if not m.deleted]
        return messages[-1] if messages else None

    async def wait_for_message(
        self,
        chat_id: int,
        predicate: Callable[[BotMessage], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - polling deadline, the API tests expect
        *,
        after: int | Json | BotMessage | None = None,
        include_deleted: bool = False,
    ) -> BotMessage:
        """Poll until a bot message in ``chat_id`` matches ``predicate``.

        ``after`` (a message id or message) restricts to messages sent after it —
        pass the user's message to wait for the reply to it.
        """
        after_id = _message_id(after) or 0
        deadline = asyncio.get_running_loop().time() + timeout * WAIT_SCALE
        seen: list[BotMessage] = []
        while True:
            seen = await self.bot_messages(chat_id)
            for msg in seen:
                if msg.message_id <= after_id or (msg.deleted and not include_deleted):
                    continue
                if predicate is None or predicate(msg):
                    return msg
            if asyncio.get_running_loop().time() >= deadline:
                break
            await asyncio.sleep(0.05)
        texts = [(m.message_id, m.text or m.caption, m.deleted) for m in seen]
        raise TimeoutError(
            f"no matching bot message in chat {chat_id} after {timeout}s; saw {texts}"
        )

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int,
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        after: int | Json | None = None,
    ) -> list[BotMessage]:
        """Poll until at least ``count`` bot messages exist after ``after``; return them."""
        after_id = _message_id(after) or 0
        deadline = asyncio.get_running_loop().time() + timeout * WAIT_SCALE
        while True:
            found = [m for m in await self.bot_messages(chat_id) if m.message_id > after_id]
            if len(found) >= count:
                return found
            if asyncio.get_running_loop().time() >= deadline:
                raise TimeoutError(f"expected {count} bot messages in {chat_id}, got {found}")
            await asyncio.sleep(0.05)

    async def calls(self, method: str | None = None) -> list[Json]:
        """Log of Bot API calls: ``{seq, time, token, method, params, status, fault?}``."""
        result: list[Json] = await self._get("/test/calls", method=method)
        return result

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[Json], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> Json:
        deadline = asyncio.get_running_loop().time() + timeout * WAIT_SCALE
        while True:
            for call in await self.calls(method):
                if predicate is None or predicate(call):
                    return call
            if asyncio.get_running_loop().time() >= deadline:
                raise TimeoutError(f"no matching {method} call within {timeout}s")
            await asyncio.sleep(0.05)

    async def commands(self) -> list[Json]:
        """All command lists set: ``[{scope, language_code, commands: [{command, ...}]}]``."""
        result: list[Json] = await self._get("/test/commands")
        return result

    async def commands_for(
        self, language_code: str = "", scope_type: str = "default"
    ) -> list[Json]:
        """The commands set for one language ("" = all languages) and scope type."""
        for entry in await self.commands():
            if entry["language_code"] == language_code and entry["scope"]["type"] == scope_type:
                return list(entry["commands"])
        return []

    async def deletions(self, chat_id: int | None = None) -> list[Json]:
        """Deleted messages: ``{chat_id, message_id, method, was_bot_message, text}``."""
        result: list[Json] = await self._get("/test/deletions", chat_id=chat_id)
        return result

    async def callback_answers(self) -> list[Json]:
        """answerCallbackQuery params, in order (``callback_query_id``, ``text``, ...)."""
        result: list[Json] = await self._get("/test/callback_answers")
        return result

    async def topics(self, chat_id: int | None = None) -> list[Json]:
        """Forum topics the bot created (with ``closed``/``deleted`` and edit history)."""
        result: list[Json] = await self._get("/test/topics", chat_id=chat_id)
        return result

    async def pending_updates(self) -> list[Json]:
        """Updates not yet confirmed by the bot's getUpdates offset."""
        result: list[Json] = await self._get("/test/updates")
        return [item["update"] for item in result]

    # --- faults and webhooks ---------------------------------------------------------

    async def inject_fault(
        self,
        method: str,
        kind: str = "429",
        count: int = 1,
        *,
        retry_after: int = 1,
        seconds: float | None = None,
        chat_id: int | None = None,
        description: str | None = None,
    ) -> None:
        """Make the next ``count`` calls of ``method`` fail.

        ``kind``: "429" (with ``retry_after``), "500", "403" (bot blocked), "400", or
        "timeout" (hang ``seconds``, default 5, then answer normally). ``method="*"``
        matches every method except getUpdates. ``chat_id`` limits it to one chat.
        """
        body: Json = {"method": method, "kind": str(kind), "count": count}
        body["retry_after"] = retry_after
        for key, value in (
            ("seconds", seconds),
            ("chat_id", chat_id),
            ("description", description),
        ):
            if value is not None:
                body[key] = value
        await self._post("/test/faults", body)

    async def clear_faults(self) -> None:
        """End every injected fault (the outage is over)."""
        async with self._http().delete(self.api_url + "/test/faults") as resp:
            await self._unwrap(resp)

    async def set_webhook(self, url: str | None, secret_token: str | None = None) -> None:
        """Set (or with ``url=None`` remove) the webhook as the bot's setWebhook would."""
        body: Json = {"url": url or ""}
        if secret_token is not None:
            body["secret_token"] = secret_token
        await self._post("/test/webhook", body)

    async def webhook_state(self) -> Json:
        """``{"webhooks": [{url, secret_token, ...}], "deliveries": [{update_id, status}]}``."""
        result: Json = await self._get("/test/webhook")
        return result


def _message_id(message: int | Json | BotMessage | None) -> int | None:
    if message is None:
        return None
    if isinstance(message, BotMessage):
        return message.message_id
    if isinstance(message, dict):
        return int(message["message_id"])
    return int(message)
