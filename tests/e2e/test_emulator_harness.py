"""Tests of the e2e harness itself: a tiny aiogram 3 bot against the Node emulator."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.enums import ContentType
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.methods import GetBusinessConnection
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from .emulator import BOT_TOKEN, BOT_USERNAME, BotMessage, Emulator, User

KID = User(id=4242, first_name="Kid", language_code="de", username="kid42")
OTHER = User(id=5151, first_name="Other", language_code="en")
FORUM = -1001234567890


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=d)] for t, d in pairs]
    )


def build_router() -> Router:
    """A minimal bot exercising the API surface the helpline bot uses."""
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message, command: CommandObject) -> None:
        await message.answer(
            f"Hello {command.args or 'nobody'}",
            reply_markup=keyboard(("Edit", "edit"), ("Delete", "del")),
        )

    @router.message(Command("topic"))
    async def topic(message: Message, bot: Bot) -> None:
        created = await bot.create_forum_topic(FORUM, name=f"Case {message.chat.id}")
        await bot.send_message(FORUM, "new case", message_thread_id=created.message_thread_id)
        await bot.close_forum_topic(FORUM, created.message_thread_id)

    @router.callback_query(F.data == "edit")
    async def edit(query: CallbackQuery) -> None:
        assert isinstance(query.message, Message)
        await query.message.edit_text("<b>Edited</b>", parse_mode="HTML")
        await query.message.edit_reply_markup(reply_markup=keyboard(("Again", "again")))
        await query.answer("done")

    @router.callback_query(F.data == "del")
    async def delete(query: CallbackQuery) -> None:
        assert isinstance(query.message, Message)
        await query.message.delete()
        await query.answer()

    @router.edited_message()
    async def edited(message: Message) -> None:
        await message.answer(f"edited: {message.text}")

    @router.message(F.chat.type == "supergroup", F.reply_to_message)
    async def group_reply(message: Message) -> None:
        assert message.reply_to_message is not None
        # aiogram's reply() keeps the forum topic (message_thread_id) by itself.
        name = message.from_user.first_name if message.from_user else "?"
        await message.reply(f"reply to {message.reply_to_message.message_id} by {name}")

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"echo: {message.text}")

    @router.message()
    async def other(message: Message) -> None:
        await message.answer(f"got {ContentType(message.content_type).value}")

    return router


@pytest.fixture
async def bot(emulator: Emulator) -> AsyncIterator[Bot]:
    bot = emulator.make_bot()
    try:
        yield bot
    finally:
        await bot.session.close()


@pytest.fixture
async def polling_bot(emulator: Emulator) -> AsyncIterator[Bot]:
    """The test bot, long-polling the emulator in a background task."""
    bot = emulator.make_bot()
    dp = Dispatcher()
    dp.include_router(build_router())
    task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=10))
    try:
        await emulator.wait_for_call("getUpdates")
        yield bot
    finally:
        await dp.stop_polling()
        await task  # start_polling closes the bot session itself


async def test_get_me_parses(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot
    assert me.id == 123456
    assert me.username == BOT_USERNAME
    assert me.can_join_groups


async def test_long_polling_does_not_spin(polling_bot: Bot, emulator: Emulator) -> None:
    before = len(await emulator.calls("getUpdates"))
    await asyncio.sleep(2)
    polls = len(await emulator.calls("getUpdates")) - before
    assert 1 <= polls <= 4, polls


async def test_long_poll_returns_promptly_on_update(polling_bot: Bot, emulator: Emulator) -> None:
    await asyncio.sleep(0.3)  # the bot is now inside a long poll
    sent = await emulator.send_text(KID, "hi")
    loop = asyncio.get_running_loop()
    started = loop.time()
    reply = await emulator.wait_for_message(KID.id, after=sent)
    assert reply.text == "echo: hi"
    assert loop.time() - started < 0.5


async def test_offsets_deliver_each_update_once(polling_bot: Bot, emulator: Emulator) -> None:
    first = await emulator.send_text(KID, "one")
    await emulator.send_text(KID, "two")
    await emulator.send_text(KID, "three")
    replies = await emulator.wait_for_messages(KID.id, 3, after=first["message_id"] - 1)
    await asyncio.sleep(1.2)  # a further poll round: nothing may be delivered again
    texts = [m.text for m in await emulator.bot_messages(KID.id)]
    # This bare test bot handles updates as concurrent tasks, so only "each once" holds here;
    # the helpline bot's order per chat is tested in tests/telegram/test_ordering.py.
    assert sorted(texts) == ["echo: one", "echo: three", "echo: two"], (texts, replies)
    assert await emulator.pending_updates() == []
    offsets = [int(c["params"].get("offset", 0)) for c in await emulator.calls("getUpdates")]
    assert offsets == sorted(offsets)


async def test_command_button_edit_and_callback_answer(
    polling_bot: Bot, emulator: Emulator
) -> None:
    await emulator.send_command(KID, "/start", "school")
    menu = await emulator.wait_for_message(KID.id, lambda m: m.text == "Hello school")
    assert menu.callback_data == ["edit", "del"]
    assert menu.message["from"]["is_bot"] is True

    query_id = await emulator.press(KID, menu, "edit")
    edited = await emulator.wait_for_message(
        KID.id, lambda m: m.message_id == menu.message_id and m.callback_data == ["again"]
    )
    assert edited.text == "Edited"  # HTML parsed like Telegram does
    assert edited.raw_text == "<b>Edited</b>"
    assert [e["text"] for e in edited.edits] == ["Hello school", "Edited"]
    answer = await emulator.wait_for_call("answerCallbackQuery")
    assert answer["params"]["callback_query_id"] == query_id
    assert (await emulator.callback_answers())[0]["text"] == "done"

    with pytest.raises(Exception, match="no button"):
        await emulator.press(KID, menu, "edit")  # that button is gone now


async def test_delete_is_recorded(polling_bot: Bot, emulator: Emulator) -> None:
    await emulator.send_command(KID, "start")
    menu = await emulator.wait_for_message(KID.id)
    await emulator.press(KID, menu, "del")
    await emulator.wait_for_call("deleteMessage")
    deletions = await emulator.deletions(KID.id)
    assert [(d["message_id"], d["was_bot_message"]) for d in deletions] == [
        (menu.message_id, True)
    ]
    (after,) = await emulator.bot_messages(KID.id)
    assert after.deleted
    assert await emulator.last_bot_message(KID.id) is None


async def test_media_and_edited_messages_reach_the_bot(
    polling_bot: Bot, emulator: Emulator
) -> None:
    await emulator.send_sticker(KID)
    await emulator.send_photo(KID, caption="look")
    await emulator.send_voice(KID)
    await emulator.send_document(KID)
    await emulator.send_location(KID)
    await emulator.send_contact(KID)
    await emulator.send_video_note(KID)
    replies = await emulator.wait_for_messages(KID.id, 7)
    # aiogram handles updates concurrently, so replies may come in any order.
    assert sorted(m.text or "" for m in replies) == sorted(
        [
            "got sticker",
            "got photo",
            "got voice",
            "got document",
            "got location",
            "got contact",
            "got video_note",
        ]
    )
    original = await emulator.send_text(KID, "typo")
    await emulator.edit_message(KID, original["message_id"], "fixed")
    await emulator.wait_for_message(KID.id, lambda m: m.text == "edited: fixed")


async def test_forum_group_reply_and_topics(polling_bot: Bot, emulator: Emulator) -> None:
    await emulator.send_command(KID, "/topic")
    post = await emulator.wait_for_message(FORUM, lambda m: m.text == "new case")
    (topic,) = [t for t in await emulator.topics(FORUM) if t["name"] == f"Case {KID.id}"]
    assert post.message_thread_id == topic["message_thread_id"]
    await emulator.wait_for_call("closeForumTopic")
    assert (await emulator.topics(FORUM))[0]["closed"] is True

    reply = await emulator.group_send(
        FORUM, OTHER, "I take it", reply_to=post, thread_id=post.message_thread_id
    )
    assert reply["reply_to_message"]["message_id"] == post.message_id
    answer = await emulator.wait_for_message(FORUM, after=reply)
    assert answer.text == f"reply to {post.message_id} by Other"
    assert answer.message_thread_id == post.message_thread_id
    assert answer.reply_to_message_id == reply["message_id"]


async def test_group_press_and_command(polling_bot: Bot, emulator: Emulator) -> None:
    await emulator.group_command(-100777, OTHER, "/start", "grp", mention=True)
    menu = await emulator.wait_for_message(-100777, lambda m: m.text == "Hello grp")
    await emulator.group_press(-100777, OTHER, menu, "edit")
    await emulator.wait_for_message(-100777, lambda m: m.text == "Edited")


async def test_commands_stored_per_language_and_scope(bot: Bot, emulator: Emulator) -> None:
    await bot.set_my_commands([BotCommand(command="start", description="Start")])
    await bot.set_my_commands(
        [BotCommand(command="start", description="Los")],
        language_code="de",
        scope=BotCommandScopeAllPrivateChats(),
    )
    assert await emulator.commands_for("") == [{"command": "start", "description": "Start"}]
    assert await emulator.commands_for("de", "all_private_chats") == [
        {"command": "start", "description": "Los"}
    ]
    assert [c.description for c in await bot.get_my_commands(language_code="de")] == []
    await bot.delete_my_commands()
    assert await emulator.commands_for("") == []


async def test_faults_map_to_aiogram_exceptions(bot: Bot, emulator: Emulator) -> None:
    await emulator.inject_fault("sendMessage", "429", retry_after=3)
    with pytest.raises(TelegramRetryAfter) as retry:
        await bot.send_message(KID.id, "x")
    assert retry.value.retry_after == 3

    await emulator.inject_fault("*", "500")
    with pytest.raises(TelegramServerError):
        await bot.send_message(KID.id, "x")

    await emulator.inject_fault("sendMessage", "403", chat_id=KID.id)
    await bot.send_message(OTHER.id, "other chat is not affected")
    with pytest.raises(TelegramForbiddenError, match="blocked"):
        await bot.send_message(KID.id, "x")

    sent = await bot.send_message(KID.id, "works again")
    assert sent.text == "works again"
    faults = [c.get("fault") for c in await emulator.calls("sendMessage")]
    assert faults == ["429", "500", None, "403", None]


async def test_refusals_like_telegram(bot: Bot, emulator: Emulator) -> None:
    with pytest.raises(TelegramBadRequest, match="method not found"):
        await bot(GetBusinessConnection(business_connection_id="x"))
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(KID.id, "1 < 2 <3", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(KID.id, "x", reply_markup=keyboard(("long", "x" * 65)))
    sent = await bot.send_message(KID.id, "same")
    with pytest.raises(TelegramBadRequest, match="not modified"):
        await bot.edit_message_text("same", chat_id=KID.id, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="not found"):
        await bot.delete_message(KID.id, 999999)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_webhook_push_carries_secret(bot: Bot, emulator: Emulator) -> None:
    dp = Dispatcher()
    dp.include_router(build_router())
    app = web.Application()
    SimpleRequestHandler(dp, bot, secret_token="s3cret", handle_in_background=False).register(
        app, path="/hook"
    )
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    try:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
        assert (await bot.get_webhook_info()).url.endswith("/hook")
        with pytest.raises(Exception, match="webhook is active"):
            await bot.get_updates()

        sent = await emulator.send_text(KID, "via hook")
        reply = await emulator.wait_for_message(KID.id, after=sent)
        assert reply.text == "echo: via hook"

        await emulator.send_text(KID, "forged", secret_token="wrong")
        await emulator.send_text(KID, "no secret", secret_token=None)
        deliveries = (await emulator.webhook_state())["deliveries"]
        assert [(d["secret_token"], d["status"]) for d in deliveries] == [
            ("s3cret", 200),
            ("wrong", 401),
            (None, 401),
        ]
        assert [m.text for m in await emulator.bot_messages(KID.id)] == ["echo: via hook"]

        await bot.delete_webhook()
        assert await bot.get_updates(timeout=0) == []
    finally:
        await runner.cleanup()


async def test_legacy_client_routes_still_work(bot: Bot, emulator: Emulator) -> None:
    """telegram-test-api's own /sendMessage client route feeds our getUpdates."""
    message = {
        "botToken": BOT_TOKEN,
        "from": {"id": 7, "first_name": "Legacy", "is_bot": False},
        "chat": {"id": 7, "type": "private", "first_name": "Legacy"},
        "text": "old api",
        "date": 0,
    }
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{emulator.api_url}/sendMessage", json=message) as resp,
    ):
        assert resp.status == 200
    (update,) = await bot.get_updates(timeout=1)
    assert update.message is not None
    assert update.message.text == "old api"
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == []


async def test_user_message_sanity(emulator: Emulator) -> None:
    """Injected messages look like Telegram's: ids per chat, command entities, replies."""
    first = await emulator.send_command(KID, "/start", "src")
    assert first["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert first["from"]["language_code"] == "de"
    assert first["chat"] == {
        "id": KID.id,
        "type": "private",
        "first_name": "Kid",
        "username": "kid42",
    }
    msgs = await emulator.bot_messages(KID.id, include_user=True)
    assert [(m.from_bot, m.text) for m in msgs] == [(False, "/start src")]
    assert isinstance(msgs[0], BotMessage)


async def test_uploads_copies_and_chat_info(bot: Bot, emulator: Emulator) -> None:
    """Multipart uploads (aiogram's form-data with files) and the smaller methods."""
    user_msg = await emulator.send_text(KID, "please forward")
    photo = await bot.send_photo(
        KID.id,
        BufferedInputFile(b"\x89PNG fake", "a.png"),
        caption="<i>pic</i>",
        parse_mode="HTML",
    )
    assert photo.caption == "pic"
    assert photo.photo is not None
    assert photo.photo[0].file_size == 9
    voice = await bot.send_voice(KID.id, BufferedInputFile(b"OggS", "v.ogg"), duration=2)
    assert voice.voice is not None
    assert voice.voice.duration == 2
    copied = await bot.copy_message(FORUM, KID.id, user_msg["message_id"])
    (copy,) = await emulator.bot_messages(FORUM)
    assert copy.message_id == copied.message_id
    assert copy.text == "please forward"
    assert await bot.send_chat_action(KID.id, "typing")
    chat = await bot.get_chat(KID.id)
    assert chat.first_name == "Kid"
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.get_chat(-999)
    methods = [c["method"] for c in await emulator.calls()]
    assert methods == [
        "sendPhoto",
        "sendVoice",
        "copyMessage",
        "sendChatAction",
        "getChat",
        "getChat",
    ]
