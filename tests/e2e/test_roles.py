"""Process roles on PostgreSQL: a web process takes Telegram's webhook and answers the child;
the worker (no updates) delivers the staff card; both answer /healthz and /readyz."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import aiohttp

from tests.postgres import SessionPostgres
from tests.telegram.bot_process import SECRET_KEY, BotProcess

from .emulator import BOT_TOKEN, WAIT_SCALE, Emulator, User
from .emulator_server import EmulatorServer
from .staff_helpers import STAFF_CHAT
from .test_webhook import free_port

HELPLINE = Path(sys.executable).with_name("helpline")


def migrate(url: str, cwd: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELPLINE_")}
    env |= {"HELPLINE_DATABASE_URL": url, "HELPLINE_SECRET_KEY": SECRET_KEY}
    done = subprocess.run(
        [str(HELPLINE), "migrate"], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


async def status(port: int, path: str) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{port}{path}") as resp,
    ):
        return resp.status, await resp.text()


async def wait_ready(proc: BotProcess, port: int) -> None:
    deadline = asyncio.get_running_loop().time() + 20 * WAIT_SCALE  # a deadline, not a delay
    while asyncio.get_running_loop().time() < deadline:
        if proc.proc is not None and proc.proc.poll() is not None:
            raise RuntimeError(f"process exited:\n{proc.log()}")
        try:
            if (await status(port, "/readyz"))[0] == 200:
                return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.05)
    raise TimeoutError(f"not ready on {port}:\n{proc.log()}")


async def test_web_answers_and_the_worker_delivers(
    emulator_server: EmulatorServer,
    emulator: Emulator,
    postgres: SessionPostgres,
    tmp_path: Path,
) -> None:
    async with postgres.database() as url:
        migrate(url, tmp_path)
        common = {
            "HELPLINE_DATABASE_URL": url,
            "HELPLINE_STAFF_CHAT_ID": str(STAFF_CHAT),
            "HELPLINE_TELEGRAM_GROUP_PER_MINUTE": "600",
            "HELPLINE_HTTP_HOST": "127.0.0.1",
        }
        web_port, worker_port = free_port(), free_port()
        web = BotProcess(
            emulator_server.api_url,
            BOT_TOKEN,
            tmp_path / "web",
            {
                **common,
                "HELPLINE_ROLE": "web",
                "HELPLINE_HTTP_PORT": str(web_port),
                "HELPLINE_TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{web_port}/tg/hook",
            },
        )
        worker = BotProcess(
            emulator_server.api_url,
            BOT_TOKEN,
            tmp_path / "worker",
            {**common, "HELPLINE_ROLE": "worker", "HELPLINE_HTTP_PORT": str(worker_port)},
        )
        web.start()
        try:
            await wait_ready(web, web_port)
            await emulator.wait_for_call("setWebhook")
            user = User(id=56001, language_code="en")
            sent = await emulator.send_text(user, "I want to kill myself")
            reply = await emulator.wait_for_message(
                user.id, lambda m: "112" in (m.text or ""), after=sent, timeout=10
            )
            assert reply is not None
            await asyncio.sleep(1.5)  # a web process does not deliver the outbox
            assert await emulator.bot_messages(STAFF_CHAT) == []

            worker.start()
            await wait_ready(worker, worker_port)
            await emulator.wait_for_message(STAFF_CHAT, timeout=10)
            await asyncio.sleep(1.5)  # a second copy would have arrived by now
            assert len(await emulator.bot_messages(STAFF_CHAT)) == 1

            for port in (web_port, worker_port):
                assert await status(port, "/healthz") == (200, "ok\n")
                assert await status(port, "/readyz") == (200, "ready\n")
            # Neither polls Telegram: the web process has the webhook, the worker no updates.
            assert await emulator.calls("getUpdates") == []
            assert await emulator.calls("deleteWebhook") == []
        finally:
            assert worker.stop() in (0, None), worker.log()
            assert web.stop() == 0, web.log()
            await emulator.reset()  # the webhook this test set must not outlive it
