"""Zalo OA settings. Secrets come from the environment (or credentials.yml, which
can itself read the environment); none is ever committed or logged."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Dict, Mapping, Optional

DEFAULT_API_URL = "https://openapi.zalo.me"
DEFAULT_OAUTH_URL = "https://oauth.zaloapp.com"

# credentials.yml key -> environment variable
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
    def from_env(
        cls, credentials: Optional[Mapping[str, Any]] = None, environ: Optional[Mapping[str, str]] = None
    ) -> "ZaloSettings":
        environ = os.environ if environ is None else environ
        credentials = credentials or {}
        values: Dict[str, Any] = {}
        for key, variable in _KEYS.items():
            value = credentials.get(key)
            if value in (None, ""):
                value = environ.get(variable, "")
            if value not in (None, ""):
                values[key] = str(value).strip()
        for key in ("timeout", "max_event_age"):
            if key in values:
                try:
                    values[key] = float(values[key])
                except ValueError:
                    raise ValueError(f"{_KEYS[key]} phải là số giây.") from None
        for key in ("api_url", "oauth_url"):
            if key in values:
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
