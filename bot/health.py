"""Health endpoints for load balancers and orchestrators.

`/healthz`: the process is alive and its event loop answers (no I/O).
`/readyz`: the database answers and its schema is at the revision this code needs; 503 with
one line saying why otherwise (no personal data, no connection strings).
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from storage import Store

READY_TIMEOUT_S = 3.0


async def readiness(store: Store) -> str:
    """Empty when ready; otherwise why not, in one line."""
    try:
        async with asyncio.timeout(READY_TIMEOUT_S):
            state = await store.schema_state()
    except TimeoutError:
        return "database did not answer in time"
    except Exception as exc:  # any failure to reach the database means not ready
        return f"database unreachable ({type(exc).__name__})"
    return state.problem()


def add_health_routes(aio: web.Application, store: Store) -> None:
    async def healthz(_request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def readyz(_request: web.Request) -> web.Response:
        problem = await readiness(store)
        if problem:
            return web.Response(status=503, text=f"not ready: {problem}\n")
        return web.Response(text="ready\n")

    aio.router.add_get("/healthz", healthz)
    aio.router.add_get("/readyz", readyz)
    aio.router.add_get("/health", healthz)  # the name earlier releases answered on
