"""Check the assistant's answers against the raw national records.

For a reproducible sample of procedures, the fee, time and documents answers
(the same functions the actions use, over the imported database) must show
every fee amount, every processing time with its unit, and as many documents
as the raw record lists. The expected values are read from the raw JSON with
regular expressions of their own, not with the importer's parser, so a parser
mistake shows up as a mismatch.

Used by tests/actions/test_national_answers.py, by bench/dialogue_bench.py and
by bench/answers_bench.py (300 procedures, with the old and the new renderer)
(bench/ may use the tests' helpers; tests never import bench/).
"""
from __future__ import annotations

import gzip
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List

from actions import answers
from procedures_kb.service import ProcedureService

SAMPLE_SEED = 20261122
_CHANNEL = r"(?:Trực tuyến|Trực tiếp|Dịch vụ bưu chính)"
_TIME_RE = re.compile(_CHANNEL + r"\s*(\d+(?:[.,]\d+)?)\s*(Ngày làm việc|Ngày|Giờ|Tháng|Năm)")
_FEE_RE = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)\s*Việt Nam Đồng")
# One document's count: "1 bản chính", "1 bản sao" or both, "1 bản chính,1 bản sao".
_COUNT_RE = re.compile(r"(?<!\d)(\d+) bản (?:chính|sao)(?:\s*,\s*(\d+) bản (?:chính|sao))?")


def _count_matches(text: str):
    """Counts in a flattened documents table; "01 bản sao có chứng thực ..." inside a name is not one."""
    for match in _COUNT_RE.finditer(text):
        first = match.group(1)
        following = text[match.end():match.end() + 2]
        if len(first) > 1 and first.startswith("0") and following[:1] == " " and following[1:].islower():
            continue
        yield match


def _counts(text: str):
    for match in _count_matches(text):
        yield match.groups()


def _every_count_named(text: str) -> bool:
    """No count follows another with nothing between them ("...lý do.1 bản chính1 bản chính"): which is the document?"""
    previous_end = None
    for match in _count_matches(text):
        if previous_end is not None and not text[previous_end:match.start()].strip():
            return False
        previous_end = match.end()
    return True


_SETS_RE = re.compile(r"Số lượng hồ sơ\b(?:(?!Tên giấy tờ|bản chính|bản sao).){0,60}?(?<!\d)[1-9]\d* bản (?:chính|sao)")
_UNITS = {"Ngày làm việc": "ngày làm việc", "Ngày": "ngày", "Giờ": "giờ", "Tháng": "tháng", "Năm": "năm"}


@dataclass
class Check:
    code: str
    expected_fees: List[str] = field(default_factory=list)
    expected_times: List[str] = field(default_factory=list)
    expected_documents: int = 0
    listed_documents: int = 0
    problems: List[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_records(path: Path) -> Iterator[Dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def eligible(record: Dict[str, str]) -> bool:
    """Records with a fee amount, a time with its unit and counted documents."""
    methods = record.get("cach_thuc_thuc_hien") or ""
    documents = record.get("thanh_phan_ho_so") or ""
    return bool(_FEE_RE.search(methods) and _TIME_RE.search(methods) and any(_counts(documents)))


def eligible_wider(record: Dict[str, str]) -> bool:
    """Records with counted documents, each count after a name, and a fee amount or a time with its unit."""
    methods = record.get("cach_thuc_thuc_hien") or ""
    documents = record.get("thanh_phan_ho_so") or ""
    has_fee_or_time = _FEE_RE.search(methods) or _TIME_RE.search(methods)
    return bool(has_fee_or_time and any(_counts(documents)) and _every_count_named(documents))


def sample(path: Path, size: int = 30, seed: int = SAMPLE_SEED) -> List[Dict[str, str]]:
    """`size` records, seeded, from those with a fee, a time and documents to check.

    When there are fewer such records than `size` (251 in the 2026 catalogue), all
    of them are taken, then, seeded, records with documents and a fee or a time.
    """
    records = sorted(read_records(path), key=lambda r: r["ma_thu_tuc"])
    strict = [r for r in records if eligible(r)]
    if size <= len(strict):
        return random.Random(seed).sample(strict, size)
    wider = [r for r in records if eligible_wider(r) and not eligible(r)]
    return strict + random.Random(seed).sample(wider, min(size - len(strict), len(wider)))


def _amount(raw: str) -> str:
    return f"{int(raw.replace(',', '')):,}".replace(",", ".") + " đồng"


def _time(value: str, unit: str) -> str:
    return f"{value.replace('.', ',')} {_UNITS[unit]}"


def check(service: ProcedureService, record: Dict[str, str], renderer=answers) -> Check:
    """`renderer`: a module with the answer functions of actions/answers.py (bench/ passes the old one)."""
    code = record["ma_thu_tuc"]
    result = Check(code)
    procedure = service.get(code)
    if procedure is None:
        result.problems.append("không có trong cơ sở dữ liệu")
        return result
    methods = record.get("cach_thuc_thuc_hien") or ""
    result.expected_fees = sorted({_amount(m) for m in _FEE_RE.findall(methods) if int(m.replace(",", "")) > 0})
    result.expected_times = sorted({_time(v, u) for v, u in _TIME_RE.findall(methods)})
    counts = list(_counts(record.get("thanh_phan_ho_so") or ""))
    result.expected_documents = sum(1 for first, second in counts if int(first) > 0 or int(second or 0) > 0)
    # "Số lượng hồ sơ: 01 bộ" sits in some tables with a count, but it says how many sets, it is no document.
    result.expected_documents -= len(_SETS_RE.findall(record.get("thanh_phan_ho_so") or ""))

    fee_text = renderer.fee_answer(procedure)
    time_text = renderer.time_answer(procedure)
    pairs = [(result.expected_fees, fee_text, "lệ phí"), (result.expected_times, time_text, "thời hạn")]
    for expected, text, what in pairs:
        for item in expected:
            if item not in text:
                result.problems.append(f"{what}: thiếu '{item}'")
    if f"(mã {code})" not in fee_text or f"(mã {code})" not in time_text:
        result.problems.append("câu trả lời không ghi mã thủ tục")

    # Every case, part and page of the documents answer, as a citizen tapping each button would see them.
    first = renderer.documents_view(procedure)
    views = [first.text]
    parts = (None, renderer.CONDITIONAL) if hasattr(renderer, "CONDITIONAL") else (None,)
    if first.case is not None or len(parts) > 1:
        views = []
        for case in [first.case or 1] + first.other_cases:
            for part in parts:
                kwargs = {"part": part} if part else {}
                shown = renderer.documents_view(procedure, case=case, **kwargs)
                if getattr(shown, "part", None) != part:
                    continue  # the case has no conditional documents
                views += [renderer.documents_view(procedure, case=case, page=n, **kwargs).text for n in range(1, shown.pages + 1)]
    result.listed_documents = sum(1 for view in views for line in view.splitlines() if line.startswith("- "))
    # A curated procedure lists the curated catalogue's documents (its own words and grouping); those are
    # compared with the national record by tests/procedures_kb/test_curated_vs_national.py.
    if procedure.curated_lead is None and result.listed_documents != result.expected_documents:
        result.problems.append(f"giấy tờ: liệt kê {result.listed_documents}, bản gốc có {result.expected_documents}")
    if any(len(view) > renderer.MAX_MESSAGE_CHARS for view in views + [fee_text, time_text]):
        result.problems.append("vượt 2.000 ký tự")
    return result


def run(service: ProcedureService, path: Path, size: int = 30, renderer=answers) -> List[Check]:
    return [check(service, record, renderer) for record in sample(path, size)]
