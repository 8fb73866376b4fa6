"""A one-stop system's look-up API as a DossierSource.

Modelled on the public look-up endpoints provincial one-stop systems expose:
a status call with the dossier code, and a details call that also needs the
last four digits of the registered phone number. URL, token, timeout and the
names of the fields are configuration; the answer is checked field by field,
and anything missing, malformed or late becomes SourceUnavailable.

Configuration (`HttpSourceConfig.from_settings`, from these settings):
    DOSSIER_SOURCE_URL       base URL, e.g. https://motcua.example.gov.vn/api
    DOSSIER_SOURCE_TOKEN     sent as "Authorization: Bearer ..."
    DOSSIER_SOURCE_TIMEOUT   seconds, default 2.5 (the citizen hears back within 3 s)
    DOSSIER_SOURCE_MAPPING   optional YAML file overriding FIELD_MAP / paths
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Optional

import requests
import yaml

from dossiers.models import STATUS_LABELS
from dossiers.privacy import mask_name
from dossiers.records import PrivateDetails, PublicStatus, StatusStep
from dossiers.sources import DossierSource, SourceUnavailable
from settings import Settings
from vietnamese.folding import fold

# Our field → the API's field (defaults follow the common Vietnamese naming).
FIELD_MAP = {
    "code": "maHoSo",
    "procedure_code": "maThuTuc",
    "procedure_name": "tenThuTuc",
    "status": "trangThai",
    "channel": "kenhNop",
    "received_at": "ngayTiepNhan",
    "due_date": "ngayHenTra",
    "completed_at": "ngayCoKetQua",
    "returned_at": "ngayTraKetQua",
    "receiving_agency": "coQuanTiepNhan",
    "applicant_name": "hoTenNguoiNop",
    "result_summary": "ketQua",
    "officer_note": "ghiChu",
    "pickup_place": "noiTraKetQua",
    "history": "quaTrinhXuLy",
    "history_at": "thoiGian",
    "history_status": "trangThai",
    "history_step": "buocXuLy",
    "history_by": "donVi",
}
STATUS_BY_LABEL = {fold(label): key for key, label in STATUS_LABELS.items()}
STATUS_BY_LABEL.update({"da tra ket qua": "returned", "da co ket qua": "result_ready", "huy": "withdrawn",
                        "da rut": "withdrawn", "tu choi": "rejected", "cho bo sung": "needs_supplement"})
CHANNELS = {"truc tiep": "in_person", "truc tuyen": "online", "buu chinh": "postal", "dich vu buu chinh": "postal"}


@dataclass
class HttpSourceConfig:
    base_url: str
    token: str = ""
    timeout: float = 2.5
    status_path: str = "/tra-cuu-ho-so"
    details_path: str = "/tra-cuu-ho-so/chi-tiet"
    fields: Dict[str, str] = field(default_factory=lambda: dict(FIELD_MAP))

    @classmethod
    def from_settings(cls, settings: Settings) -> "HttpSourceConfig":
        """The API named by DOSSIER_SOURCE_URL (and its token, timeout, mapping file).

        Raises ValueError when no URL is set; OSError / yaml.YAMLError for an unreadable mapping file.
        """
        if not settings.dossier_source_url:
            raise ValueError("DOSSIER_SOURCE_URL chưa được đặt")
        config = cls(
            base_url=settings.dossier_source_url,
            token=settings.dossier_source_token,
            timeout=settings.dossier_source_timeout,
        )
        mapping = settings.dossier_source_mapping
        if mapping:
            data = yaml.safe_load(Path(mapping).read_text(encoding="utf-8")) or {}
            config.fields.update(data.get("fields") or {})
            config.status_path = data.get("status_path", config.status_path)
            config.details_path = data.get("details_path", config.details_path)
        return config


class HttpDossierSource(DossierSource):
    def __init__(self, config: HttpSourceConfig, session: Optional[requests.Session] = None):
        self.config = config
        self.http = session or requests.Session()

    def _get(self, path: str, params: Dict[str, str]) -> Optional[Dict[str, Any]]:
        headers = {"Accept": "application/json"}
        if self.config.token:
            headers["Authorization"] = f"Bearer {self.config.token}"
        try:
            response = self.http.get(
                self.config.base_url + path, params=params, headers=headers,
                timeout=(min(1.0, self.config.timeout), self.config.timeout),
            )
        except requests.RequestException as exc:
            raise SourceUnavailable(type(exc).__name__) from None
        if response.status_code in (403, 404):
            return None
        if response.status_code != 200:
            raise SourceUnavailable(f"HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            raise SourceUnavailable("not JSON") from None
        data = body.get("data") if isinstance(body, dict) else None
        if data is None:
            return None
        if not isinstance(data, dict):
            raise SourceUnavailable("unexpected body")
        return data

    def _field(self, data: Dict[str, Any], name: str) -> Any:
        return data.get(self.config.fields[name])

    def status(self, code: str) -> Optional[PublicStatus]:
        data = self._get(self.config.status_path, {"maHoSo": code})
        if data is None:
            return None
        return self._public(code, data)

    def details(self, code: str, last_digits: str) -> Optional[PrivateDetails]:
        data = self._get(self.config.details_path, {"maHoSo": code, "soDienThoai4": last_digits})
        if data is None:
            return None
        history = self._field(data, "history") or []
        if not isinstance(history, list):
            raise SourceUnavailable("history is not a list")
        steps = []
        for item in history[:50]:
            if not isinstance(item, dict):
                raise SourceUnavailable("history item is not an object")
            steps.append(StatusStep(
                at=_datetime(item.get(self.config.fields["history_at"]), required=True),
                status=_status(item.get(self.config.fields["history_status"])),
                step=_text(item.get(self.config.fields["history_step"])) or "",
                handled_by=_text(item.get(self.config.fields["history_by"])),
            ))
        return PrivateDetails(
            applicant_name_masked=mask_name(_text(self._field(data, "applicant_name")) or ""),
            result_summary=_text(self._field(data, "result_summary")),
            officer_note=_text(self._field(data, "officer_note")),
            pickup_place=_text(self._field(data, "pickup_place")),
            history=steps,
        )

    def _public(self, code: str, data: Dict[str, Any]) -> PublicStatus:
        returned_code = _text(self._field(data, "code"))
        if returned_code and returned_code.upper() != code.upper():
            raise SourceUnavailable("answer about another dossier")
        return PublicStatus(
            code=code,
            procedure_code=_text(self._field(data, "procedure_code")) or "",
            procedure_name=_required_text(self._field(data, "procedure_name")),
            status=_status(self._field(data, "status")),
            receiving_agency=_text(self._field(data, "receiving_agency")) or "",
            channel=CHANNELS.get(fold(_text(self._field(data, "channel")) or ""), "in_person"),
            received_at=_datetime(self._field(data, "received_at"), required=True),
            due_date=_date(self._field(data, "due_date")),
            completed_at=_datetime(self._field(data, "completed_at")),
            returned_at=_datetime(self._field(data, "returned_at")),
        )


def _text(value: Any, limit: int = 1000) -> Optional[str]:
    if value is None:
        return None
    if not isinstance(value, (str, int, float)):
        raise SourceUnavailable("unexpected field type")
    text = " ".join(str(value).split())
    return text[:limit] or None


def _required_text(value: Any) -> str:
    text = _text(value)
    if not text:
        raise SourceUnavailable("missing field")
    return text


def _status(value: Any) -> str:
    label = fold(_required_text(value))
    if label in STATUS_BY_LABEL:
        return STATUS_BY_LABEL[label]
    for known, key in STATUS_BY_LABEL.items():
        if label.startswith(known):
            return key
    raise SourceUnavailable("unknown status")


def _datetime(value: Any, required: bool = False) -> Optional[dt.datetime]:
    if value in (None, ""):
        if required:
            raise SourceUnavailable("missing date")
        return None
    if not isinstance(value, str):
        raise SourceUnavailable("date is not text")
    text = value.strip().replace("Z", "")
    for parse in (dt.datetime.fromisoformat, lambda t: dt.datetime.strptime(t, "%d/%m/%Y %H:%M"),
                  lambda t: dt.datetime.strptime(t, "%d/%m/%Y")):
        try:
            parsed = parse(text)
            return parsed.replace(tzinfo=None) if parsed.tzinfo else parsed
        except ValueError:
            continue
    raise SourceUnavailable("unreadable date")


def _date(value: Any) -> Optional[dt.date]:
    parsed = _datetime(value)
    return parsed.date() if parsed else None
