"""What the citizen is told on handoff, and who may use the officer API."""
from __future__ import annotations

from dataclasses import dataclass, field

from settings import DEFAULT_HOTLINE, DEFAULT_OFFICE_HOURS, DEFAULT_OFFICE_SESSIONS, Settings

__all__ = ["DEFAULT_HOTLINE", "DEFAULT_OFFICE_HOURS", "DEFAULT_OFFICE_SESSIONS", "DeskSettings"]


@dataclass(frozen=True)
class DeskSettings:
    office_hours: str = DEFAULT_OFFICE_HOURS
    hotline: str = DEFAULT_HOTLINE
    api_token: str = field(default="", repr=False)  # empty: the officer API is off
    office_sessions: str = DEFAULT_OFFICE_SESSIONS  # "07:30-11:30,13:30-17:00" (officer_desk/office_hours.py)
    office_address: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> "DeskSettings":
        """OFFICE_HOURS, HOTLINE, OFFICER_API_TOKEN, OFFICE_SESSIONS and OFFICE_ADDRESS of the process's settings."""
        return cls(office_hours=settings.office_hours, hotline=settings.hotline, api_token=settings.officer_api_token,
                   office_sessions=settings.office_sessions, office_address=settings.office_address)
