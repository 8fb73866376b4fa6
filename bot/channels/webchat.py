"""The citizens' chat page, served by the Rasa server under /webhooks/webchat/.

    GET  /webhooks/webchat/                 the page (Vietnamese, phone-friendly)
    GET  /webhooks/webchat/static/<file>    its script and style sheet
    POST /webhooks/webchat/conversations    a new signed sender for the page: {"sender": "..."}
    POST /webhooks/webchat/webhook          one message, same JSON as the REST channel
    GET  /webhooks/webchat/updates?sender=  officer replies waiting for the page

The page talks to its own endpoints (same origin), so conversations and
handoff tickets are recorded with the channel name "webchat" (conversation
ids "webchat:<sender>", see conversation_ids.py). It keeps the
conversation in the browser's session storage, so a reload keeps it and
closing the tab on a shared computer (a commune's kiosk) forgets it.

The page never turns text into HTML: every reply and every user message is
put on the page as text nodes, and the Content-Security-Policy header allows
only the page's own script and style sheet.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Optional, Text, Tuple

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

import safe_logging
from bot import runtime
from bot.channels.rest import CitizenRestInput
from bot.channels.sender_access import SenderGate

PAGE_DIR = Path(__file__).resolve().parent / "webchat_page"
# Only these files are ever served: no path from the request reaches the file system.
ASSETS: Dict[str, str] = {
    "index.html": "text/html; charset=utf-8",
    "chat.js": "application/javascript; charset=utf-8",
    "chat.css": "text/css; charset=utf-8",
    "icon.svg": "image/svg+xml",
}


def security_headers(frame_ancestors: str) -> Dict[str, str]:
    return {
        "Content-Security-Policy": (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors {frame_ancestors}"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
    }


class WebChatInput(CitizenRestInput):
    """The REST channel's endpoints plus the page that uses them."""

    def __init__(self, frame_ancestors: str = "'self'", gate: Optional[SenderGate] = None) -> None:
        super().__init__(gate)
        # Which sites may show the page in a frame (a commune's portal, say); the page's own by default.
        self.frame_ancestors = frame_ancestors or "'self'"
        self._cache: Dict[str, Tuple[bytes, str]] = {}

    @classmethod
    def name(cls) -> Text:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WebChatInput":
        safe_logging.install()
        given = (credentials or {}).get("frame_ancestors")
        return cls(given or runtime.settings().webchat_frame_ancestors, runtime.sender_gate(cls.name()))

    def add_page_routes(self, webhook: Blueprint) -> None:
        @webhook.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            if not request.path.endswith("/"):
                # The page's links are relative to the folder.
                return response.redirect(request.path + "/", status=301)
            return self._asset("index.html")

        @webhook.route("/static/<name>", methods=["GET"])
        async def static(request: Request, name: str) -> HTTPResponse:
            if name not in ASSETS or name == "index.html":
                return response.text("Không tìm thấy.", status=404)
            return self._asset(name)

        @webhook.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

    def _asset(self, name: str) -> HTTPResponse:
        if name not in self._cache:
            self._cache[name] = ((PAGE_DIR / name).read_bytes(), ASSETS[name])
        body, content_type = self._cache[name]
        return response.raw(body, content_type=content_type, headers=security_headers(self.frame_ancestors))
