"""Process-wide services of the action server, created on first use."""
from __future__ import annotations

import threading
from typing import Optional

from procedures_kb.service import ProcedureService

_lock = threading.Lock()
_service: Optional[ProcedureService] = None


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
