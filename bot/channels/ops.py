"""Operations endpoint of one Rasa server: its event-loop probe, for benchmarks and operators.

`GET /webhooks/ops/loop` answers the probe's totals (bot/loop_probe.py) when
LOOP_PROBE_INTERVAL is set, 404 otherwise. Only direct loopback callers are
served: a request from another machine, or one relayed by the proxy (which
adds X-Forwarded-For / X-Real-IP), gets 404, so the endpoint is never public.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import runtime
from bot.loop_probe import LoopProbe

LOOPBACK = {"127.0.0.1", "::1"}
PROXY_HEADERS = ("x-forwarded-for", "x-real-ip", "forwarded")


def direct_loopback(request: Request) -> bool:
    """True for a request made on this machine straight to the server (not through the proxy)."""
    peer = (request.conn_info.client_ip if request.conn_info else "") or ""
    return peer in LOOPBACK and not any(name in request.headers for name in PROXY_HEADERS)


class OpsInput(InputChannel):
    """Not a citizen channel: it only serves the loop probe's figures."""

    def __init__(self, interval: float = 0.0) -> None:
        self.probe: Optional[LoopProbe] = LoopProbe(interval) if interval > 0 else None

    @classmethod
    def name(cls) -> Text:
        return "ops"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "OpsInput":
        return cls(runtime.settings().loop_probe_interval)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        ops = Blueprint("ops_webhook", __name__)
        probe = self.probe

        @ops.listener("after_server_start")
        async def start_probe(app, loop) -> None:
            if probe is not None:
                probe.start()

        @ops.listener("before_server_stop")
        async def stop_probe(app, loop) -> None:
            if probe is not None:
                probe.stop()

        @ops.route("/loop", methods=["GET"])
        async def loop_report(request: Request) -> HTTPResponse:
            if probe is None or not direct_loopback(request):
                return response.json({"error": "Không tìm thấy."}, status=404)
            return response.json(probe.report())

        return ops
