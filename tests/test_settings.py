"""The settings object: the README lists every setting, each one takes effect,
malformed values and demo secrets are refused, and nothing else reads the environment."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Callable, Dict, NamedTuple

import pytest

from actions import runtime as action_runtime
from bot import runtime as bot_runtime
from dossiers.privacy import conversation_key
from dossiers.workdays import DEFAULT_ADJUSTMENTS
from settings import (
    ACTION_SERVER_SECRETS,
    DEFAULT_CALENDAR_FILE,
    DEMO_CONVERSATION_SECRET,
    DEMO_DOSSIER_HASH_KEY,
    RASA_SERVER_SECRETS,
    Settings,
    SettingsError,
    setting_names,
    shell_exports,
)
from tests.conftest import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
RUN_SH = PROJECT_ROOT / "scripts" / "run.sh"
ENDPOINTS = PROJECT_ROOT / "endpoints.yml"
SOURCE_PACKAGES = ["actions", "bot", "dossiers", "officer_desk", "procedures_kb", "storage", "migrations",
                   "vietnamese", "rasa_sdk_plugins"]


def readme_settings() -> list:
    """The variables of the first table under "## Configuration", in order."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    names, in_table = [], False
    for line in section.splitlines():
        if line.startswith("|"):
            in_table = True
            match = re.match(r"\|\s*`([A-Z0-9_]+)`\s*\|", line)
            if match:
                names.append(match.group(1))
        elif in_table:
            break
    return names


def test_the_readme_lists_exactly_the_settings():
    documented = readme_settings()
    assert len(documented) == len(set(documented)), "a variable is listed twice"
    assert set(documented) == set(setting_names())


# --- each setting takes effect -------------------------------------------------------
@pytest.fixture
def wired(tmp_path):
    """Install settings built from a given environment into both processes' wiring."""
    (tmp_path / "settings.db").touch()  # the servers' stores refuse a database file that does not exist
    database = f"sqlite:///{tmp_path / 'settings.db'}"

    def install(environ: Dict[str, str]) -> Settings:
        settings = Settings.from_env({"APP_ENV": "development", "DATABASE_URL": database, **environ})
        action_runtime.reset()
        action_runtime.configure(settings)
        bot_runtime.reset()
        bot_runtime.configure(settings)
        return settings

    yield install
    action_runtime.reset()
    bot_runtime.reset()


def _endpoint_url(monkeypatch, settings: Settings) -> str:
    """The action endpoint Rasa reads from endpoints.yml when the run scripts export ACTION_SERVER_URL."""
    from rasa.utils.endpoints import read_endpoint_config

    monkeypatch.setenv("ACTION_SERVER_URL", settings.actions_url)
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "jeton")
    return read_endpoint_config(str(ENDPOINTS), "action_endpoint").url


def _app_env(settings, tmp_path, monkeypatch):
    assert settings.development
    settings.check_secrets(("DOSSIER_HASH_KEY", "CONVERSATION_SECRET"))  # demo secrets: in development only
    with pytest.raises(SettingsError):
        Settings.from_env({"APP_ENV": "production"}).check_secrets(("DOSSIER_HASH_KEY", "CONVERSATION_SECRET"))


def _database_url(settings, tmp_path, monkeypatch):
    expected = Path(settings.database_url[len("sqlite:///"):])
    assert Path(action_runtime.procedure_service().engine.url.database) == expected
    assert Path(action_runtime.desk_store().engine.url.database) == expected
    assert Path(bot_runtime.desk_store().engine.url.database) == expected
    assert bot_runtime.channel_store().engine is bot_runtime.desk_store().engine


def _rasa_port(settings, tmp_path, monkeypatch):
    assert settings.rasa_port == 5016
    assert "export RASA_PORT=5016" in shell_exports(settings).splitlines()
    script = RUN_SH.read_text(encoding="utf-8")
    assert '-m settings)' in script and 'eval "$exports"' in script
    assert '--port "$RASA_PORT"' in script and "127.0.0.1:${RASA_PORT}/status" in script


def _actions_port(settings, tmp_path, monkeypatch):
    assert settings.actions_url == "http://localhost:5066/webhook"
    assert _endpoint_url(monkeypatch, settings) == "http://localhost:5066/webhook"
    exports = shell_exports(settings).splitlines()
    assert "export ACTIONS_PORT=5066" in exports
    assert "export ACTION_SERVER_URL=http://localhost:5066/webhook" in exports
    script = RUN_SH.read_text(encoding="utf-8")
    assert '--port "$ACTIONS_PORT"' in script and "127.0.0.1:${ACTIONS_PORT}/health" in script


def _action_server_url(settings, tmp_path, monkeypatch):
    assert settings.actions_url == "http://10.0.0.5:6000/webhook"
    assert _endpoint_url(monkeypatch, settings) == "http://10.0.0.5:6000/webhook"


def _sanic_host(settings, tmp_path, monkeypatch):
    from settings import bind_action_server

    environ = {}
    assert bind_action_server(settings, environ) == "0.0.0.0" and environ == {"SANIC_HOST": "0.0.0.0"}
    assert "export SANIC_HOST=0.0.0.0" in shell_exports(settings).splitlines()
    default = {}
    bind_action_server(Settings.from_env({}), default)
    assert default == {"SANIC_HOST": "127.0.0.1"}  # loopback unless set


def _action_server_token(settings, tmp_path, monkeypatch):
    from rasa.utils.endpoints import read_endpoint_config

    assert action_runtime.settings().action_server_token == "jeton-actions"
    monkeypatch.setenv("ACTION_SERVER_URL", settings.actions_url)
    monkeypatch.setenv("ACTION_SERVER_TOKEN", settings.action_server_token)
    for endpoints in (ENDPOINTS, PROJECT_ROOT / "endpoints.production.yml"):
        if endpoints.name == "endpoints.production.yml":
            for name in ("TRACKER_DB_HOST", "TRACKER_DB_PORT", "TRACKER_DB_NAME", "TRACKER_DB_USER",
                         "TRACKER_DB_PASSWORD", "REDIS_HOST", "REDIS_PORT"):
                monkeypatch.setenv(name, "1")
        endpoint = read_endpoint_config(str(endpoints), "action_endpoint")
        assert endpoint.token == "jeton-actions"
        assert endpoint.combine_parameters() == {"token": "jeton-actions"}  # how Rasa sends it: ?token=
    assert "export ACTION_SERVER_TOKEN=jeton-actions" in shell_exports(settings).splitlines()


def _rasa_api_token(settings, tmp_path, monkeypatch):
    assert "export RASA_API_TOKEN=jeton-api" in shell_exports(settings).splitlines()
    script = RUN_SH.read_text(encoding="utf-8")
    assert '--auth-token="$RASA_API_TOKEN"' in script
    assert "/status?token=${RASA_API_TOKEN}" in script


def _conversation_secret(settings, tmp_path, monkeypatch):
    from bot.channels.conversation_ids import SenderSigner

    gate = bot_runtime.sender_gate("rest")
    assert gate.signer.verify("rest", SenderSigner(b"bi-mat-hoi-thoai").issue("rest"))
    assert not gate.signer.verify("rest", SenderSigner(DEMO_CONVERSATION_SECRET.encode()).issue("rest"))
    Settings.from_env({"CONVERSATION_SECRET": "bi-mat-hoi-thoai"}).check_secrets(RASA_SERVER_SECRETS)


def _rest_api_token(settings, tmp_path, monkeypatch):
    from bot.channels.rest import CitizenRestInput

    assert CitizenRestInput.from_credentials({}).gate._trusted == "jeton-rest".encode()


def _action_server_timeout(settings, tmp_path, monkeypatch):
    assert bot_runtime.settings().action_server_timeout == 0.5


def _reply_timeout(settings, tmp_path, monkeypatch):
    assert bot_runtime.settings().reply_timeout == 4.0


def _officer_api_token(settings, tmp_path, monkeypatch):
    from bot.channels.officer import OfficerDeskInput

    assert OfficerDeskInput.from_credentials({}).token == "jeton-cán-bộ"
    assert OfficerDeskInput.from_credentials({"token": "from-credentials"}).token == "from-credentials"


def _office_hours(settings, tmp_path, monkeypatch):
    assert action_runtime.desk_settings().office_hours == "8 giờ – 16 giờ"


def _office_sessions(settings, tmp_path, monkeypatch):
    import datetime as dt

    from actions.office import office_schedule

    assert office_schedule().status(dt.datetime(2026, 12, 1, 12, 10)).is_open  # no lunch break in 08:00-16:00
    assert not office_schedule().status(dt.datetime(2026, 12, 1, 16, 30)).is_open


def _office_address(settings, tmp_path, monkeypatch):
    from actions.office import office_info_text

    assert "Địa chỉ: 1 Lý Thái Tổ." in office_info_text()


def _hotline(settings, tmp_path, monkeypatch):
    assert action_runtime.desk_settings().hotline == "19009999"
    assert action_runtime.dossier_service().hotline == "19009999"


def _dossier_hash_key(settings, tmp_path, monkeypatch):
    service = action_runtime.dossier_service()
    assert service.hash_key == b"khoa-bi-mat-rieng" == service.source.hash_key
    demo = conversation_key("zalo-1", DEMO_DOSSIER_HASH_KEY.encode())
    assert conversation_key("zalo-1", service.hash_key) != demo
    # a real key: accepted in production
    Settings.from_env({"DOSSIER_HASH_KEY": "khoa-bi-mat-rieng"}).check_secrets(("DOSSIER_HASH_KEY",))


def _http_config(expected: Dict[str, object]) -> Callable:
    def check(settings, tmp_path, monkeypatch):
        from dossiers.http_source import HttpDossierSource

        source = action_runtime.dossier_service().source
        assert isinstance(source, HttpDossierSource)
        for name, value in expected.items():
            assert getattr(source.config, name) == value, name
    return check


def _dossier_source_mapping(settings, tmp_path, monkeypatch):
    source = action_runtime.dossier_service().source
    assert source.config.status_path == "/v2/hoso" and source.config.fields["status"] == "tinhTrang"


def _dossier_calendar_file(settings, tmp_path, monkeypatch):
    import datetime as dt

    monday = dt.date(2026, 12, 7)
    assert not action_runtime.working_calendar().is_working_day(monday)
    assert not action_runtime.dossier_service().calendar.is_working_day(monday)


def _zalo(field: str, value: object) -> Callable:
    def check(settings, tmp_path, monkeypatch):
        zalo = bot_runtime.zalo_settings()
        assert getattr(zalo, field) == value
        assert bot_runtime.zalo_client(zalo).settings == zalo
        # credentials.yml's value wins over the environment.
        if isinstance(value, str):
            assert getattr(bot_runtime.zalo_settings({field: "from-credentials"}), field) == "from-credentials"
    return check


def _webchat_frame_ancestors(settings, tmp_path, monkeypatch):
    from bot.channels.webchat import WebChatInput, security_headers

    channel = WebChatInput.from_credentials({})
    assert security_headers(channel.frame_ancestors)["Content-Security-Policy"].endswith(
        "frame-ancestors https://cong.example.vn")


def _loop_probe_interval(settings, tmp_path, monkeypatch):
    from bot.channels.ops import OpsInput

    assert OpsInput.from_credentials({}).probe.interval == 0.02
    bot_runtime.configure(Settings.from_env({"APP_ENV": "development"}))
    assert OpsInput.from_credentials({}).probe is None  # off by default


class Effect(NamedTuple):
    environ: Dict[str, str]
    check: Callable


MAPPING_YML = "status_path: /v2/hoso\nfields:\n  status: tinhTrang\n"
CALENDAR_YML = "extra_days_off: [2026-12-07]\n"
SOURCE = {"DOSSIER_SOURCE_URL": "http://127.0.0.1:9/api/"}
EFFECTS = {
    "APP_ENV": Effect({"APP_ENV": "development"}, _app_env),
    "DATABASE_URL": Effect({}, _database_url),  # the fixture sets a temporary SQLite file
    "RASA_PORT": Effect({"RASA_PORT": "5016"}, _rasa_port),
    "ACTIONS_PORT": Effect({"ACTIONS_PORT": "5066"}, _actions_port),
    "ACTION_SERVER_URL": Effect({"ACTION_SERVER_URL": "http://10.0.0.5:6000/webhook/"}, _action_server_url),
    "SANIC_HOST": Effect({"SANIC_HOST": "0.0.0.0"}, _sanic_host),
    "ACTION_SERVER_TOKEN": Effect({"ACTION_SERVER_TOKEN": "jeton-actions"}, _action_server_token),
    "RASA_API_TOKEN": Effect({"RASA_API_TOKEN": "jeton-api"}, _rasa_api_token),
    "CONVERSATION_SECRET": Effect({"CONVERSATION_SECRET": "bi-mat-hoi-thoai"}, _conversation_secret),
    "REST_API_TOKEN": Effect({"REST_API_TOKEN": "jeton-rest"}, _rest_api_token),
    "ACTION_SERVER_TIMEOUT": Effect({"ACTION_SERVER_TIMEOUT": "0.5"}, _action_server_timeout),
    "REPLY_TIMEOUT": Effect({"REPLY_TIMEOUT": "4"}, _reply_timeout),
    "OFFICER_API_TOKEN": Effect({"OFFICER_API_TOKEN": "jeton-cán-bộ"}, _officer_api_token),
    "OFFICE_HOURS": Effect({"OFFICE_HOURS": "8 giờ – 16 giờ"}, _office_hours),
    "HOTLINE": Effect({"HOTLINE": "19009999"}, _hotline),
    "OFFICE_SESSIONS": Effect({"OFFICE_SESSIONS": "08:00-16:00"}, _office_sessions),
    "OFFICE_ADDRESS": Effect({"OFFICE_ADDRESS": "1 Lý Thái Tổ"}, _office_address),
    "DOSSIER_HASH_KEY": Effect({"DOSSIER_HASH_KEY": "khoa-bi-mat-rieng"}, _dossier_hash_key),
    "DOSSIER_SOURCE_URL": Effect(SOURCE, _http_config({"base_url": "http://127.0.0.1:9/api"})),
    "DOSSIER_SOURCE_TOKEN": Effect({**SOURCE, "DOSSIER_SOURCE_TOKEN": "t0k"}, _http_config({"token": "t0k"})),
    "DOSSIER_SOURCE_TIMEOUT": Effect({**SOURCE, "DOSSIER_SOURCE_TIMEOUT": "1.5"}, _http_config({"timeout": 1.5})),
    "DOSSIER_SOURCE_MAPPING": Effect({**SOURCE, "DOSSIER_SOURCE_MAPPING": "{tmp}/mapping.yml"}, _dossier_source_mapping),
    "DOSSIER_CALENDAR_FILE": Effect({"DOSSIER_CALENDAR_FILE": "{tmp}/calendar.yml"}, _dossier_calendar_file),
    "ZALO_APP_ID": Effect({"ZALO_APP_ID": "app-1"}, _zalo("app_id", "app-1")),
    "ZALO_OA_SECRET_KEY": Effect({"ZALO_OA_SECRET_KEY": "oa-1"}, _zalo("oa_secret_key", "oa-1")),
    "ZALO_APP_SECRET_KEY": Effect({"ZALO_APP_SECRET_KEY": "as-1"}, _zalo("app_secret_key", "as-1")),
    "ZALO_ACCESS_TOKEN": Effect({"ZALO_ACCESS_TOKEN": "at-1"}, _zalo("access_token", "at-1")),
    "ZALO_REFRESH_TOKEN": Effect({"ZALO_REFRESH_TOKEN": "rt-1"}, _zalo("refresh_token", "rt-1")),
    "ZALO_API_URL": Effect({"ZALO_API_URL": "http://127.0.0.1:9/"}, _zalo("api_url", "http://127.0.0.1:9")),
    "ZALO_OAUTH_URL": Effect({"ZALO_OAUTH_URL": "http://127.0.0.1:8"}, _zalo("oauth_url", "http://127.0.0.1:8")),
    "ZALO_TIMEOUT": Effect({"ZALO_TIMEOUT": "3"}, _zalo("timeout", 3.0)),
    "ZALO_MAX_EVENT_AGE": Effect({"ZALO_MAX_EVENT_AGE": "60"}, _zalo("max_event_age", 60.0)),
    "WEBCHAT_FRAME_ANCESTORS": Effect({"WEBCHAT_FRAME_ANCESTORS": "https://cong.example.vn"},
                                      _webchat_frame_ancestors),
    "LOOP_PROBE_INTERVAL": Effect({"LOOP_PROBE_INTERVAL": "0.02"}, _loop_probe_interval),
}


def test_every_setting_has_an_effect_row():
    assert set(EFFECTS) == set(setting_names())


@pytest.mark.parametrize("variable", sorted(EFFECTS))
def test_each_setting_takes_effect(variable, wired, tmp_path, monkeypatch):
    (tmp_path / "mapping.yml").write_text(MAPPING_YML, encoding="utf-8")
    (tmp_path / "calendar.yml").write_text(CALENDAR_YML, encoding="utf-8")
    effect = EFFECTS[variable]
    environ = {name: value.replace("{tmp}", str(tmp_path)) for name, value in effect.environ.items()}
    settings = wired(environ)
    effect.check(settings, tmp_path, monkeypatch)


def test_without_settings_the_defaults_apply(wired):
    settings = wired({})
    assert action_runtime.desk_settings().hotline == "18001096"
    assert bot_runtime.desk_settings().api_token == ""
    assert settings.actions_url == "http://localhost:5055/webhook" and settings.rasa_port == 5005
    assert settings.dossier_calendar_file == DEFAULT_CALENDAR_FILE == DEFAULT_ADJUSTMENTS
    assert type(action_runtime.dossier_service().source).__name__ == "SqlDossierSource"
    assert not bot_runtime.zalo_settings().can_receive


def test_rasa_names_a_missing_action_server_url(monkeypatch):
    from rasa.shared.exceptions import RasaException
    from rasa.utils.endpoints import read_endpoint_config

    monkeypatch.delenv("ACTION_SERVER_URL", raising=False)
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "jeton")
    with pytest.raises(RasaException, match="ACTION_SERVER_URL"):
        read_endpoint_config(str(ENDPOINTS), "action_endpoint")
    # Nor does it call the action server without its token.
    monkeypatch.setenv("ACTION_SERVER_URL", "http://localhost:5055/webhook")
    monkeypatch.delenv("ACTION_SERVER_TOKEN")
    with pytest.raises(RasaException, match="ACTION_SERVER_TOKEN"):
        read_endpoint_config(str(ENDPOINTS), "action_endpoint")


# --- refused values -------------------------------------------------------------------
@pytest.mark.parametrize(
    "variable, value",
    [("ACTIONS_PORT", "abc"), ("RASA_PORT", "70000"), ("DOSSIER_SOURCE_TIMEOUT", "mười"),
     ("ZALO_TIMEOUT", "mười"), ("ZALO_MAX_EVENT_AGE", "-1"), ("APP_ENV", "prod")],
)
def test_malformed_values_are_refused_in_vietnamese(variable, value):
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({variable: value})
    message = str(caught.value)
    assert variable in message and "không hợp lệ" in message and "phải" in message


TOKEN = {"ACTION_SERVER_TOKEN": "jeton-actions"}


def test_the_demo_key_is_refused_outside_development():
    for environ in ({}, {"DOSSIER_HASH_KEY": DEMO_DOSSIER_HASH_KEY}, {"APP_ENV": "production"}):
        with pytest.raises(SettingsError, match="DOSSIER_HASH_KEY") as caught:
            Settings.from_env({**environ, **TOKEN}).check_secrets(ACTION_SERVER_SECRETS)
        assert "APP_ENV=development" in str(caught.value)
    for environ in ({"APP_ENV": "development"}, {"APP_ENV": "Development", "DOSSIER_HASH_KEY": DEMO_DOSSIER_HASH_KEY}):
        assert Settings.from_env({**environ, **TOKEN}).check_secrets().development
    real = Settings.from_env({"DOSSIER_HASH_KEY": "khoa-that", **TOKEN}).check_secrets(ACTION_SERVER_SECRETS)
    assert real.hash_key == b"khoa-that"


def test_the_demo_conversation_secret_is_refused_outside_development():
    for environ in ({}, {"CONVERSATION_SECRET": DEMO_CONVERSATION_SECRET}):
        with pytest.raises(SettingsError, match="CONVERSATION_SECRET"):
            Settings.from_env(environ).check_secrets(RASA_SERVER_SECRETS)
    development = Settings.from_env({"APP_ENV": "development"}).check_secrets(RASA_SERVER_SECRETS)
    assert development.conversation_key == DEMO_CONVERSATION_SECRET.encode()
    real = Settings.from_env({"CONVERSATION_SECRET": "bi-mat"}).check_secrets(RASA_SERVER_SECRETS)
    assert real.conversation_key == b"bi-mat"


def test_the_action_server_token_is_required_in_every_mode():
    for environ in ({"APP_ENV": "development"}, {"DOSSIER_HASH_KEY": "khoa-that"}):
        with pytest.raises(SettingsError, match="ACTION_SERVER_TOKEN"):
            Settings.from_env(environ).check_secrets(ACTION_SERVER_SECRETS)


def test_the_dossier_service_is_not_built_on_the_demo_key_in_production(tmp_path):
    action_runtime.reset()
    action_runtime.configure(Settings.from_env({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}))
    try:
        with pytest.raises(SettingsError, match="DOSSIER_HASH_KEY"):
            action_runtime.dossier_service()
    finally:
        action_runtime.reset()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_action_server_refuses_to_start_on_the_demo_key():
    environ = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT), "APP_ENV": "production",
               "TF_CPP_MIN_LOG_LEVEL": "3", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
               "DATABASE_URL": "sqlite:///:memory:", **TOKEN}
    done = subprocess.run(
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(_free_port())],
        cwd=PROJECT_ROOT, env=environ, capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 2
    assert "Máy chủ actions không khởi động" in done.stderr and "DOSSIER_HASH_KEY" in done.stderr


# --- one reader of the environment ----------------------------------------------------------
def test_only_settings_reads_the_environment():
    readers = []
    for package in SOURCE_PACKAGES:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            if "os.environ" in text or "getenv" in text:
                readers.append(str(path.relative_to(PROJECT_ROOT)))
    assert readers == []
    assert "os.environ" in (PROJECT_ROOT / "settings.py").read_text(encoding="utf-8")


def test_the_action_server_does_not_import_rasa():
    code = (
        "import importlib, pkgutil, sys, actions\n"
        "for module in pkgutil.walk_packages(actions.__path__, 'actions.'):\n"
        "    importlib.import_module(module.name)\n"
        "print(sorted(n for n in sys.modules if n == 'rasa' or n.startswith('rasa.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"},
                          timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_run_sh_checks_the_settings_before_starting_anything():
    """`python -m settings` (what run.sh runs first) stops a malformed setting with its name, in Vietnamese."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT), "ACTIONS_PORT": "abc"}
    done = subprocess.run([sys.executable, "-m", "settings"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert "ACTIONS_PORT" in done.stderr and "Không khởi động được" in done.stderr
    ok = subprocess.run([sys.executable, "-m", "settings"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                        env={**env, "ACTIONS_PORT": "5077", "APP_ENV": "development"}, timeout=60)
    assert ok.returncode == 0
    assert "export ACTION_SERVER_URL=http://localhost:5077/webhook" in ok.stdout.splitlines()
    assert "export DEMO_SECRETS='DOSSIER_HASH_KEY CONVERSATION_SECRET'" in ok.stdout.splitlines()


def test_the_action_server_refuses_to_start_without_its_token():
    environ = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT), "APP_ENV": "development",
               "TF_CPP_MIN_LOG_LEVEL": "3", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
               "DATABASE_URL": "sqlite:///:memory:"}
    done = subprocess.run(
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(_free_port())],
        cwd=PROJECT_ROOT, env=environ, capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 2
    assert "Máy chủ actions không khởi động" in done.stderr and "ACTION_SERVER_TOKEN" in done.stderr
