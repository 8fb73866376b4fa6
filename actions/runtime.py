"""The action server's wiring: one Settings, and the services built on it.

    settings()           Settings.from_env(), read once
    procedure_service()  the catalogue (DATABASE_URL): engine, sessions, search index
    desk_store()         handoff queue and feedback, on the catalogue's engine
    desk_settings()      OFFICE_HOURS, HOTLINE, OFFICER_API_TOKEN
    working_calendar()   working days, with DOSSIER_CALENDAR_FILE's announced changes
    dossier_service()    the dossier look-up over its source: the one-stop API when
                         DOSSIER_SOURCE_URL is set, else the SQL store; DOSSIER_HASH_KEY keys it

`start()` builds them when the action server starts (rasa_sdk_plugins/ calls
it) and stops the server with a Vietnamese message when a setting is malformed,
ACTION_SERVER_TOKEN is missing, or a secret is left at its demo value outside
APP_ENV=development. Nothing is
built at import time, and nothing connects to the database until a question
needs it. Tests and tools install their own objects with `configure`,
`set_procedure_service` and `set_dossier_service`, and forget them with `reset`.
"""
from __future__ import annotations

import threading
from typing import Optional

from dossiers.service import DossierService
from dossiers.sources import DossierSource, SqlDossierSource
from dossiers.workdays import WorkingCalendar
from officer_desk.config import DeskSettings
from officer_desk.store import DeskStore
from procedures_kb.service import ProcedureService
from settings import ACTION_SERVER_SECRETS, Settings

_lock = threading.RLock()
_settings: Optional[Settings] = None
_service: Optional[ProcedureService] = None
_desk: Optional[DeskStore] = None
_dossiers: Optional[DossierService] = None
_calendar: Optional[WorkingCalendar] = None


def settings() -> Settings:
    """The process's settings, read from the environment on first use (SettingsError if malformed)."""
    global _settings
    with _lock:
        if _settings is None:
            _settings = Settings.from_env()
        return _settings


def configure(new: Optional[Settings]) -> None:
    """Install settings (tests, tools), or None to read the environment again on next use.

    Services already built or installed stay; `reset()` forgets them too.
    """
    global _settings
    with _lock:
        _settings = new


def reset() -> None:
    """Forget the settings and everything built on them: the next use builds anew."""
    global _settings, _service, _desk, _dossiers, _calendar
    with _lock:
        _settings = None
        _service = _desk = _dossiers = _calendar = None


def start() -> None:
    """Build the services at process start; SettingsError (Vietnamese, naming the variable) if they cannot be."""
    with _lock:
        settings().check_secrets(ACTION_SERVER_SECRETS)
        procedure_service().warm()  # the first citizen's turn must not pay for the search index
        desk_store()
        dossier_service()


def procedure_service() -> ProcedureService:
    global _service
    with _lock:
        if _service is None:
            _service = ProcedureService.from_url(settings().database_url)
        return _service


def set_procedure_service(service: Optional[ProcedureService]) -> None:
    """Tests and tools install their own service (or reset with None); the services built on it go too."""
    global _service, _desk, _dossiers
    with _lock:
        _service = service
        _desk = None
        _dossiers = None


def desk_store() -> DeskStore:
    """The handoff queue and feedback log; it shares the catalogue's engine."""
    global _desk
    with _lock:
        if _desk is None:
            _desk = DeskStore(procedure_service().engine)
        return _desk


def desk_settings() -> DeskSettings:
    return DeskSettings.from_settings(settings())


def working_calendar() -> WorkingCalendar:
    """Weekends, holidays and the announced changes of DOSSIER_CALENDAR_FILE (read once)."""
    global _calendar
    with _lock:
        if _calendar is None:
            _calendar = WorkingCalendar.from_file(settings().dossier_calendar_file)
        return _calendar


def dossier_source() -> DossierSource:
    """The one-stop system's API when DOSSIER_SOURCE_URL is set, else the SQL store."""
    configured = settings()
    if configured.dossier_source_url:
        from dossiers.http_source import HttpDossierSource, HttpSourceConfig

        return HttpDossierSource(HttpSourceConfig.from_settings(configured))
    return SqlDossierSource(procedure_service().engine, configured.hash_key)


def dossier_service() -> DossierService:
    """The dossier look-up over the configured source; attempts are logged in the catalogue database.

    Raises SettingsError outside development while DOSSIER_HASH_KEY is unset or at its demo value.
    """
    global _dossiers
    with _lock:
        if _dossiers is None:
            configured = settings().check_secrets(("DOSSIER_HASH_KEY",))
            _dossiers = DossierService(
                dossier_source(), procedure_service().engine, hash_key=configured.hash_key,
                calendar=working_calendar(), hotline=configured.hotline,
            )
        return _dossiers


def set_dossier_service(dossiers: Optional[DossierService]) -> None:
    global _dossiers
    with _lock:
        _dossiers = dossiers
