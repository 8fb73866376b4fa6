"""The project's own curated catalogue format (YAML, one file per field).

A curated entry states the facts of a procedure (code, documents, fees,
times) in the project's structure, plus what the national record lacks: the
everyday names people use and a short plain-language summary.

    procedures:
      - code: "1.001193"
        name: Thủ tục đăng ký khai sinh
        levels: [Cấp xã]
        field: Hộ tịch
        aliases: [làm giấy khai sinh, khai sinh cho con]
        title: Đăng ký khai sinh      # the everyday title answers lead with (≤ 80 characters)
        summary: ...
        where: ...
        steps: [...]
        methods:
          - {channel: in_person, time: 1, unit: working_day, fee: 0, note: ...}
        documents:
          - case: Giấy tờ phải nộp
            items:
              - {name: Tờ khai đăng ký khai sinh, form: ..., originals: 1, copies: 0}
        conditions: ...
        result: Giấy khai sinh
        legal_basis:
          - {number: 60/2014/QH13, title: Luật Hộ tịch}
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import yaml

from procedures_kb.national_format import CODE_RE
from procedures_kb.records import (
    CHANNELS,
    TIME_UNIT_LABELS,
    TIME_UNITS,
    CaseRecord,
    DocumentRecord,
    LegalBasisRecord,
    MethodRecord,
    ProcedureRecord,
    RecordError,
    RelatedRecord,
)

METHOD_KEYS = {"channel", "time", "unit", "time_text", "fee", "currency", "fee_text", "note", "description"}
DOCUMENT_KEYS = {"name", "form", "originals", "copies", "note"}
ENTRY_KEYS = {
    "code", "name", "decision", "levels", "field", "type", "who", "agency", "where", "steps",
    "conditions", "result", "summary", "title", "source_url", "methods", "documents", "legal_basis",
    "related", "aliases",
}


def _check_keys(raw: Dict[str, Any], allowed: set, where: str) -> None:
    """Catch YAML slips such as an unquoted comma splitting a value into a new key."""
    unknown = [str(key) for key in raw if key not in allowed]
    if unknown:
        raise RecordError(f"{where}: khóa không hợp lệ {', '.join(unknown)} (giá trị có dấu phẩy cần đặt trong ngoặc kép)")


def _short_title(value: Any, where: str) -> Any:
    if value is None:
        return None
    text = " ".join(str(value).split())
    if not text or len(text) > 80:
        raise RecordError(f"{where}: title phải có từ 1 đến 80 ký tự")
    return text


def _decimal(value: Any, where: str, name: str) -> Any:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise RecordError(f"{where}: {name} không phải là số: {value!r}") from exc


def _method(raw: Dict[str, Any], where: str) -> MethodRecord:
    _check_keys(raw, METHOD_KEYS, where)
    channel = raw.get("channel")
    if channel not in CHANNELS:
        raise RecordError(f"{where}: kênh nộp không hợp lệ {channel!r}")
    unit = raw.get("unit")
    if unit is not None and unit not in TIME_UNITS:
        raise RecordError(f"{where}: đơn vị thời gian không hợp lệ {unit!r}")
    time_value = _decimal(raw.get("time"), where, "time")
    fee = _decimal(raw.get("fee"), where, "fee")
    currency = raw.get("currency", "VND") if fee is not None else None
    time_raw = raw.get("time_text")
    if time_raw is None and time_value is not None:
        time_raw = f"{time_value.normalize():f} {TIME_UNIT_LABELS.get(unit, '')}".strip()
    fee_raw = raw.get("fee_text")
    if fee_raw is None and fee is not None:
        unit_label = "đồng" if currency == "VND" else currency
        fee_raw = "Miễn phí" if fee == 0 else f"{int(fee):,} {unit_label}".replace(",", ".")
    return MethodRecord(
        channel=channel,
        time_value=time_value,
        time_unit=unit,
        time_raw=time_raw,
        fee_amount=fee,
        fee_currency=currency if fee else None,
        fee_is_free=(fee == 0) if fee is not None else None,
        fee_raw=fee_raw,
        fee_note=raw.get("note"),
        description=raw.get("description"),
    )


def _documents(raw_cases: List[Dict[str, Any]], where: str) -> List[CaseRecord]:
    cases = []
    for raw_case in raw_cases or []:
        case = CaseRecord(title=raw_case.get("case"))
        for item in raw_case.get("items") or []:
            _check_keys(item, DOCUMENT_KEYS, where)
            if not item.get("name"):
                raise RecordError(f"{where}: giấy tờ thiếu tên")
            originals = int(item.get("originals", 0))
            copies = int(item.get("copies", 0))
            case.documents.append(
                DocumentRecord(
                    name=str(item["name"]),
                    originals=originals,
                    copies=copies,
                    form_name=item.get("form"),
                    note=item.get("note"),
                    kind="document" if originals + copies > 0 else "note",
                )
            )
        cases.append(case)
    return cases


def parse_entry(raw: Dict[str, Any], where: str) -> ProcedureRecord:
    if not isinstance(raw, dict):
        raise RecordError(f"{where}: mục không phải là một ánh xạ YAML")
    code = str(raw.get("code") or "").strip()
    if not CODE_RE.match(code):
        raise RecordError(f"{where}: mã thủ tục không hợp lệ {code!r}")
    where = f"{where} ({code})"
    _check_keys(raw, ENTRY_KEYS, where)
    if not raw.get("name"):
        raise RecordError(f"{where}: thiếu tên thủ tục")
    steps = [str(step) for step in raw.get("steps") or []]
    return ProcedureRecord(
        code=code,
        name=str(raw["name"]),
        source="curated",
        decision_number=raw.get("decision"),
        levels=list(raw.get("levels") or []),
        field=raw.get("field"),
        procedure_type=raw.get("type"),
        target_groups=list(raw.get("who") or []),
        implementing_agency=raw.get("agency"),
        receiving_address=raw.get("where"),
        steps_text="\n".join(steps) or None,
        steps=steps,
        conditions_text=raw.get("conditions"),
        result_text=raw.get("result"),
        summary=raw.get("summary"),
        short_title=_short_title(raw.get("title"), where),
        source_url=raw.get("source_url"),
        methods=[_method(m, where) for m in raw.get("methods") or []],
        cases=_documents(raw.get("documents") or [], where),
        legal_bases=[
            LegalBasisRecord(number=lb.get("number"), title=lb.get("title"))
            for lb in raw.get("legal_basis") or []
        ],
        related=[RelatedRecord(related_code=str(c), name=None) for c in raw.get("related") or []],
        aliases=[str(alias) for alias in raw.get("aliases") or []],
    )


def curated_files(path: Path) -> List[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in (".yml", ".yaml"))
    return [path]


def read_curated(path: Path) -> Iterator[Tuple[str, Dict[str, Any]]]:
    """Yield (where, raw entry) for every entry of a curated file or folder."""
    for file in curated_files(path):
        try:
            document = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise RecordError(f"{file.name}: YAML không đọc được: {exc}") from exc
        if not isinstance(document, dict) or not isinstance(document.get("procedures"), list):
            raise RecordError(f"{file.name}: thiếu danh sách 'procedures'")
        for index, raw in enumerate(document["procedures"], start=1):
            yield f"{file.name} mục {index}", raw
