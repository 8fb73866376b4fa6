"""Import procedures into the catalogue, all or nothing.

Both formats (the national portal's JSON lines, gzip or not, and the
project's curated YAML) are read and validated completely before anything is
written; the write is one transaction. Records merge by procedure code:

* a national import replaces a procedure's facts but keeps its curated
  everyday names (aliases) and summary;
* a curated load adds its aliases to any procedure, and writes its facts only
  where no national import has provided them, so reloading the curated
  catalogue never undoes a national import.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from procedures_kb import curated_format, digest, national_format
from procedures_kb.models import (
    SOURCE_CURATED,
    SOURCE_NATIONAL,
    Alias,
    Document,
    DocumentCase,
    ImportRun,
    LegalBasis,
    Procedure,
    ProcedureStep,
    RelatedProcedure,
    SubmissionMethod,
    utcnow,
)
from procedures_kb.records import ProcedureRecord, RecordError
from vietnamese.folding import fold

FORMAT_NATIONAL = "national"
FORMAT_CURATED = "curated"


class ImportFailed(Exception):
    """The import changed nothing; the message says why, in Vietnamese."""


@dataclass
class Coverage:
    records: int = 0
    with_methods: int = 0
    with_documents: int = 0
    with_methods_and_documents: int = 0
    method_rows: int = 0
    times_with_unit: int = 0
    fees_parsed: int = 0
    document_rows: int = 0
    note_rows: int = 0

    def add(self, record: ProcedureRecord) -> None:
        self.records += 1
        has_documents = any(d.kind == "document" for c in record.cases for d in c.documents)
        self.with_methods += bool(record.methods)
        self.with_documents += has_documents
        self.with_methods_and_documents += bool(record.methods) and has_documents
        for method in record.methods:
            self.method_rows += 1
            self.times_with_unit += method.time_unit is not None
            self.fees_parsed += method.fee_is_free is not None or method.fee_amount is not None
        for case in record.cases:
            for document in case.documents:
                if document.kind == "document":
                    self.document_rows += 1
                else:
                    self.note_rows += 1

    def as_dict(self) -> Dict[str, float]:
        def pct(part: int, whole: int) -> float:
            return round(100.0 * part / whole, 1) if whole else 0.0

        return {
            "records": self.records,
            "with_methods_pct": pct(self.with_methods, self.records),
            "with_documents_pct": pct(self.with_documents, self.records),
            "with_methods_and_documents_pct": pct(self.with_methods_and_documents, self.records),
            "method_rows": self.method_rows,
            "times_with_unit_pct": pct(self.times_with_unit, self.method_rows),
            "fees_parsed_pct": pct(self.fees_parsed, self.method_rows),
            "document_rows": self.document_rows,
            "note_rows": self.note_rows,
        }

    def report(self) -> str:
        d = self.as_dict()
        return "\n".join(
            [
                f"Số thủ tục đọc được:                 {d['records']}",
                f"Có ít nhất một cách thức nộp:        {d['with_methods_pct']}%",
                f"Có ít nhất một giấy tờ phải nộp:     {d['with_documents_pct']}%",
                f"Có cả cách thức nộp và giấy tờ:      {d['with_methods_and_documents_pct']}%",
                f"Thời hạn có đơn vị:                  {d['times_with_unit_pct']}% "
                f"của {d['method_rows']} dòng cách thức",
                f"Phí, lệ phí đọc được:                {d['fees_parsed_pct']}%",
                f"Giấy tờ: {d['document_rows']}; ghi chú (số lượng 0) để riêng: {d['note_rows']}",
            ]
        )


@dataclass
class ImportResult:
    path: str
    source_format: str
    created: int = 0
    updated: int = 0
    coverage: Coverage = dc_field(default_factory=Coverage)


def detect_format(path: Path) -> str:
    if path.is_dir() or path.suffix in (".yml", ".yaml"):
        return FORMAT_CURATED
    return FORMAT_NATIONAL


def read_national(path: Path) -> List[ProcedureRecord]:
    opener = gzip.open if path.suffix == ".gz" else open
    records: List[ProcedureRecord] = []
    seen: Dict[str, int] = {}
    try:
        with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
            for line_number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"dòng {line_number}"
                try:
                    raw = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise RecordError(f"{where}: JSON không hợp lệ ({exc.msg})") from exc
                record = national_format.parse_record(raw, where)
                if record.code in seen:
                    raise RecordError(
                        f"{where}: mã {record.code} trùng với dòng {seen[record.code]}"
                    )
                seen[record.code] = line_number
                records.append(record)
    except (EOFError, OSError, zlib.error, UnicodeDecodeError) as exc:
        raise RecordError(f"tệp hỏng hoặc bị cắt cụt ({type(exc).__name__}: {exc})") from exc
    return records


def read_curated(path: Path) -> List[ProcedureRecord]:
    records: List[ProcedureRecord] = []
    seen: Dict[str, str] = {}
    for where, raw in curated_format.read_curated(path):
        record = curated_format.parse_entry(raw, where)
        if record.code in seen:
            raise RecordError(f"{where}: mã {record.code} trùng với {seen[record.code]}")
        seen[record.code] = where
        records.append(record)
    return records


def read_records(path: Path, source_format: Optional[str] = None) -> List[ProcedureRecord]:
    if not path.exists():
        raise ImportFailed(f"Không tìm thấy tệp: {path}")
    source_format = source_format or detect_format(path)
    try:
        records = read_national(path) if source_format == FORMAT_NATIONAL else read_curated(path)
    except RecordError as exc:
        raise ImportFailed(f"Không nhập gì cả. {path.name}, {exc}") from exc
    if not records:
        raise ImportFailed(f"Không nhập gì cả: tệp {path.name} không có thủ tục nào.")
    return records


def _set_facts(procedure: Procedure, record: ProcedureRecord) -> None:
    for name in (
        "name",
        "decision_number",
        "field",
        "procedure_type",
        "implementing_agency",
        "competent_agency",
        "authorized_agency",
        "coordinating_agency",
        "receiving_address",
        "steps_text",
        "conditions_text",
        "result_text",
        "source_url",
        "source_group",
    ):
        setattr(procedure, name, getattr(record, name))
    procedure.levels = list(record.levels)
    procedure.target_groups = list(record.target_groups)
    if record.summary:
        procedure.summary = record.summary
    procedure.steps = [ProcedureStep(position=i, text=t) for i, t in enumerate(record.steps)]
    procedure.methods = [
        SubmissionMethod(position=i, **vars(m)) for i, m in enumerate(record.methods)
    ]
    procedure.document_cases = [
        DocumentCase(
            position=i,
            title=case.title,
            documents=[Document(position=j, **vars(d)) for j, d in enumerate(case.documents)],
        )
        for i, case in enumerate(record.cases)
    ]
    procedure.legal_bases = [
        LegalBasis(position=i, number=lb.number, title=lb.title)
        for i, lb in enumerate(record.legal_bases)
    ]
    procedure.related = [
        RelatedProcedure(position=i, related_code=r.related_code, name=r.name)
        for i, r in enumerate(record.related)
    ]


def _set_digest(procedure: Procedure) -> None:
    """Recompute the answer digest from the facts and the curated lead just written."""
    procedure.digest = digest.build(procedure).to_json()
    procedure.digest_version = digest.DIGEST_VERSION


def _clear_children(session: Session, procedure_ids: List[int]) -> None:
    """Delete the rows of these procedures in bulk (far faster than ORM cascades)."""
    no_sync = {"synchronize_session": False}
    for start in range(0, len(procedure_ids), 500):
        chunk = procedure_ids[start:start + 500]
        case_ids = select(DocumentCase.id).where(DocumentCase.procedure_id.in_(chunk))
        session.execute(delete(Document).where(Document.case_id.in_(case_ids)), execution_options=no_sync)
        for model in (DocumentCase, ProcedureStep, SubmissionMethod, LegalBasis, RelatedProcedure):
            session.execute(delete(model).where(model.procedure_id.in_(chunk)), execution_options=no_sync)


def _overwrites(record: ProcedureRecord, procedure: Procedure) -> bool:
    return record.source == SOURCE_NATIONAL or procedure.source == SOURCE_CURATED


def _add_aliases(procedure: Procedure, aliases: Iterable[str], known: set) -> None:
    for text in aliases:
        normalized = fold(text)[:255]
        if normalized and normalized not in known:
            known.add(normalized)
            procedure.aliases.append(Alias(text=text, normalized=normalized))


def write_records(
    session: Session,
    records: List[ProcedureRecord],
    progress: Optional[Callable[[int], None]] = None,
) -> ImportResult:
    """Merge records into the catalogue inside the caller's transaction."""
    result = ImportResult(path="", source_format="")
    now = utcnow()
    codes = [r.code for r in records]
    existing: Dict[str, Procedure] = {}
    for start in range(0, len(codes), 500):
        chunk = codes[start:start + 500]
        for procedure in session.execute(
            select(Procedure).options(selectinload(Procedure.aliases)).where(Procedure.code.in_(chunk))
        ).scalars():
            existing[procedure.code] = procedure
    _clear_children(
        session,
        [existing[r.code].id for r in records if r.code in existing and _overwrites(r, existing[r.code])],
    )
    for record in records:
        result.coverage.add(record)
        procedure = existing.get(record.code)
        if procedure is None:
            procedure = Procedure(code=record.code, source=record.source, levels=[], target_groups=[])
            _set_facts(procedure, record)
            session.add(procedure)
            result.created += 1
            known: set = set()
        else:
            known = {alias.normalized for alias in procedure.aliases}
            if _overwrites(record, procedure):
                for name in ("steps", "methods", "document_cases", "legal_bases", "related"):
                    set_committed_value(procedure, name, [])  # rows already deleted in bulk
                _set_facts(procedure, record)
            elif record.summary and not procedure.summary:
                procedure.summary = record.summary
            result.updated += 1
        if record.source == SOURCE_NATIONAL:
            procedure.source = SOURCE_NATIONAL
            procedure.imported_at = now
        else:
            procedure.curated_lead = digest.curated_lead(record)
            procedure.short_title = record.short_title or procedure.short_title
        _add_aliases(procedure, record.aliases, known)
        _set_digest(procedure)
        if progress:
            progress(1)
    session.flush()
    return result


def import_path(
    session: Session,
    path: Path,
    source_format: Optional[str] = None,
    show_progress: bool = False,
) -> ImportResult:
    """Read, validate and write one file or folder; commit, or change nothing.

    The run is recorded in import_runs with the source's fingerprint, which
    `python -m procedures_kb import --if-changed` compares against.
    """
    path = Path(path)
    source_format = source_format or detect_format(path)
    records = read_records(path, source_format)
    run = ImportRun(source_path=str(path), source_format=source_format, started_at=utcnow(),
                    source_sha256=fingerprint(path))
    bar = None
    if show_progress:
        from tqdm import tqdm

        bar = tqdm(total=len(records), desc="Nhập thủ tục", unit="tt", leave=False)
    try:
        result = write_records(session, records, progress=bar.update if bar else None)
        run.records = len(records)
        run.created, run.updated = result.created, result.updated
        run.coverage = result.coverage.as_dict()
        run.finished_at = utcnow()
        session.add(run)
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        if bar is not None:
            bar.close()
    result.path, result.source_format = str(path), source_format
    return result


def fingerprint(path: Path) -> str:
    """The sha256 (64 hex digits) of what an import of `path` would read.

    A file: its bytes. A curated folder: the names and bytes of its YAML files
    in name order (the files read_curated reads), so renaming, adding or
    editing any of them changes it. Raises OSError if `path` cannot be read.
    """
    path = Path(path)
    digest = hashlib.sha256()
    if not path.is_dir():
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    for file in curated_format.curated_files(path):
        content = file.read_bytes()
        name = file.name.encode("utf-8")
        digest.update(len(name).to_bytes(8, "big") + name + len(content).to_bytes(8, "big") + content)
    return digest.hexdigest()


def last_import(session: Session, source_format: str) -> Optional[ImportRun]:
    """The latest finished import of this format (national or curated), or None.

    Only successful imports are recorded (a failed one rolls back its run), so
    its source_sha256 is the content the catalogue holds for that format.
    """
    statement = (
        select(ImportRun)
        .where(ImportRun.source_format == source_format, ImportRun.finished_at.isnot(None))
        .order_by(ImportRun.id.desc())
        .limit(1)
    )
    return session.execute(statement).scalars().first()


def refresh_digests(session: Session, everything: bool = False) -> int:
    """Recompute the digests built by an older DIGEST_VERSION (all with `everything`); commit; return the count.

    A code change to procedures_kb/digest.py bumps DIGEST_VERSION, so an unchanged
    catalogue file (skipped by --if-changed) still gets digests of the current kind.
    """
    query = select(Procedure.id)
    if not everything:
        query = query.where((Procedure.digest_version.is_(None)) | (Procedure.digest_version != digest.DIGEST_VERSION))
    ids = list(session.execute(query).scalars())
    for start in range(0, len(ids), 200):
        chunk = ids[start:start + 200]
        procedures = session.execute(
            select(Procedure).where(Procedure.id.in_(chunk)).options(
                selectinload(Procedure.methods),
                selectinload(Procedure.document_cases).selectinload(DocumentCase.documents),
                selectinload(Procedure.steps),
            )
        ).scalars()
        for procedure in procedures:
            _set_digest(procedure)
        session.flush()
    session.commit()
    return len(ids)
