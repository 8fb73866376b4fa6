"""Serve a Sanic app on a free loopback port in a background thread, for unit tests.

Sanic 21.12 has no test client without the `sanic-testing` package; this runs
the real server (listeners, middleware, blueprints) and lets the test talk to
it with `requests`.
"""
from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from typing import Iterator

from sanic import Sanic


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(app: Sanic, timeout: float = 20.0) -> Iterator[str]:
    """The base URL ("http://127.0.0.1:<port>") of `app`, served until the block ends."""
    # Sanic rewrites its HTTP methods at each start ("touch-up"); a second start in one process
    # fails unless it keeps the originals, which it does in test mode.
    Sanic.test_mode = True
    port = _free_port()
    loop = asyncio.new_event_loop()
    started = threading.Event()
    state = {}

    async def start() -> None:
        server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
        await server.startup()
        await server.before_start()
        await server.after_start()
        state["server"] = server

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(start())
        except Exception as exc:  # reported to the test below
            state["error"] = exc
            started.set()
            return
        started.set()
        loop.run_forever()

    async def stop() -> None:
        server = state["server"]
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    if not started.wait(timeout):
        raise RuntimeError("the Sanic app did not start")
    if "error" in state:
        raise state["error"]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        asyncio.run_coroutine_threadsafe(stop(), loop).result(timeout)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        loop.close()
