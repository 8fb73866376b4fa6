"""What the citizen is told on handoff, and who may use the officer API."""
from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_OFFICE_HOURS = "7 giờ 30 – 11 giờ 30 và 13 giờ 30 – 17 giờ, thứ Hai đến thứ Sáu (trừ ngày lễ)"
DEFAULT_HOTLINE = "18001096"


@dataclass(frozen=True)
class DeskSettings:
    office_hours: str
    hotline: str
    api_token: str

    @classmethod
    def from_env(cls) -> "DeskSettings":
        return cls(
            office_hours=os.environ.get("OFFICE_HOURS") or DEFAULT_OFFICE_HOURS,
            hotline=os.environ.get("HOTLINE") or DEFAULT_HOTLINE,
            api_token=os.environ.get("OFFICER_API_TOKEN") or "",
        )
