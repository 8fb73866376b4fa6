"""Conversation locks in Redis that never block the event loop and never poll for a second.

Rasa's `RedisLockStore` talks to Redis with the blocking client on the event
loop (every issue / check / release of a ticket stops all other turns of the
process) and, when a conversation is busy, sleeps a whole second before it
looks again: two messages from one citizen reaching two replicas wait ~1 s.

This store keeps one key per busy conversation (`SET key token NX PX lease`)
and a wake-up list beside it: the holder pushes one token on release and a
waiter blocks on it with `BLPOP` (over redis.asyncio: it waits without
holding the loop), waking as soon as the lock is free. The key is a short
lease (LEASE_SECONDS) that the holder renews while its turn runs: a replica
that dies mid-turn frees its conversations within seconds, not after Rasa's
60-second lock lifetime, so the proxy's retry on another replica goes through. Configured in endpoints.production.yml:

    lock_store:
      type: bot.stores.locks.AsyncRedisLockStore
      url: ${REDIS_HOST}
      port: ${REDIS_PORT}
      db: 1
"""
from __future__ import annotations

import asyncio
import logging
import secrets
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Optional

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore

logger = logging.getLogger(__name__)

KEY_PREFIX = "tthc:lock:"
WAKE_SUFFIX = ":wake"
# A waiter looks again at least this often (seconds), in case a holder died without a wake-up.
RECHECK_SECONDS = 0.25
WAKE_TTL_MS = 5000  # wake-up tokens nobody took expire
LEASE_SECONDS = 5.0  # a holder that stops renewing (it died) frees the lock after this
SOCKET_TIMEOUT = 10.0  # seconds; above RECHECK_SECONDS, so BLPOP is never cut short

# Delete the key only if this holder still owns it, then wake one waiter.
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('del', KEYS[1])
end
redis.call('rpush', KEYS[2], '1')
redis.call('pexpire', KEYS[2], ARGV[2])
return 1
"""
# Extend the lease only if this holder still owns the lock.
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""


class AsyncRedisLockStore(LockStore):
    """One lock per conversation, in Redis, awaited without blocking the loop.

    `host`, `port`, `db`, `password`, `use_ssl` as Rasa's RedisLockStore; Rasa
    builds it from the endpoint config (`type: bot.stores.locks.AsyncRedisLockStore`).
    """

    def __init__(
        self,
        endpoint_config: Any = None,
        host: str = "localhost",
        port: int = 6379,
        db: int = 1,
        password: Optional[str] = None,
        use_ssl: bool = False,
        key_prefix: str = KEY_PREFIX,
        **_ignored: Any,
    ) -> None:
        if endpoint_config is not None:
            options = dict(endpoint_config.kwargs or {})
            host = endpoint_config.url or host
            port = options.get("port", port)
            db = options.get("db", db)
            password = options.get("password", password)
            use_ssl = bool(options.get("use_ssl", use_ssl))
            key_prefix = options.get("key_prefix", key_prefix)
        import redis.asyncio as redis_asyncio

        self.red = redis_asyncio.Redis(
            host=host, port=int(port), db=int(db), password=password or None, ssl=use_ssl,
            socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=SOCKET_TIMEOUT,
        )
        self.key_prefix = key_prefix
        self._release = self.red.register_script(_RELEASE)
        self._renew = self.red.register_script(_RENEW)
        super().__init__()

    def _key(self, conversation_id: str) -> str:
        return self.key_prefix + conversation_id

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = RECHECK_SECONDS,
    ) -> AsyncIterator[TicketLock]:
        """Hold the conversation's lock for the block (renewed for at most `lock_lifetime` seconds).

        Waits while another turn of the same conversation holds it, in any
        process; raises LockError after waiting `lock_lifetime` seconds, or when
        Redis cannot be reached.
        """
        key = self._key(conversation_id)
        token = secrets.token_hex(8)
        lease_ms = max(1, int(min(lock_lifetime, LEASE_SECONDS) * 1000))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + lock_lifetime
        recheck = max(0.01, min(float(wait_time_in_seconds), RECHECK_SECONDS))
        try:
            while not await self.red.set(key, token, nx=True, px=lease_ms):
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
                await self.red.blpop([key + WAKE_SUFFIX], timeout=min(remaining, recheck))
        except LockError:
            raise
        except Exception as exc:  # redis errors: Rasa answers the turn with an error, not a hang
            raise LockError(f"Lock store unavailable: {type(exc).__name__}") from None
        renewing = loop.create_task(self._keep(key, token, lease_ms, lock_lifetime))
        try:
            yield TicketLock(conversation_id)
        finally:
            renewing.cancel()
            try:
                await self._release(keys=[key, key + WAKE_SUFFIX], args=[token, WAKE_TTL_MS])
            except Exception as exc:  # the key expires by itself after the lifetime
                logger.warning("could not release a conversation lock: %s", type(exc).__name__)

    async def _keep(self, key: str, token: str, lease_ms: int, lifetime: float) -> None:
        """Renew the lease every third of it while the turn runs, for at most `lifetime` seconds."""
        loop = asyncio.get_running_loop()
        until = loop.time() + lifetime
        while loop.time() < until:
            await asyncio.sleep(lease_ms / 3000)
            try:
                await self._renew(keys=[key], args=[token, lease_ms])
            except Exception as exc:  # Redis away: the lease runs out, as for a dead holder
                logger.warning("could not renew a conversation lock: %s", type(exc).__name__)

    # Rasa's ticket API (used only by its own lock()) is not kept here.
    def get_lock(self, conversation_id: str) -> Optional[TicketLock]:
        return None

    def delete_lock(self, conversation_id: str) -> None:
        return None

    def save_lock(self, lock: TicketLock) -> None:
        return None
