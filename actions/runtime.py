"""Process-wide services of the action server, created on first use."""
from __future__ import annotations

import os
import threading
from typing import Optional

from dossiers.service import DossierService
from dossiers.sources import DossierSource, SqlDossierSource
from officer_desk.config import DeskSettings
from officer_desk.store import DeskStore
from procedures_kb.service import ProcedureService
from settings import Settings

_lock = threading.Lock()
_service: Optional[ProcedureService] = None
_desk: Optional[DeskStore] = None
_dossiers: Optional[DossierService] = None


def procedure_service() -> ProcedureService:
    global _service
    with _lock:
        if _service is None:
            _service = ProcedureService.from_url(Settings.from_env().database_url)
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
    service = procedure_service()
    with _lock:
        if _desk is None:
            _desk = DeskStore(service.engine)
        return _desk


def desk_settings() -> DeskSettings:
    return DeskSettings.from_env()


def dossier_source() -> DossierSource:
    """The one-stop system's API when DOSSIER_SOURCE_URL is set, else the SQL store."""
    if os.environ.get("DOSSIER_SOURCE_URL"):
        from dossiers.http_source import HttpDossierSource, HttpSourceConfig

        return HttpDossierSource(HttpSourceConfig.from_env())
    return SqlDossierSource(procedure_service().engine)


def dossier_service() -> DossierService:
    """The dossier look-up over the configured source; attempts are logged in the catalogue database."""
    global _dossiers
    with _lock:
        if _dossiers is not None:
            return _dossiers
    engine = procedure_service().engine
    created = DossierService(dossier_source(), engine, hotline=desk_settings().hotline)
    with _lock:
        if _dossiers is None:
            _dossiers = created
        return _dossiers


def set_dossier_service(dossiers: Optional[DossierService]) -> None:
    global _dossiers
    with _lock:
        _dossiers = dossiers
