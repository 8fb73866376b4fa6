"""Process-wide services of the action server, created on first use."""
from __future__ import annotations

import threading
from typing import Optional

from officer_desk.config import DeskSettings
from officer_desk.store import DeskStore
from procedures_kb.service import ProcedureService

_lock = threading.Lock()
_service: Optional[ProcedureService] = None
_desk: Optional[DeskStore] = None


def procedure_service() -> ProcedureService:
    global _service
    with _lock:
        if _service is None:
            _service = ProcedureService.from_url()
        return _service


def set_procedure_service(service: Optional[ProcedureService]) -> None:
    """Tests and tools install their own service (or reset with None)."""
    global _service
    with _lock:
        _service = service


def desk_store() -> DeskStore:
    """The handoff queue and feedback log; it shares the catalogue's engine."""
    global _desk
    service = procedure_service()
    with _lock:
        if _desk is None or _desk.engine is not service.engine:
            _desk = DeskStore(service.engine)
        return _desk


def desk_settings() -> DeskSettings:
    return DeskSettings.from_env()
