"""A Sanic app served in-process over ASGI, for testing the channels' blueprints without a server.

    async with served(("/webhooks/rest", blueprint), agent=None) as call:
        response = await call("POST", "/webhooks/rest/webhook", json={...})
        response.status, response.json, response.text
"""
from __future__ import annotations

import asyncio
import contextlib
import json as jsonlib
import uuid
from dataclasses import dataclass
from typing import Any, AsyncIterator, Dict, Optional, Tuple
from urllib.parse import urlencode

from sanic import Blueprint, Sanic


@dataclass
class Response:
    status: int
    headers: Dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def json(self) -> Any:
        return jsonlib.loads(self.body)


@contextlib.asynccontextmanager
async def served(*mounted: Tuple[str, Blueprint], agent: Any = None) -> AsyncIterator:
    """Call the blueprints, each under its prefix, as Rasa's app serves a channel's (`request.app.ctx.agent`)."""
    # Sanic 21.12 rewrites shared methods when an app starts; in test mode it starts from the originals,
    # so that several apps can start in one process.
    Sanic.test_mode = True
    app = Sanic(f"test_{uuid.uuid4().hex[:8]}")
    app.ctx.agent = agent
    for prefix, blueprint in mounted:
        app.blueprint(blueprint, url_prefix=prefix)
    startup: asyncio.Queue = asyncio.Queue()
    await startup.put({"type": "lifespan.startup"})
    started = asyncio.Event()

    async def lifespan_send(message):
        started.set()

    lifespan = asyncio.ensure_future(
        app({"type": "lifespan", "asgi": {"version": "3.0"}}, startup.get, lifespan_send)
    )
    waiting = asyncio.ensure_future(started.wait())
    await asyncio.wait([lifespan, waiting], return_when=asyncio.FIRST_COMPLETED)
    if lifespan.done():
        waiting.cancel()
        lifespan.result()  # the start-up failed: raise its error

    async def call(method: str, path: str, body: bytes = b"", json: Any = None,
                   headers: Optional[Dict[str, Any]] = None, params: Optional[Dict[str, str]] = None) -> Response:
        if json is not None:
            body = jsonlib.dumps(json).encode("utf-8")
        raw_headers = [(b"host", b"test"), (b"content-length", str(len(body)).encode())]
        if json is not None:
            raw_headers.append((b"content-type", b"application/json"))
        for name, value in (headers or {}).items():
            raw_headers.append((name.lower().encode(), value if isinstance(value, bytes) else value.encode("latin-1")))
        chunks = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive():
            return chunks.pop(0) if chunks else {"type": "http.disconnect"}

        out = []

        async def send(message):
            out.append(message)

        query = urlencode(params or {}).encode()
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
                 "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query,
                 "root_path": "", "headers": raw_headers, "client": ("127.0.0.1", 1), "server": ("test", 80)}
        await app(scope, receive, send)
        start = next(m for m in out if m["type"] == "http.response.start")
        headers_out = {k.decode().lower(): v.decode() for k, v in start["headers"]}
        return Response(start["status"], headers_out,
                        b"".join(m.get("body", b"") for m in out if m["type"] == "http.response.body"))

    try:
        yield call
    finally:
        lifespan.cancel()
        with contextlib.suppress(BaseException):
            await lifespan
