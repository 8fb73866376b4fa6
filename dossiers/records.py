"""What a source returns about a dossier, independent of where it is stored."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import List, Optional


@dataclass(frozen=True)
class StatusStep:
    at: dt.datetime
    status: str
    step: str
    handled_by: Optional[str] = None


@dataclass(frozen=True)
class PublicStatus:
    """What anyone holding the code may see."""

    code: str
    procedure_code: str
    procedure_name: str
    status: str  # one of models.STATUS_LABELS
    receiving_agency: str
    channel: str
    received_at: dt.datetime
    due_date: Optional[dt.date]
    completed_at: Optional[dt.datetime] = None
    returned_at: Optional[dt.datetime] = None


@dataclass(frozen=True)
class PrivateDetails:
    """Shown only after the citizen gives the last 4 digits of the registered phone."""

    applicant_name_masked: Optional[str]
    result_summary: Optional[str]
    officer_note: Optional[str]
    pickup_place: Optional[str]
    history: List[StatusStep] = field(default_factory=list)
