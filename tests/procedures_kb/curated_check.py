"""Every fact of the curated catalogue against the national record of the same code.

The curated catalogue is written in the project's words; its facts must still
be the national record's. Both sides are read with the importer's parsers
into ProcedureRecords and compared, giving a list of disagreements
(code, fact, curated value, national value):

* code: every curated code has a national record;
* channel: the same submission channels (Trực tiếp, Trực tuyến, Dịch vụ bưu chính);
* fee: per channel, the fees as method_facts reads them (an amount stated in a
  "Miễn phí" row's note is the fee; a regulation without an amount is "set by
  regulation"); fee_note: every amount a curated note states is stated by the
  national record;
* time: per channel, (value, unit); a national time without its unit accepts
  the curated unit only when the national record's own text states it;
  time_note: every duration a curated note or time text states is stated by
  the national record;
* document_missing / document_unknown: every unconditional document of the
  national record's main case has a curated counterpart, and every curated
  document has a national one (document_match).

A difference the curated file makes on purpose is accepted only by a rule that
names its source (accepted_reason); `report` lists it apart with the reason.
`python -m tests.procedures_kb.curated_check [national.jsonl.gz]` prints the
report and exits 1 while disagreements remain.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

from procedures_kb.records import CHANNEL_LABELS, CHANNELS, MethodRecord, ProcedureRecord
from tests.procedures_kb.document_match import corresponds, documents, listed_inside, main_documents
from tests.procedures_kb.method_facts import (
    amount_values,
    amounts_in,
    duration_stated,
    durations,
    fee_fact,
    money,
    raw_fee_text,
    time_label,
    time_of,
    times_match,
)
from vietnamese.folding import nfc

# What a fact is about; the report groups by these.
FACT_CODE = "code"
FACT_CHANNEL = "channel"
FACT_FEE = "fee"
FACT_FEE_NOTE = "fee_note"
FACT_TIME = "time"
FACT_TIME_NOTE = "time_note"
FACT_DOCUMENT_MISSING = "document_missing"  # a national document without a curated counterpart
FACT_DOCUMENT_UNKNOWN = "document_unknown"  # a curated document without a national counterpart
FACTS = (
    FACT_CODE, FACT_CHANNEL, FACT_FEE, FACT_FEE_NOTE, FACT_TIME, FACT_TIME_NOTE,
    FACT_DOCUMENT_MISSING, FACT_DOCUMENT_UNKNOWN,
)

NONE = "—"


@dataclass(frozen=True)
class Disagreement:
    code: str
    fact: str
    curated: str
    national: str

    def line(self) -> str:
        return f"{self.code} [{self.fact}] tuyển chọn: {self.curated} | quốc gia: {self.national}"


def _short(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------- comparison


def _national_text(record: ProcedureRecord) -> str:
    parts = [record.steps_text, record.conditions_text, record.result_text]
    for method in record.methods:
        parts += [method.description, method.fee_note, method.time_raw, method.fee_raw]
    parts += [d.name for case in record.cases for d in case.documents]
    return nfc(" ".join(p for p in parts if p))


def _by_channel(methods: Iterable[MethodRecord]) -> Dict[str, List[MethodRecord]]:
    grouped: Dict[str, List[MethodRecord]] = {}
    for method in methods:
        grouped.setdefault(method.channel, []).append(method)
    return grouped


def _compare_methods(curated: ProcedureRecord, national: ProcedureRecord) -> List[Disagreement]:
    out: List[Disagreement] = []
    code = curated.code
    national_text = _national_text(national)
    cur, nat = _by_channel(curated.methods), _by_channel(national.methods)
    for channel in CHANNELS:
        label = CHANNEL_LABELS[channel]
        if channel not in cur and channel not in nat:
            continue
        if channel not in nat:
            out.append(Disagreement(code, FACT_CHANNEL, label, "không có kênh này"))
            continue
        if channel not in cur:
            out.append(Disagreement(code, FACT_CHANNEL, "không có kênh này", label))
            continue
        cur_fees = sorted({fee_fact(m) for m in cur[channel]})
        nat_fees = sorted({fee_fact(m) for m in nat[channel]})
        if cur_fees != nat_fees:
            out.append(Disagreement(code, FACT_FEE, f"{label}: {'; '.join(cur_fees)}", f"{label}: {'; '.join(nat_fees)}"))
        cur_times = [time_of(m) for m in cur[channel]]
        nat_times = [time_of(m) for m in nat[channel]]
        unmatched_cur = [t for t in cur_times if not any(times_match(t, n, national_text) for n in nat_times)]
        unmatched_nat = [n for n in nat_times if not any(times_match(t, n, national_text) for t in cur_times)]
        if unmatched_cur or unmatched_nat:
            out.append(
                Disagreement(
                    code,
                    FACT_TIME,
                    f"{label}: {'; '.join(time_label(t) for t in dict.fromkeys(cur_times))}",
                    f"{label}: {'; '.join(time_label(t) for t in dict.fromkeys(nat_times))}",
                )
            )
    national_amounts = amount_values(national_text)
    for method in curated.methods:
        label = CHANNEL_LABELS[method.channel]
        note = nfc(" ".join(t for t in (method.fee_note, raw_fee_text(method)) if t))
        for amount, currency in amounts_in(note):
            if amount not in national_amounts:
                out.append(Disagreement(code, FACT_FEE_NOTE, f"{label}: {money(amount, currency)}", "không ghi mức này"))
        written = nfc(" ".join(t for t in (method.fee_note, method.time_raw if method.time_value is None else None) if t))
        for mention in dict.fromkeys(durations(written)):
            if not duration_stated(mention, national_text):
                out.append(Disagreement(code, FACT_TIME_NOTE, f"{label}: {mention}", "không ghi thời hạn này"))
    return out


def _compare_documents(curated: ProcedureRecord, national: ProcedureRecord) -> List[Disagreement]:
    out: List[Disagreement] = []
    curated_docs = documents(curated)
    national_docs = documents(national)
    for document in main_documents(national):
        if not any(corresponds(document.name, c.name) for c in curated_docs) and not listed_inside(
            document, national_docs, curated_docs
        ):
            out.append(Disagreement(curated.code, FACT_DOCUMENT_MISSING, NONE, _short(document.name)))
    for document in curated_docs:
        if not any(corresponds(document.name, n.name) for n in national_docs):
            out.append(Disagreement(curated.code, FACT_DOCUMENT_UNKNOWN, _short(document.name), NONE))
    return out


def compare(curated: ProcedureRecord, national: ProcedureRecord) -> List[Disagreement]:
    """Disagreements between a curated record and the national record of the same code."""
    found = _compare_methods(curated, national) + _compare_documents(curated, national)
    return list(dict.fromkeys(found))  # two rows of one channel may raise the same difference


# ---------------------------------------------------------------- accepted differences


@dataclass(frozen=True)
class Accepted:
    disagreement: Disagreement
    reason: str


CERTIFICATION_DECREE = "23/2015/NĐ"  # the portal sometimes cuts the number ("23/2015/NĐ-C")
CERTIFICATION_TIMES = frozenset({"trong ngày", "15 giờ", "02 ngày làm việc"})
REASON_NO_NATIONAL_DOCUMENTS = (
    "bản ghi quốc gia không có bảng thành phần hồ sơ đọc được (trang cổng thu thập bị lỗi), "
    "giấy tờ tuyển chọn không có gì để đối chiếu"
)
REASON_CERTIFICATION_TIME = (
    "thời hạn chứng thực do Nghị định 23/2015/NĐ-CP quy định (trong ngày, nhận sau 15 giờ thì ngày làm việc "
    "tiếp theo; hợp đồng, giao dịch không quá 02 ngày làm việc); bản ghi quốc gia dẫn nghị định này làm căn cứ "
    "nhưng ô thời hạn ghi 'Không có thông tin'"
)


def accepted_reason(
    disagreement: Disagreement, curated: ProcedureRecord, national: ProcedureRecord
) -> Optional[str]:
    """Why a difference is deliberate, or None. Each rule states where the curated fact comes from."""
    if disagreement.fact == FACT_DOCUMENT_UNKNOWN and not documents(national):
        return REASON_NO_NATIONAL_DOCUMENTS
    if (
        disagreement.fact == FACT_TIME_NOTE
        and disagreement.curated.split(": ", 1)[-1] in CERTIFICATION_TIMES
        and any(CERTIFICATION_DECREE in (basis.number or "") for basis in national.legal_bases)
        and all(method.time_value is None for method in national.methods)
    ):
        return REASON_CERTIFICATION_TIME
    return None


@dataclass
class Comparison:
    disagreements: List[Disagreement]
    accepted: List[Accepted]


def compare_catalogues(
    curated: Sequence[ProcedureRecord], national: Dict[str, ProcedureRecord]
) -> Comparison:
    """Every curated record against the national record of its code; deliberate differences set apart."""
    result = Comparison(disagreements=[], accepted=[])
    for record in curated:
        if record.code not in national:
            result.disagreements.append(
                Disagreement(record.code, FACT_CODE, record.code, "không có trong danh mục quốc gia")
            )
            continue
        for disagreement in compare(record, national[record.code]):
            reason = accepted_reason(disagreement, record, national[record.code])
            if reason:
                result.accepted.append(Accepted(disagreement, reason))
            else:
                result.disagreements.append(disagreement)
    return result


def report(comparison: Comparison) -> str:
    """The disagreements one per line with counts by fact, then the accepted differences and why."""
    lines = [d.line() for d in comparison.disagreements]
    if comparison.disagreements:
        counts = {fact: sum(d.fact == fact for d in comparison.disagreements) for fact in FACTS}
        lines.append(
            f"{len(comparison.disagreements)} chỗ khác: "
            + ", ".join(f"{fact} {n}" for fact, n in counts.items() if n)
        )
    else:
        lines.append("Danh mục tuyển chọn khớp với danh mục quốc gia.")
    if comparison.accepted:
        lines.append(f"{len(comparison.accepted)} chỗ khác có chủ ý:")
        lines.extend(f"  {a.disagreement.line()} — {a.reason}" for a in comparison.accepted)
    return "\n".join(lines)


def check(curated_dir: Path, national_path: Path) -> Comparison:
    from procedures_kb.importer import read_curated, read_national

    curated = read_curated(curated_dir)
    codes = {record.code for record in curated}
    national = {record.code: record for record in read_national(national_path) if record.code in codes}
    return compare_catalogues(curated, national)


def main(argv: Optional[List[str]] = None) -> int:
    from tests.conftest import CURATED_DIR, NATIONAL_CATALOGUE

    args = sys.argv[1:] if argv is None else argv
    national_path = Path(args[0]) if args else NATIONAL_CATALOGUE
    if not national_path.exists():
        print(f"Không có tệp danh mục quốc gia: {national_path}")
        return 2
    comparison = check(CURATED_DIR, national_path)
    print(report(comparison))
    return 1 if comparison.disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
