"""Zalo OA settings. Secrets come from the process's settings (ZALO_* in the
environment) or from credentials.yml, whose non-empty values win; none is ever
committed or logged."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Mapping, Optional

from settings import Settings, SettingsError

DEFAULT_API_URL = Settings.__fields__["zalo_api_url"].default
DEFAULT_OAUTH_URL = Settings.__fields__["zalo_oauth_url"].default

# credentials.yml key -> environment variable (the Settings field is its lower case)
_KEYS = {
    "app_id": "ZALO_APP_ID",
    "oa_secret_key": "ZALO_OA_SECRET_KEY",
    "app_secret_key": "ZALO_APP_SECRET_KEY",
    "access_token": "ZALO_ACCESS_TOKEN",
    "refresh_token": "ZALO_REFRESH_TOKEN",
    "api_url": "ZALO_API_URL",
    "oauth_url": "ZALO_OAUTH_URL",
    "timeout": "ZALO_TIMEOUT",
    "max_event_age": "ZALO_MAX_EVENT_AGE",
}


@dataclass(frozen=True)
class ZaloSettings:
    app_id: str = ""
    # Secrets stay out of repr(), so a logged settings object shows none of them.
    oa_secret_key: str = field(default="", repr=False)  # signs the webhook events
    app_secret_key: str = field(default="", repr=False)  # the app's secret, to refresh the access token
    access_token: str = field(default="", repr=False)
    refresh_token: str = field(default="", repr=False)
    api_url: str = DEFAULT_API_URL
    oauth_url: str = DEFAULT_OAUTH_URL
    timeout: float = 10.0  # seconds per call to Zalo
    max_event_age: float = 86400.0  # seconds; older signed events are treated as replays

    @classmethod
    def from_settings(cls, settings: Settings, credentials: Optional[Mapping[str, Any]] = None) -> "ZaloSettings":
        """The ZALO_* settings, each overridden by the same key of `credentials` (credentials.yml) if non-empty.

        Raises SettingsError when a number from credentials.yml is not one.
        """
        credentials = credentials or {}
        values: Dict[str, Any] = {}
        for key, variable in _KEYS.items():
            value = credentials.get(key)
            if value in (None, ""):
                values[key] = getattr(settings, variable.lower())
            else:
                values[key] = str(value).strip()
        for key in ("timeout", "max_event_age"):
            try:
                values[key] = float(values[key])
            except ValueError:
                raise SettingsError(f"{_KEYS[key]} (credentials.yml: {key}) phải là số giây.") from None
            if values[key] <= 0:
                raise SettingsError(f"{_KEYS[key]} (credentials.yml: {key}) phải lớn hơn 0.")
        for key in ("api_url", "oauth_url"):
            values[key] = values[key].rstrip("/")
        return cls(**values)

    @property
    def can_receive(self) -> bool:
        """Events can be verified (app id and OA secret key are known)."""
        return bool(self.app_id and self.oa_secret_key)

    @property
    def can_refresh(self) -> bool:
        return bool(self.app_id and self.app_secret_key)

    @property
    def token_key(self) -> str:
        return f"zalo:{self.app_id}"
