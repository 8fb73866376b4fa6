"""Plain records that both import formats produce and the loader writes to SQL."""
from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import Decimal
from typing import List, Optional

CHANNEL_IN_PERSON = "in_person"
CHANNEL_ONLINE = "online"
CHANNEL_POSTAL = "postal"
CHANNELS = (CHANNEL_IN_PERSON, CHANNEL_ONLINE, CHANNEL_POSTAL)

CHANNEL_LABELS = {
    CHANNEL_IN_PERSON: "Trực tiếp",
    CHANNEL_ONLINE: "Trực tuyến",
    CHANNEL_POSTAL: "Dịch vụ bưu chính",
}

TIME_UNITS = ("working_day", "day", "hour", "month", "year")
TIME_UNIT_LABELS = {
    "working_day": "ngày làm việc",
    "day": "ngày",
    "hour": "giờ",
    "month": "tháng",
    "year": "năm",
}


@dataclass
class MethodRecord:
    channel: str
    time_value: Optional[Decimal] = None
    time_unit: Optional[str] = None
    time_raw: Optional[str] = None
    fee_amount: Optional[Decimal] = None
    fee_currency: Optional[str] = None
    fee_is_free: Optional[bool] = None
    fee_raw: Optional[str] = None
    fee_note: Optional[str] = None
    description: Optional[str] = None


@dataclass
class DocumentRecord:
    name: str
    originals: int = 0
    copies: int = 0
    form_name: Optional[str] = None
    note: Optional[str] = None
    kind: str = "document"  # "note" for count-0 remarks


@dataclass
class CaseRecord:
    title: Optional[str]
    documents: List[DocumentRecord] = dc_field(default_factory=list)


@dataclass
class LegalBasisRecord:
    number: Optional[str]
    title: Optional[str]


@dataclass
class RelatedRecord:
    related_code: Optional[str]
    name: Optional[str]


@dataclass
class ProcedureRecord:
    code: str
    name: str
    source: str
    decision_number: Optional[str] = None
    levels: List[str] = dc_field(default_factory=list)
    field: Optional[str] = None
    procedure_type: Optional[str] = None
    target_groups: List[str] = dc_field(default_factory=list)
    implementing_agency: Optional[str] = None
    competent_agency: Optional[str] = None
    authorized_agency: Optional[str] = None
    coordinating_agency: Optional[str] = None
    receiving_address: Optional[str] = None
    steps_text: Optional[str] = None
    steps: List[str] = dc_field(default_factory=list)
    conditions_text: Optional[str] = None
    result_text: Optional[str] = None
    summary: Optional[str] = None
    short_title: Optional[str] = None  # everyday title, ≤ 80 characters (curated)
    source_url: Optional[str] = None
    source_group: Optional[str] = None
    methods: List[MethodRecord] = dc_field(default_factory=list)
    cases: List[CaseRecord] = dc_field(default_factory=list)
    legal_bases: List[LegalBasisRecord] = dc_field(default_factory=list)
    related: List[RelatedRecord] = dc_field(default_factory=list)
    aliases: List[str] = dc_field(default_factory=list)


class RecordError(ValueError):
    """A record that cannot be imported; the message names it and the problem."""
