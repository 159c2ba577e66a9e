"""Webhook mode: the real bot subprocess serves the webhook; only Telegram's secret gets in."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.dialogs import texts as t
from bot.i18n import gettext
from bot.telegram_app import webhook_secret
from tests.telegram.bot_process import SECRET_KEY, BotProcess

from .emulator import BOT_TOKEN, Emulator, User
from .emulator_server import EmulatorServer

PATH = "/tg/hook"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def hook_bot(
    emulator_server: EmulatorServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotProcess]:
    port = free_port()
    url = f"http://127.0.0.1:{port}{PATH}"
    env = {
        "HELPLINE_TELEGRAM_WEBHOOK_URL": url,
        "HELPLINE_HTTP_HOST": "127.0.0.1",
        "HELPLINE_HTTP_PORT": str(port),
    }  # no HELPLINE_TELEGRAM_WEBHOOK_SECRET: the bot derives it from the secret key
    proc = BotProcess(emulator_server.api_url, BOT_TOKEN, tmp_path_factory.mktemp("hook"), env)
    proc.start()
    try:
        state = proc.wait_until(
            "setWebhook", lambda: proc.emulator_get("/test/webhook")["webhooks"]
        )
        proc.webhook = state[0]  # type: ignore[attr-defined]
        proc.url = url  # type: ignore[attr-defined]
        yield proc
    finally:
        code = proc.stop()
        assert code == 0, f"bot did not stop cleanly ({code}):\n{proc.log()}"


def derived_secret() -> str:
    return webhook_secret(Settings(secret_key=SecretStr(SECRET_KEY)))


@pytest.fixture
async def hooked(hook_bot: BotProcess, emulator: Emulator) -> BotProcess:
    # the emulator fixture resets everything, the webhook too: set it again as the bot did
    await emulator.set_webhook(hook_bot.url, secret_token=derived_secret())  # type: ignore[attr-defined]
    return hook_bot


def test_bot_set_its_webhook_with_the_derived_secret(hook_bot: BotProcess) -> None:
    hook: dict[str, Any] = hook_bot.webhook  # type: ignore[attr-defined]
    assert hook["url"] == hook_bot.url  # type: ignore[attr-defined]
    assert hook["secret_token"] == derived_secret()
    assert len(derived_secret()) == 64 and SECRET_KEY not in derived_secret()


async def test_requests_without_the_right_secret_are_refused(
    hooked: BotProcess, emulator: Emulator
) -> None:
    user = User(id=5001, language_code="en")
    await emulator.send_text(user, "/start", secret_token="wrong")
    await emulator.send_text(user, "/start", secret_token=None)
    async with aiohttp.ClientSession() as http:
        update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "text": "/start"}}
        async with http.post(hooked.url, json=update) as resp:  # type: ignore[attr-defined]
            assert resp.status == 401
    deliveries = (await emulator.webhook_state())["deliveries"]
    assert [d["status"] for d in deliveries] == [401, 401]
    assert await emulator.bot_messages(user.id) == []
    assert hooked.conversation(user.id) is None


async def test_request_with_the_right_secret_is_handled(
    hooked: BotProcess, emulator: Emulator
) -> None:
    user = User(id=5002, language_code="kk")
    sent = await emulator.send_command(user, "/start")
    reply = await emulator.wait_for_message(user.id, after=sent, timeout=8)
    assert gettext(t.ASK_CALLER, "kk") in (reply.text or "")
    deliveries = (await emulator.webhook_state())["deliveries"]
    assert [d["status"] for d in deliveries] == [200]
    conv = hooked.conversation(user.id)
    assert conv is not None and conv["language"] == "kk"
