"""How long the Rasa server's event loop was blocked: a probe that measures its own lateness.

The probe sleeps `interval` seconds again and again; when the loop is busy
with blocking work (a synchronous database call, a long computation) it wakes
late. The lateness beyond the interval is time no other turn could run:
summed up it is the loop's blocked time (a lower bound: blocks shorter than
the timer's resolution are missed). Switched on by LOOP_PROBE_INTERVAL and
read through GET /webhooks/ops/loop (bot/channels/ops.py).
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Dict, Optional


@dataclass
class LoopProbe:
    """Blocked time of the running loop, sampled every `interval` seconds."""

    interval: float
    started: float = field(default_factory=time.monotonic)
    samples: int = 0
    blocked_s: float = 0.0
    max_lag_s: float = 0.0
    _task: Optional[asyncio.Task] = None

    def start(self) -> None:
        """Start sampling on the running loop (once)."""
        if self._task is None:
            self.started = time.monotonic()
            self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self) -> None:
        while True:
            before = time.monotonic()
            await asyncio.sleep(self.interval)
            self.record(time.monotonic() - before)

    def record(self, elapsed: float) -> None:
        """One sample: the loop gave the probe back control `elapsed` seconds after it slept."""
        lag = max(0.0, elapsed - self.interval)
        self.samples += 1
        self.blocked_s += lag
        self.max_lag_s = max(self.max_lag_s, lag)

    def report(self) -> Dict[str, float]:
        """Totals since the start: wall and blocked seconds, their ratio, the longest single lag (ms)."""
        wall = time.monotonic() - self.started
        return {
            "interval_s": self.interval,
            "wall_s": round(wall, 3),
            "blocked_s": round(self.blocked_s, 4),
            "blocked_ratio": round(self.blocked_s / wall, 4) if wall > 0 else 0.0,
            "max_lag_ms": round(self.max_lag_s * 1000, 1),
            "samples": self.samples,
        }
