"""The outbox's sender in the Rasa server process: rows of one channel
(storage/outbox.py) are claimed, handed to the channel's `deliver`, and
settled: sent, retried later with exponential backoff, or failed.

The sender runs in the background (`start` / `stop`, from the channel's
Sanic listeners) and wakes every `Policy.poll` seconds; `flush(recipient)`
sends what is due for one conversation at once (the officer API and the
webhook use it so replies go out without waiting for the next poll).

`deliver(row, progress)` raises DeliveryError with a kind:

    RETRY         an outage or a token problem: again after 1, 2, 4... s
                  (at most `Policy.cap`), failed after `Policy.max_attempts`
    RATE_LIMITED  the channel asks to slow down: the whole channel pauses
                  for `Policy.rate_limit_pause` s; not counted as an attempt
    PERMANENT     refused for good: failed at once (officers see it)

A row whose sender died while sending is claimed again once its lease
(`Policy.lease` s) is over; it may then reach the citizen twice, the one
window where that can happen (the channel's API has no idempotency key).
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Optional

from storage.outbox import Claimed, OutboxStore

logger = logging.getLogger(__name__)

RETRY, RATE_LIMITED, PERMANENT = "retry", "rate_limited", "permanent"


class DeliveryError(Exception):
    """The channel did not take the message; `code` is the channel's error code, `kind` what to do."""

    def __init__(self, code: Any, kind: str = RETRY):
        super().__init__(f"delivery error {code}")
        self.code = code
        self.kind = kind


@dataclass(frozen=True)
class Policy:
    base: float = 1.0  # seconds before the first retry; doubled each time
    cap: float = 600.0  # longest wait between two attempts, seconds
    max_attempts: int = 15  # about an hour of outage, then failed
    rate_limit_pause: float = 60.0  # seconds the channel stays quiet after a rate-limit answer
    lease: float = 60.0  # seconds a claimed row stays with its sender
    poll: float = 1.0  # seconds between two looks at the table
    batch: int = 20  # rows claimed at once (each for another recipient, sent concurrently)

    def delay(self, attempts_before: int) -> float:
        return min(self.cap, self.base * (2 ** attempts_before))


Deliver = Callable[[Claimed, Callable[[int], Awaitable[None]]], Awaitable[None]]
OnSent = Callable[[Any, int], None]  # (session, handoff_message_id), inside the outbox's transaction
OnFailed = Callable[[Any, int, str], None]  # (session, handoff_message_id, code)


class OutboxSender:
    def __init__(self, store: Callable[[], OutboxStore], channel: str, deliver: Deliver,
                 on_sent: Optional[OnSent] = None, on_failed: Optional[OnFailed] = None,
                 policy: Policy = Policy()):
        self._store = store
        self.channel = channel
        self.deliver = deliver
        self.on_sent = on_sent
        self.on_failed = on_failed
        self.policy = policy
        self._paused_until = 0.0
        self._wake: Optional[asyncio.Event] = None
        self._task: Optional[asyncio.Task] = None
        self._stopping = False

    # --- one round ------------------------------------------------------------------
    async def run_once(self, recipient: Optional[str] = None) -> int:
        """Claim the due rows (of one recipient, or all) and send them; the number sent."""
        if time.monotonic() < self._paused_until:
            return 0
        rows = await asyncio.to_thread(
            self._store().claim, self.policy.lease, self.policy.batch, self.channel, recipient
        )
        results = await asyncio.gather(*(self._send(row) for row in rows))
        return sum(results)

    async def flush(self, recipient: str, timeout: float = 30.0) -> int:
        """Send what is due for one recipient now, in order; the number sent.

        Waits (up to `timeout` s) while another sender holds one of its rows.
        """
        sent, deadline = 0, time.monotonic() + timeout
        while time.monotonic() < deadline:
            if time.monotonic() < self._paused_until:
                break
            rows = await asyncio.to_thread(self._store().claim, self.policy.lease, 1, self.channel, recipient)
            if rows:
                done = await self._send(rows[0])
                sent += done
                if not done:
                    break  # refused or postponed: what follows waits for it
                continue
            if not await asyncio.to_thread(self._store().in_flight, self.channel, recipient):
                break
            await asyncio.sleep(0.05)
        return sent

    async def _send(self, row: Claimed) -> int:
        store = self._store()

        async def progress(parts: int) -> None:
            await asyncio.to_thread(store.progress, row.id, parts)

        try:
            await self.deliver(row, progress)
        except DeliveryError as exc:
            await self._settle_error(store, row, exc.code, exc.kind)
            return 0
        except Exception as exc:  # a bug or the database: retried like an outage
            await self._settle_error(store, row, type(exc).__name__, RETRY)
            return 0
        try:
            await asyncio.to_thread(store.sent, row.id, self.on_sent)
        except Exception as exc:
            logger.error("outbox: %s row %s sent but not marked (%s)", self.channel, row.id, type(exc).__name__)
        return 1

    async def _settle_error(self, store: OutboxStore, row: Claimed, code: Any, kind: str) -> None:
        try:
            if kind == RATE_LIMITED:
                self._paused_until = time.monotonic() + self.policy.rate_limit_pause
                logger.warning("outbox: %s rate limit (%s); paused %.0f s", self.channel, code,
                               self.policy.rate_limit_pause)
                await asyncio.to_thread(store.retry, row.id, code, self.policy.rate_limit_pause, False)
            elif kind == PERMANENT or row.attempts + 1 >= self.policy.max_attempts:
                logger.error("outbox: %s row %s failed for good (error %s)", self.channel, row.id, code)
                await asyncio.to_thread(store.fail, row.id, code, self.on_failed)
            else:
                delay = self.policy.delay(row.attempts)
                logger.warning("outbox: %s row %s not sent (error %s), again in %.0f s",
                               self.channel, row.id, code, delay)
                await asyncio.to_thread(store.retry, row.id, code, delay)
        except Exception as exc:  # the lease runs out and the row is claimed again
            logger.error("outbox: could not settle %s row %s (%s)", self.channel, row.id, type(exc).__name__)

    # --- in the background ----------------------------------------------------------------
    def start(self) -> None:
        if self._task is None or self._task.done():
            self._stopping = False
            self._wake = asyncio.Event()
            self._task = asyncio.ensure_future(self._loop())

    def wake(self) -> None:
        if self._wake is not None:
            self._wake.set()

    async def stop(self, timeout: float = 15.0) -> None:
        """Finish the round in progress (up to `timeout` s), then stop."""
        if self._task is None:
            return
        self._stopping = True
        self.wake()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout)
        except asyncio.TimeoutError:
            self._task.cancel()
        self._task = None

    async def _loop(self) -> None:
        while not self._stopping:
            try:
                while not self._stopping and await self.run_once():
                    pass
            except Exception as exc:  # the database is away: try again next time
                logger.error("outbox: %s sender round failed (%s)", self.channel, type(exc).__name__)
            try:
                await asyncio.wait_for(self._wake.wait(), self.policy.poll)
            except asyncio.TimeoutError:
                pass
            self._wake.clear()
