"""The Rasa server's wiring: one Settings, one engine, and the stores and clients built on them.

Rasa builds the channels listed in credentials.yml at start-up through their
`from_credentials`; they take what they need from here:

    settings()          Settings.from_env(), read once
    desk_store()        handoff queue and feedback (DATABASE_URL); its engine is the process's one
    channel_store()     Zalo's event ids and tokens, on the same engine
    pending_check()     whether anything waits for a citizen (one statement per turn), beside it
    desk_settings()     OFFICER_API_TOKEN, OFFICE_HOURS, HOTLINE
    zalo_settings(c)    ZALO_*, overridden by credentials.yml's non-empty values
    zalo_client(z)      the Zalo OA API client with its token keeper
    sender_gate(c)      which senders channel c (rest, webchat) accepts: signed with
                        CONVERSATION_SECRET, or any with REST_API_TOKEN

`start()` builds the desk store when Rasa creates the channels, so a
DATABASE_URL naming a SQLite file that does not exist stops the server
(MissingDatabase: run `make db`) instead of serving from an empty database.
Nothing is built at import time. The Rasa server does not use DOSSIER_HASH_KEY
(the action server does and refuses a demo value, see actions/runtime.py); it
refuses a demo CONVERSATION_SECRET outside development when the REST or web
page channel is built.
Tests install their own objects with `configure(settings)` / `set_desk_store(store)`
and forget them with `reset()`.
"""
from __future__ import annotations

import threading
from typing import Any, Mapping, Optional

from bot.channels.conversation_ids import SenderSigner
from bot.channels.pending_check import PendingCheck
from bot.channels.sender_access import SenderGate
from bot.channels.zalo.client import TokenKeeper, ZaloClient
from bot.channels.zalo.config import ZaloSettings
from bot.channels.zalo.store import ChannelStore
from officer_desk.config import DeskSettings
from officer_desk.store import DeskStore
from settings import RASA_SERVER_SECRETS, Settings

_lock = threading.RLock()
_settings: Optional[Settings] = None
_desk: Optional[DeskStore] = None
_channels: Optional[ChannelStore] = None
_pending: Optional[PendingCheck] = None


def settings() -> Settings:
    """The process's settings, read from the environment on first use (SettingsError if malformed)."""
    global _settings
    with _lock:
        if _settings is None:
            _settings = Settings.from_env()
        return _settings


def configure(new: Optional[Settings]) -> None:
    """Install settings (tests, tools), or None to read the environment again on next use.

    Stores already built or installed stay; `reset()` forgets them too.
    """
    global _settings
    with _lock:
        _settings = new


def reset() -> None:
    """Forget the settings and the stores built on them: the next use builds anew."""
    global _settings, _desk, _channels, _pending
    with _lock:
        _settings = None
        _desk = None
        _channels = None
        _pending = None


def start() -> None:
    """Build what the channels need before serving: MissingDatabase or SettingsError if it cannot be."""
    desk_store()


def desk_store() -> DeskStore:
    """The handoff queue and feedback log over DATABASE_URL (one engine per process)."""
    global _desk
    with _lock:
        if _desk is None:
            _desk = DeskStore.from_url(settings().database_url)
        return _desk


def set_desk_store(store: Optional[DeskStore]) -> None:
    """Tests install their own store (or reset with None); the channel store and the pending check
    follow its engine."""
    global _desk, _channels, _pending
    with _lock:
        _desk = store
        _channels = None
        _pending = None


def channel_store() -> ChannelStore:
    """Zalo's processed events and token pair, on the desk store's engine."""
    global _channels
    with _lock:
        if _channels is None:
            _channels = ChannelStore(desk_store().engine)
        return _channels


def pending_check() -> PendingCheck:
    """Whether desk messages or kept replies wait for a conversation, over the desk store's database."""
    global _pending
    with _lock:
        if _pending is None:
            _pending = PendingCheck.beside(desk_store().engine)
        return _pending


def desk_settings() -> DeskSettings:
    return DeskSettings.from_settings(settings())


def zalo_settings(credentials: Optional[Mapping[str, Any]] = None) -> ZaloSettings:
    return ZaloSettings.from_settings(settings(), credentials)


def zalo_client(zalo: ZaloSettings) -> ZaloClient:
    """A client of the Zalo OA API whose tokens are kept in channel_store()."""
    return ZaloClient(zalo, TokenKeeper(zalo, channel_store))


def sender_gate(channel: str) -> SenderGate:
    """The senders `channel` accepts (see bot/channels/sender_access.py).

    Raises SettingsError outside development while CONVERSATION_SECRET is unset or at its demo value.
    """
    configured = settings().check_secrets(RASA_SERVER_SECRETS)
    return SenderGate(channel, SenderSigner(configured.conversation_key), configured.rest_api_token)
