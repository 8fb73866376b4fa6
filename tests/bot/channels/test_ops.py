"""The event-loop probe: blocking work shows as blocked time; its endpoint is loopback-only, never proxied."""
from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

from bot.channels.ops import OpsInput, direct_loopback
from bot.loop_probe import LoopProbe


def test_blocking_the_loop_is_measured():
    async def run():
        probe = LoopProbe(0.01)
        probe.start()
        await asyncio.sleep(0.05)
        time.sleep(0.3)  # a synchronous call on the loop, like a blocking database query
        await asyncio.sleep(0.05)
        probe.stop()
        return probe.report()

    report = asyncio.run(run())
    assert report["blocked_s"] >= 0.25 and report["max_lag_ms"] >= 250
    assert 0 < report["blocked_ratio"] < 1


def _request(ip, **headers):
    return SimpleNamespace(conn_info=SimpleNamespace(client_ip=ip), headers={k.lower(): v for k, v in headers.items()})


def test_only_direct_loopback_callers_are_served():
    assert direct_loopback(_request("127.0.0.1")) and direct_loopback(_request("::1"))
    assert not direct_loopback(_request("203.0.113.9"))
    # Through the proxy on the same machine: the peer is loopback, but the proxy says who asked.
    assert not direct_loopback(_request("127.0.0.1", **{"X-Forwarded-For": "203.0.113.9"}))
    assert not direct_loopback(_request("127.0.0.1", **{"X-Real-IP": "203.0.113.9"}))


def test_off_by_default():
    assert OpsInput(0.0).probe is None and OpsInput(0.05).probe.interval == 0.05
