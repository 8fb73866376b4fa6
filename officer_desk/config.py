"""What the citizen is told on handoff, and who may use the officer API."""
from __future__ import annotations

from dataclasses import dataclass, field

from settings import DEFAULT_HOTLINE, DEFAULT_OFFICE_HOURS, Settings

__all__ = ["DEFAULT_HOTLINE", "DEFAULT_OFFICE_HOURS", "DeskSettings"]


@dataclass(frozen=True)
class DeskSettings:
    office_hours: str = DEFAULT_OFFICE_HOURS
    hotline: str = DEFAULT_HOTLINE
    api_token: str = field(default="", repr=False)  # empty: the officer API is off

    @classmethod
    def from_settings(cls, settings: Settings) -> "DeskSettings":
        """OFFICE_HOURS, HOTLINE and OFFICER_API_TOKEN of the process's settings."""
        return cls(office_hours=settings.office_hours, hotline=settings.hotline, api_token=settings.officer_api_token)
