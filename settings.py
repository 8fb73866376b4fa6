"""The one settings object: every value the processes take from the environment.

`Settings.from_env()` is the only reader of `os.environ` in the project. Each
process builds it once in its wiring module (`bot/runtime.py` for the Rasa
server, `actions/runtime.py` for the action server, or a CLI's `main`) and
passes the values down; nothing below reads the environment again.

Secrets are refused at start-up when they are left at a demo value (or
missing where they are required) unless `APP_ENV=development`, which
`make run` sets and says so. Every field is listed, with its environment
variable, default and meaning, in the README's configuration table (a test
keeps the two in step).
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import sys
from pathlib import Path
from typing import List, Mapping, Optional, Tuple

from pydantic import BaseModel, Field, ValidationError, validator

PROJECT_ROOT = Path(__file__).resolve().parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'catalogue.db'}"
DEFAULT_CALENDAR_FILE = PROJECT_ROOT / "dossiers" / "data" / "calendar_adjustments.yml"
DEFAULT_OFFICE_HOURS = "7 giờ 30 – 11 giờ 30 và 13 giờ 30 – 17 giờ, thứ Hai đến thứ Sáu (trừ ngày lễ)"
DEFAULT_OFFICE_SESSIONS = "07:30-11:30,13:30-17:00"  # on working days (officer_desk/office_hours.py)
DEFAULT_HOTLINE = "18001096"
# Only for demos and tests: production sets its own DOSSIER_HASH_KEY and CONVERSATION_SECRET.
DEMO_DOSSIER_HASH_KEY = "tthc-demo-key-change-me"
DEMO_CONVERSATION_SECRET = "tthc-demo-conversation-secret-change-me"
DEFAULT_SANIC_HOST = "127.0.0.1"  # the action server listens on loopback unless told otherwise

# The secrets each process needs; `check_secrets(ACTION_SERVER_SECRETS)` and so on.
ACTION_SERVER_SECRETS = ("DOSSIER_HASH_KEY", "ACTION_SERVER_TOKEN")
RASA_SERVER_SECRETS = ("CONVERSATION_SECRET",)

_SESSION_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
Session = Tuple[dt.time, dt.time]


def parse_sessions(text: str) -> List[Session]:
    """OFFICE_SESSIONS: "07:30-11:30,13:30-17:00" → [(07:30, 11:30), (13:30, 17:00)].

    Raises ValueError (in Vietnamese) unless every part is HH:MM-HH:MM, each
    ends after it starts, and they are in order without overlapping.
    """
    sessions: List[Session] = []
    for part in str(text or "").split(","):
        match = _SESSION_RE.match(part)
        if not match:
            raise ValueError(f"khung giờ \"{part.strip()[:20]}\" không đúng dạng HH:MM-HH:MM")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValueError(f"giờ không hợp lệ: \"{part.strip()[:20]}\"")
        start, end = dt.time(h1, m1), dt.time(h2, m2)
        if end <= start or (sessions and start < sessions[-1][1]):
            raise ValueError("các khung giờ phải theo thứ tự, không chồng nhau")
        sessions.append((start, end))
    return sessions


ENV_DEVELOPMENT = "development"
ENV_PRODUCTION = "production"


class SettingsError(ValueError):
    """A setting is malformed, or a secret is missing / at its demo value outside development."""


class Settings(BaseModel):
    """Typed settings of both processes. Field name = environment variable in upper case."""

    # --- mode ---------------------------------------------------------------
    app_env: str = Field(ENV_PRODUCTION, description="development | production")
    # --- storage ------------------------------------------------------------
    database_url: str = DEFAULT_DATABASE_URL
    # --- processes ----------------------------------------------------------
    rasa_port: int = Field(5005, ge=1, le=65535)
    actions_port: int = Field(5055, ge=1, le=65535)
    action_server_url: str = ""  # default: http://localhost:<actions_port>/webhook
    # Interface of the action server; rasa_sdk reads SANIC_HOST (see bind_action_server).
    sanic_host: str = DEFAULT_SANIC_HOST
    # --- who may call what ----------------------------------------------------
    # Every call to the action server's /webhook carries it (endpoints.yml `token:`); required.
    action_server_token: str = Field("", repr=False)
    # The Rasa HTTP API's --auth-token (scripts/run.sh makes one per run when unset).
    rasa_api_token: str = Field("", repr=False)
    # Signs the conversation ids the REST channel and the web page hand out (HMAC-SHA256).
    conversation_secret: str = Field("", repr=False)
    # Trusted integrations that use their own REST sender ids send it as a bearer token; empty: none.
    rest_api_token: str = Field("", repr=False)
    action_server_timeout: float = Field(2.0, gt=0, le=60)  # seconds the Rasa server waits for one action
    reply_timeout: float = Field(2.5, gt=0, le=60)  # seconds before a citizen gets the failure reply
    # --- officers' desk -----------------------------------------------------
    officer_api_token: str = Field("", repr=False)
    office_hours: str = DEFAULT_OFFICE_HOURS  # how the hours are written for citizens
    office_sessions: str = DEFAULT_OFFICE_SESSIONS  # the same hours, read by the bot: "07:30-11:30,13:30-17:00"
    office_address: str = ""  # the desk's address; empty: "where the procedure's answer says"
    hotline: str = DEFAULT_HOTLINE
    # --- dossiers -----------------------------------------------------------
    dossier_hash_key: str = Field("", repr=False)
    dossier_source_url: str = ""
    dossier_source_token: str = Field("", repr=False)
    dossier_source_timeout: float = Field(2.5, gt=0, le=30)  # seconds
    dossier_source_mapping: Optional[Path] = None
    dossier_calendar_file: Path = DEFAULT_CALENDAR_FILE
    # --- Zalo OA (credentials.yml may give the same keys) ---------------------
    zalo_app_id: str = ""
    zalo_oa_secret_key: str = Field("", repr=False)
    zalo_app_secret_key: str = Field("", repr=False)
    zalo_access_token: str = Field("", repr=False)
    zalo_refresh_token: str = Field("", repr=False)
    zalo_api_url: str = "https://openapi.zalo.me"
    zalo_oauth_url: str = "https://oauth.zaloapp.com"
    zalo_timeout: float = Field(10.0, gt=0)  # seconds per call to Zalo
    zalo_max_event_age: float = Field(86400.0, gt=0)  # seconds; older signed events are replays
    # --- web chat page -------------------------------------------------------
    webchat_frame_ancestors: str = "'self'"
    # --- operations -----------------------------------------------------------
    loop_probe_interval: float = Field(0.0, ge=0, le=10)  # seconds; 0 = off (bot/loop_probe.py)

    class Config:
        allow_mutation = False
        extra = "forbid"

    @validator("app_env")
    def _known_env(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in (ENV_DEVELOPMENT, ENV_PRODUCTION):
            raise ValueError("phải là development hoặc production")
        return value

    @validator("dossier_source_url", "zalo_api_url", "zalo_oauth_url", "action_server_url")
    def _strip_slash(cls, value: str) -> str:
        return value.strip().rstrip("/")

    @validator("office_sessions")
    def _sessions(cls, value: str) -> str:
        parse_sessions(value)  # ValueError in Vietnamese when malformed
        return value.strip()

    @validator("sanic_host")
    def _host(cls, value: str) -> str:
        value = value.strip()
        if not value or any(c.isspace() for c in value):
            raise ValueError("phải là địa chỉ giao diện mạng, ví dụ 127.0.0.1")
        return value

    @validator("dossier_calendar_file", "dossier_source_mapping")
    def _project_relative(cls, value: Optional[Path]) -> Optional[Path]:
        if value is not None and not value.is_absolute():
            value = PROJECT_ROOT / value
        return value

    @property
    def development(self) -> bool:
        return self.app_env == ENV_DEVELOPMENT

    @property
    def actions_url(self) -> str:
        """Where the Rasa server calls the action server (endpoints.yml reads ACTION_SERVER_URL)."""
        return self.action_server_url or f"http://localhost:{self.actions_port}/webhook"

    @property
    def hash_key(self) -> bytes:
        """The server secret of the keyed hashes of phone numbers and conversation ids.

        The demo key while DOSSIER_HASH_KEY is unset: `check_secrets()` refuses
        that outside development, so the action server never runs on it in production.
        """
        return (self.dossier_hash_key or DEMO_DOSSIER_HASH_KEY).encode("utf-8")

    @property
    def conversation_key(self) -> bytes:
        """The secret that signs conversation ids (REST, web page); the demo one while unset.

        `check_secrets(RASA_SERVER_SECRETS)` refuses the demo secret outside development.
        """
        return (self.conversation_secret or DEMO_CONVERSATION_SECRET).encode("utf-8")

    def demo_secrets(self) -> list:
        """Names of the secrets left at a demo value (or missing) that production must set.

        ACTION_SERVER_TOKEN has no demo value and is not listed here: it is
        required in every mode (see `check_secrets`).
        """
        left = []
        if self.dossier_hash_key in ("", DEMO_DOSSIER_HASH_KEY):
            left.append("DOSSIER_HASH_KEY")
        if self.conversation_secret in ("", DEMO_CONVERSATION_SECRET):
            left.append("CONVERSATION_SECRET")
        return left

    def check_secrets(self, names: Optional[tuple] = None) -> "Settings":
        """Refuse to start outside development while a secret is at its demo value.

        `names`: the secrets this process needs (default: all of them), e.g.
        ACTION_SERVER_SECRETS. ACTION_SERVER_TOKEN, when asked for, is required
        even in development: the action server answers no call without it.
        Raises SettingsError naming the variables to set.
        """
        wanted = set(names) if names is not None else set(ACTION_SERVER_SECRETS + RASA_SERVER_SECRETS)
        if "ACTION_SERVER_TOKEN" in wanted and not self.action_server_token:
            raise SettingsError(
                "Chưa đặt ACTION_SERVER_TOKEN: máy chủ actions chỉ trả lời Rasa khi có mã này"
                " (đặt cùng một giá trị cho máy chủ actions và Rasa, endpoints.yml gửi nó;"
                " make run tự tạo một mã cho mỗi lần chạy)."
            )
        left = [name for name in self.demo_secrets() if name in wanted]
        if left and not self.development:
            raise SettingsError(
                "Chưa đặt bí mật cho môi trường thật: " + ", ".join(left)
                + " chưa đặt hoặc còn là giá trị mẫu. Hãy đặt một giá trị bí mật riêng"
                " (ví dụ: python -c 'import secrets; print(secrets.token_urlsafe(32))'),"
                " hoặc đặt APP_ENV=development để chạy thử với giá trị mẫu."
            )
        return self

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "Settings":
        """Build the settings from the environment (`os.environ` unless given).

        Unset or empty variables take the defaults above. Raises SettingsError on
        a malformed value (e.g. a port that is not a number).
        """
        environ = os.environ if environ is None else environ
        values = {}
        for name in cls.__fields__:
            raw = environ.get(name.upper())
            if raw is not None and raw.strip() != "":
                values[name] = raw.strip()
        try:
            return cls(**values)
        except ValidationError as exc:
            raise SettingsError(_explain(exc)) from None


def setting_names() -> list:
    """The environment variables the settings object reads, in declaration order."""
    return [name.upper() for name in Settings.__fields__]


# pydantic's messages by error type, in Vietnamese.
_MESSAGES = {
    "type_error.integer": "phải là số nguyên",
    "type_error.float": "phải là số (giây), ví dụ 2.5",
    "value_error.number.not_ge": "phải từ {limit_value} trở lên",
    "value_error.number.not_gt": "phải lớn hơn {limit_value}",
    "value_error.number.not_le": "phải từ {limit_value} trở xuống",
    "value_error.number.not_lt": "phải nhỏ hơn {limit_value}",
    "type_error.path": "phải là đường dẫn tệp",
}


def _explain(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        name = str(error["loc"][0]).upper()
        template = _MESSAGES.get(error["type"])
        message = template.format(**error.get("ctx", {})) if template else error["msg"]
        parts.append(f"{name} {message}")
    return "Cấu hình không hợp lệ: " + "; ".join(parts) + "."


def bind_action_server(settings: Settings, environ: Optional[dict] = None) -> str:
    """Make rasa_sdk listen on SANIC_HOST (loopback unless set); the interface it will use.

    rasa_sdk 3.6 reads SANIC_HOST from the environment right after the
    start-up hook, and listens on all interfaces when it is unset: the hook
    (rasa_sdk_plugins/) calls this so that the default is loopback instead.
    """
    environ = os.environ if environ is None else environ
    environ["SANIC_HOST"] = settings.sanic_host
    return settings.sanic_host


def shell_exports(settings: Settings) -> str:
    """The values `scripts/run.sh` starts the servers with, as shell `export` lines.

    RASA_PORT, ACTIONS_PORT, ACTION_SERVER_URL (derived from ACTIONS_PORT when
    unset), SANIC_HOST, APP_ENV, DEMO_SECRETS (the secrets still at a demo
    value), and the tokens RASA_API_TOKEN and ACTION_SERVER_TOKEN as given
    (empty when unset: run.sh then makes one for the run).
    """
    values = {
        "RASA_PORT": settings.rasa_port,
        "ACTIONS_PORT": settings.actions_port,
        "ACTION_SERVER_URL": settings.actions_url,
        "SANIC_HOST": settings.sanic_host,
        "APP_ENV": settings.app_env,
        "DEMO_SECRETS": " ".join(settings.demo_secrets()),
        "RASA_API_TOKEN": settings.rasa_api_token,
        "ACTION_SERVER_TOKEN": settings.action_server_token,
    }
    return "\n".join(f"export {name}={shlex.quote(str(value))}" for name, value in values.items())


if __name__ == "__main__":
    # `python -m settings`: check the environment before the servers start (exit 2 with the reason).
    try:
        print(shell_exports(Settings.from_env()))
    except SettingsError as exc:
        print(f"Không khởi động được: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
