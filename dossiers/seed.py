"""Generated demo dossiers: real catalogue procedures, realistic histories, invented people.

Everything personal is generated. A demo applicant's phone number is derived
from the dossier code (demo_phone), so `samples` can show the verification
digits of seeded dossiers without the store keeping them.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Tuple

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from dossiers.models import Dossier, DossierEvent
from dossiers.privacy import hash_phone, mask_name
from dossiers.workdays import WorkingCalendar
from procedures_kb.models import Procedure, SubmissionMethod
from storage.engine import make_session_factory

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Gia", "Bảo", "Thu", "Xuân"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long",
         "Mai", "Nam", "Nga", "Phong", "Phúc", "Quân", "Quỳnh", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến"]
# Demo receiving agencies: electronic codes in the one-stop format, generic names.
AGENCIES = [
    ("000.00.07.H29", "Bộ phận Một cửa UBND phường (điểm tiếp nhận số 7)"),
    ("000.00.12.H29", "Bộ phận Một cửa UBND phường (điểm tiếp nhận số 12)"),
    ("000.00.03.H56", "Trung tâm Phục vụ hành chính công xã (điểm số 3)"),
    ("000.00.21.H48", "Bộ phận Một cửa UBND xã (điểm tiếp nhận số 21)"),
    ("000.00.05.H58", "Trung tâm Phục vụ hành chính công tỉnh (chi nhánh số 5)"),
]
STEPS = {
    "received": "Tiếp nhận hồ sơ",
    "processing": "Chuyển phòng chuyên môn thẩm định",
    "needs_supplement": "Yêu cầu bổ sung hồ sơ",
    "suspended": "Tạm dừng xử lý theo đề nghị của người nộp",
    "result_ready": "Đã ký kết quả, chuyển bộ phận trả kết quả",
    "returned": "Đã trả kết quả cho người nộp",
    "rejected": "Từ chối giải quyết, đã gửi văn bản nêu lý do",
    "withdrawn": "Người nộp rút hồ sơ",
}
CHANNELS = ["in_person", "online", "online", "postal"]


def demo_phone(code: str) -> str:
    """The generated phone number of a demo dossier (never a real person's)."""
    digest = hashlib.sha256(f"demo-phone:{code}".encode()).hexdigest()
    return "09" + str(int(digest[:12], 16))[-8:].zfill(8)


@dataclass
class _Procedure:
    code: str
    name: str
    days: int
    unit: str


def _procedures(session) -> List[_Procedure]:
    rows = session.execute(
        select(Procedure.code, Procedure.name, SubmissionMethod.time_value, SubmissionMethod.time_unit)
        .join(SubmissionMethod, SubmissionMethod.procedure_id == Procedure.id)
        .where(SubmissionMethod.time_value.isnot(None), SubmissionMethod.time_unit.in_(("working_day", "day")))
    ).all()
    chosen: Dict[str, _Procedure] = {}
    for code, name, value, unit in rows:
        days = max(1, min(60, int(value)))
        chosen.setdefault(code, _Procedure(code, name, days, unit))
    if not chosen:
        raise RuntimeError("Danh mục chưa có thủ tục nào có thời hạn: hãy nhập danh mục trước (make db).")
    return sorted(chosen.values(), key=lambda p: p.code)


def _office_hours(at: dt.datetime) -> dt.datetime:
    """Move a generated time outside 7:30–17:00 to the next morning (desks are closed at night)."""
    if at.hour >= 17:
        return (at + dt.timedelta(days=1)).replace(hour=8)
    if at.hour < 7:
        return at.replace(hour=8)
    return at


def _history(rng: random.Random, received: dt.datetime, due: dt.date, today: dt.date,
             calendar: WorkingCalendar, agency: str) -> Tuple[str, List[Tuple[dt.datetime, str, str]], Optional[dt.datetime], Optional[dt.datetime]]:
    events = [(received, "received", agency)]
    at = _office_hours(received + dt.timedelta(hours=rng.randint(2, 30)))
    now = dt.datetime.combine(today, dt.time(17, 0))
    if at > now:
        return "received", events, None, None
    events.append((at, "processing", "Phòng chuyên môn"))
    roll = rng.random()
    if roll < 0.04:
        events.append((at + dt.timedelta(hours=3), "withdrawn", agency))
        return "withdrawn", events, None, None
    if roll < 0.12:
        supplement = at + dt.timedelta(days=rng.randint(1, 3))
        if supplement < now:
            events.append((supplement, "needs_supplement", "Phòng chuyên môn"))
            if rng.random() < 0.5:
                return "needs_supplement", events, None, None
            at = supplement + dt.timedelta(days=rng.randint(1, 4))
            if at > now:
                return "needs_supplement", events, None, None
            events.append((at, "processing", "Phòng chuyên môn"))
    if 0.12 <= roll < 0.14:
        events.append((at + dt.timedelta(hours=5), "suspended", "Phòng chuyên môn"))
        return "suspended", events, None, None
    if roll > 0.97:
        events.append((at + dt.timedelta(days=1), "rejected", "Lãnh đạo UBND"))
        return "rejected", events, at + dt.timedelta(days=1), None
    # Most results come on time, some late.
    offset = rng.choice([-2, -1, -1, 0, 0, 0, 1, 3])
    done_day = calendar.add_working_days(due, offset) if offset > 0 else due - dt.timedelta(days=-offset)
    done = dt.datetime.combine(max(done_day, at.date()), dt.time(rng.randint(8, 16), rng.randint(0, 59)))
    if done > now:
        return "processing", events, None, None
    events.append((done, "result_ready", "Bộ phận trả kết quả"))
    returned = done + dt.timedelta(days=rng.randint(0, 5), hours=rng.randint(0, 3))
    if returned > now or rng.random() < 0.2:
        return "result_ready", events, done, None
    returned = _office_hours(returned)
    if returned > now:
        return "result_ready", events, done, None
    events.append((returned, "returned", agency))
    return "returned", events, done, returned


def generate(engine: Engine, count: int, key: bytes, seed: int = 7, today: Optional[dt.date] = None,
             batch: int = 5000, days_back: int = 90, calendar: Optional[WorkingCalendar] = None) -> int:
    """Insert `count` demo dossiers; returns how many were written.

    Phone numbers are hashed with `key` (Settings.hash_key): the action server
    must use the same key to verify them. Due dates follow `calendar` (the
    bundled one by default).
    """
    rng = random.Random(seed)
    today = today or dt.date.today()
    calendar = calendar or WorkingCalendar.from_file()
    sessions = make_session_factory(engine)
    with sessions() as session:
        procedures = _procedures(session)
        existing = set(session.execute(select(Dossier.code)).scalars()) if count <= 100_000 else None
    sequences: Dict[Tuple[str, str], int] = {}
    written = 0
    dossier_rows, event_rows = [], []
    for _ in range(count):
        procedure = rng.choice(procedures)
        agency_code, agency = rng.choice(AGENCIES)
        received_day = today - dt.timedelta(days=rng.randint(0, days_back))
        while not calendar.is_working_day(received_day):
            received_day -= dt.timedelta(days=1)
        received = dt.datetime.combine(received_day, dt.time(rng.randint(7, 16), rng.randint(0, 59)))
        day_key = (agency_code, received_day.strftime("%y%m%d"))
        sequences[day_key] = sequences.get(day_key, rng.randint(0, 20)) + 1
        code = f"{agency_code}-{day_key[1]}-{sequences[day_key]:04d}"
        if existing is not None and code in existing:
            continue
        due = (calendar.add_working_days(received_day, procedure.days) if procedure.unit == "working_day"
               else received_day + dt.timedelta(days=procedure.days))
        status, events, completed, returned = _history(rng, received, due, today, calendar, agency)
        phone = hash_phone(demo_phone(code), key=key)
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        dossier_rows.append(dict(
            code=code, procedure_code=procedure.code, procedure_name=procedure.name, agency_code=agency_code,
            receiving_agency=agency, channel=rng.choice(CHANNELS), received_at=received, due_date=due,
            completed_at=completed, returned_at=returned, status=status,
            pickup_place=f"{agency}, quầy trả kết quả" if status in ("result_ready", "returned") else agency,
            applicant_name_masked=mask_name(name),
            result_summary=_result(status, procedure.name), officer_note=_note(rng, status),
            phone_salt=phone.salt, phone_hash=phone.full, phone_tail_hash=phone.tail, updated_at=dt.datetime.utcnow(),
        ))
        event_rows.append([(at, st, STEPS[st], by) for at, st, by in events])
        if len(dossier_rows) >= batch:
            written += _flush(engine, dossier_rows, event_rows)
            dossier_rows, event_rows = [], []
    written += _flush(engine, dossier_rows, event_rows)
    return written


def _result(status: str, procedure: str) -> Optional[str]:
    if status in ("result_ready", "returned"):
        return f"Kết quả giải quyết thủ tục \"{procedure[:120]}\" đã được ký."
    if status == "rejected":
        return "Hồ sơ không đủ điều kiện giải quyết; lý do ghi trong văn bản trả lời."
    return None


def _note(rng: random.Random, status: str) -> Optional[str]:
    if status == "needs_supplement":
        return rng.choice(["Bổ sung bản sao giấy tờ chứng minh chỗ ở hợp pháp.",
                           "Tờ khai thiếu chữ ký của người yêu cầu, đề nghị bổ sung.",
                           "Bổ sung ảnh chụp giấy tờ rõ nét hơn."])
    if status == "withdrawn":
        return "Người nộp đề nghị rút hồ sơ."
    return None


def _flush(engine: Engine, dossiers: List[dict], events: List[list]) -> int:
    if not dossiers:
        return 0
    with engine.begin() as conn:
        conn.execute(Dossier.__table__.insert(), dossiers)
        codes = [d["code"] for d in dossiers]
        ids = dict(conn.execute(select(Dossier.code, Dossier.id).where(Dossier.code.in_(codes))).all())
        rows = [
            dict(dossier_id=ids[d["code"]], at=at, status=status, step=step, handled_by=by)
            for d, history in zip(dossiers, events) for at, status, step, by in history
        ]
        conn.execute(DossierEvent.__table__.insert(), rows)
    return len(dossiers)


def samples(engine: Engine, limit: int = 8) -> Iterator[Tuple[str, str, str, str]]:
    """(code, status, procedure, last 4 digits) of seeded dossiers, one per status first."""
    sessions = make_session_factory(engine)
    with sessions() as session:
        seen = set()
        rows = session.execute(
            select(Dossier.code, Dossier.status, Dossier.procedure_name).order_by(Dossier.id).limit(5000)
        ).all()
    picked = []
    for code, status, name in rows:
        if status not in seen:
            seen.add(status)
            picked.append((code, status, name))
    for code, status, name in rows:
        if len(picked) >= limit:
            break
        if (code, status, name) not in picked:
            picked.append((code, status, name))
    for code, status, name in picked[:limit]:
        yield code, status, name, demo_phone(code)[-4:]


def count_dossiers(engine: Engine) -> int:
    with make_session_factory(engine)() as session:
        return session.execute(select(func.count(Dossier.id))).scalar_one()
