"""One private chat's updates are handled in arrival order; other chats are not held up."""

from __future__ import annotations

import asyncio
import datetime as dt

from aiogram import Bot, Dispatcher, Router
from aiogram.types import Chat, Message, Update, User

from bot.handlers.ordering import PrivateChatOrder

# Later messages take less time, so without ordering they would finish first.
DELAY = {"one": 0.06, "two": 0.04, "three": 0.02, "other": 0.0}


def update(update_id: int, chat_id: int, text: str, chat_type: str = "private") -> Update:
    user = User(id=abs(chat_id), is_bot=False, first_name="x")
    chat = Chat(id=chat_id, type=chat_type)
    message = Message(
        message_id=update_id, date=dt.datetime.now(dt.UTC), chat=chat, from_user=user, text=text
    )
    return Update(update_id=update_id, message=message)


def dispatcher(done: list[tuple[int, str]], ordered: bool) -> Dispatcher:
    dp = Dispatcher()
    if ordered:
        dp.update.outer_middleware(PrivateChatOrder())
    router = Router()

    @router.message()
    async def handle(message: Message) -> None:
        await asyncio.sleep(DELAY[message.text or ""])
        done.append((message.chat.id, message.text or ""))

    dp.include_router(router)
    return dp


async def feed_as_tasks(dp: Dispatcher, updates: list[Update]) -> None:
    bot = Bot("42:TEST")  # never talks to the network here
    await asyncio.gather(*(asyncio.create_task(dp.feed_update(bot, u)) for u in updates))


async def test_one_chat_in_order_while_others_go_on() -> None:
    done: list[tuple[int, str]] = []
    updates = [update(1, 7, "one"), update(2, 7, "two"), update(3, 7, "three")]
    updates.append(update(4, 8, "other"))
    await feed_as_tasks(dispatcher(done, ordered=True), updates)
    assert [t for c, t in done if c == 7] == ["one", "two", "three"]
    assert done[0] == (8, "other")  # the other chat was not queued behind chat 7


async def test_without_it_the_order_is_lost() -> None:
    """The control: shows the test above can fail."""
    done: list[tuple[int, str]] = []
    updates = [update(1, 7, "one"), update(2, 7, "two"), update(3, 7, "three")]
    await feed_as_tasks(dispatcher(done, ordered=False), updates)
    assert [t for _, t in done] == ["three", "two", "one"]


async def test_groups_are_not_serialised() -> None:
    done: list[tuple[int, str]] = []
    updates = [update(1, -100, "one", "supergroup"), update(2, -100, "three", "supergroup")]
    await feed_as_tasks(dispatcher(done, ordered=True), updates)
    assert [t for _, t in done] == ["three", "one"]
