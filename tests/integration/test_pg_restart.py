"""PostgreSQL restarting under load (issue 8, acceptance 2): every turn completes, once.

The restart is simulated with a TCP proxy in front of the shared server: the proxy drops
every connection and refuses new ones for two seconds, then comes back (the shared
PostgreSQL itself is never stopped).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import make_url

from bot.dialogs import Event
from bot.privacy import Identity
from bot.services.duty import FixedDuty
from bot.services.turns import Inbound, TurnService
from storage import Store
from tests.fakes import FakeClassifier
from tests.postgres import SessionPostgres

USERS = 30


class FlakyProxy:
    """A TCP proxy to PostgreSQL that can be cut off and brought back on the same port."""

    def __init__(self, host: str, port: int, socket_dir: str | None = None) -> None:
        self.target = (host, port)
        # the embedded server of a bare machine listens on a Unix socket only
        self.socket_path = f"{socket_dir}/.s.PGSQL.{port}" if socket_dir else None
        self.port = 0
        self.server: asyncio.Server | None = None
        self.links: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(
            self._link, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self.server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in list(self.links):
            writer.close()
        self.links.clear()
        await self.server.wait_closed()

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            if self.socket_path is not None:
                up_reader, up_writer = await asyncio.open_unix_connection(self.socket_path)
            else:
                up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self.links |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


@pytest.fixture
async def proxied_store(
    postgres: SessionPostgres,
) -> AsyncIterator[tuple[Store, FlakyProxy]]:
    async with postgres.database() as url:
        real = make_url(url)
        socket_dir = real.query.get("host")
        if not isinstance(socket_dir, str) or not socket_dir.startswith("/"):
            socket_dir = None
        proxy = FlakyProxy(real.host or "127.0.0.1", real.port or 5432, socket_dir)
        await proxy.start()
        query = {k: v for k, v in real.query.items() if k != "host"}
        proxied = real.set(host="127.0.0.1", port=proxy.port, query=query)
        store = Store(proxied.render_as_string(hide_password=False))
        try:
            await store.create_schema()
            yield store, proxy
        finally:
            await store.close()
            with contextlib.suppress(Exception):
                await proxy.cut()


async def test_a_postgres_restart_during_a_load_loses_no_crisis(
    proxied_store: tuple[Store, FlakyProxy],
) -> None:
    store, proxy = proxied_store
    turns = TurnService(store, FakeClassifier(), Identity(b"r" * 32), FixedDuty(True))

    async def child(n: int) -> list[int]:
        who = str(700_000 + n)
        await turns.handle(Inbound("telegram", who, Event("start")))
        await asyncio.sleep(0.05 * n)  # spread over the restart
        outcome = await turns.handle(Inbound("telegram", who, Event("text", text="I want to die")))
        return outcome.case_ids

    async def restart() -> None:
        await asyncio.sleep(0.5)
        await proxy.cut()  # every connection dropped, new ones refused
        await asyncio.sleep(2.0)
        await proxy.start()  # back on the same port

    results = await asyncio.gather(*(child(n) for n in range(USERS)), restart())
    opened = [ids for ids in results[:USERS]]
    assert all(ids for ids in opened), "a crisis turn opened no case"
    async with store.transaction() as repos:
        cases = await repos.cases.list()
        cards = [r for r in await repos.outbox.list() if r.kind == "card"]
    assert len(cases) == USERS
    assert sorted(r.case_id for r in cards) == sorted(c.id for c in cases)  # one card each
