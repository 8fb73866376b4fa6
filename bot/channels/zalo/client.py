"""The Zalo OA API, as this project uses it: send a customer-service message,
refresh the access token when Zalo says it is expired or invalid (-216, or
-220 as Zalo also reports it), retry outages.

Each ZaloError has a `kind` the outbox acts on: OUTAGE (network, 5xx: retry
later), RATE_LIMITED (-32: slow down), TOKEN (no token, or a refresh Zalo
refused: retry later, the operator must give a new pair) and REFUSED (any
other Zalo error, e.g. -201 invalid message, -213 user not following:
sending again will not help).

Nothing personal is logged: errors name Zalo's error code or the exception
type, never the user id or the text.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any, Callable, Dict, Optional

import aiohttp

from bot.channels.zalo.config import ZaloSettings
from bot.channels.zalo.store import ChannelStore, Tokens
from storage.base import utcnow

logger = logging.getLogger(__name__)

SEND_PATH = "/v3.0/oa/message/cs"
REFRESH_PATH = "/v4/oa/access_token"
TOKEN_EXPIRED = -216
TOKEN_ERRORS = frozenset({-216, -220})  # both mean: refresh the access token and send again
RATE_LIMITED = -32
OUTAGE, RATE_LIMITED_KIND, TOKEN, REFUSED = "outage", "rate_limited", "token", "refused"
RETRY_DELAYS = (1.0, 3.0)  # after an outage (network error, 5xx), before giving up


class ZaloError(Exception):
    """Zalo refused or could not be reached; `code` is Zalo's error code or a word."""

    def __init__(self, code: Any, retriable: bool = False, kind: Optional[str] = None):
        super().__init__(f"Zalo error {code}")
        self.code = code
        self.retriable = retriable
        if kind is None:
            kind = OUTAGE if retriable else RATE_LIMITED_KIND if code == RATE_LIMITED else (
                TOKEN if code in TOKEN_ERRORS else REFUSED)
        self.kind = kind


class TokenKeeper:
    """The access token in use, refreshed at most once for many callers."""

    def __init__(self, settings: ZaloSettings, store: Callable[[], ChannelStore]):
        self.settings = settings
        self._store = store
        self._tokens: Optional[Tokens] = None
        self._lock = asyncio.Lock()

    def _seed(self) -> Optional[Tokens]:
        if self.settings.access_token or self.settings.refresh_token:
            return Tokens(self.settings.access_token, self.settings.refresh_token)
        return None

    async def access_token(self) -> str:
        if self._tokens is None:
            async with self._lock:
                if self._tokens is None:
                    self._tokens = await asyncio.to_thread(
                        self._store().current_tokens, self.settings.token_key, self._seed()
                    )
        if self._tokens is None or not (self._tokens.access_token or self._tokens.refresh_token):
            raise ZaloError("no_token", kind=TOKEN)
        return self._tokens.access_token

    async def refresh(self, http: "ZaloClient", used: str) -> str:
        """A new access token, unless another caller (here or in another process) already replaced `used`."""
        async with self._lock:
            if self._tokens is not None and self._tokens.access_token != used:
                return self._tokens.access_token
            stored = await asyncio.to_thread(self._store().current_tokens, self.settings.token_key, self._seed())
            if stored is not None and stored.access_token and stored.access_token != used:
                self._tokens = stored  # another Rasa process refreshed first; its pair is the live one
                return stored.access_token
            self._tokens = stored or self._tokens
            if not self.settings.can_refresh or self._tokens is None or not self._tokens.refresh_token:
                raise ZaloError("cannot_refresh", kind=TOKEN)
            data = await http.post_form(
                self.settings.oauth_url + REFRESH_PATH,
                {"refresh_token": self._tokens.refresh_token, "app_id": self.settings.app_id,
                 "grant_type": "refresh_token"},
                headers={"secret_key": self.settings.app_secret_key},
            )
            access, refresh = data.get("access_token"), data.get("refresh_token")
            if not isinstance(access, str) or not access:
                raise ZaloError(data.get("error", "refresh_failed"), kind=TOKEN)
            expires_at = None
            try:
                expires_at = utcnow() + dt.timedelta(seconds=int(data.get("expires_in")))
            except (TypeError, ValueError):
                pass
            tokens = Tokens(access, refresh if isinstance(refresh, str) and refresh else self._tokens.refresh_token,
                            expires_at)
            await asyncio.to_thread(self._store().save_tokens, self.settings.token_key, tokens)
            self._tokens = tokens
            logger.info("zalo: access token refreshed")
            return access


class ZaloClient:
    def __init__(self, settings: ZaloSettings, tokens: TokenKeeper, retry_delays=RETRY_DELAYS):
        self.settings = settings
        self.tokens = tokens
        self.retry_delays = tuple(retry_delays)
        self._session: Optional[aiohttp.ClientSession] = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.settings.timeout))
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def _call(self, method: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        try:
            async with self._http().request(method, url, **kwargs) as response:
                if response.status >= 500:
                    raise ZaloError(f"http_{response.status}", retriable=True)
                if response.status >= 400:
                    raise ZaloError(f"http_{response.status}",
                                    kind=RATE_LIMITED_KIND if response.status == 429 else None)
                try:
                    data = await response.json(content_type=None)
                except ValueError:
                    raise ZaloError("bad_json", retriable=True) from None
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise ZaloError(type(exc).__name__, retriable=True) from None
        if not isinstance(data, dict):
            raise ZaloError("bad_json", retriable=True)
        return data

    async def post_form(self, url: str, form: Dict[str, str], headers: Dict[str, str]) -> Dict[str, Any]:
        return await self._call("POST", url, data=form, headers=headers)

    async def _send_once(self, token: str, user_id: str, message: Dict[str, Any]) -> Dict[str, Any]:
        return await self._call(
            "POST", self.settings.api_url + SEND_PATH,
            json={"recipient": {"user_id": user_id}, "message": message},
            headers={"access_token": token},
        )

    async def send(self, user_id: str, message: Dict[str, Any], retry: bool = True) -> Dict[str, Any]:
        """Send one message; refreshes an expired token once; retries outages when `retry`."""
        delays = list(self.retry_delays) if retry else []
        while True:
            try:
                return await self._send_with_token(user_id, message)
            except ZaloError as exc:
                if not exc.retriable or not delays:
                    raise
                await asyncio.sleep(delays.pop(0))

    async def _send_with_token(self, user_id: str, message: Dict[str, Any]) -> Dict[str, Any]:
        token = await self.tokens.access_token()
        if not token:  # only a refresh token was configured
            token = await self.tokens.refresh(self, token)
        data = await self._send_once(token, user_id, message)
        if data.get("error") in TOKEN_ERRORS:
            token = await self.tokens.refresh(self, token)
            data = await self._send_once(token, user_id, message)
        if data.get("error") != 0:
            raise ZaloError(data.get("error", "unknown"))
        return data
