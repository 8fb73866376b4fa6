"""Vietnamese replies built from a dossier's data: its status, due date and details.

Fixed texts (asking for the code, a malformed or unknown code, the source
busy, wrong or badly typed digits, the lock) are responses in
bot/domain/dossiers.yml; the dossier service names them by the outcome's
kind and parameters (dossiers.service.Outcome), and the action sends them.
"""
from __future__ import annotations

import datetime as dt
from typing import List, Optional

from dossiers.models import FINISHED_STATUSES, STATUS_LABELS
from dossiers.records import PrivateDetails, PublicStatus
from dossiers.workdays import WorkingCalendar

CHANNEL_LABELS = {"in_person": "trực tiếp", "online": "trực tuyến", "postal": "qua bưu chính"}


def date_vn(value: Optional[dt.date]) -> str:
    return value.strftime("%d/%m/%Y") if value else "chưa có"


def due_line(status: PublicStatus, calendar: WorkingCalendar, today: dt.date) -> str:
    if status.due_date is None:
        return "Ngày hẹn trả: chưa có."
    head = f"Ngày hẹn trả: {date_vn(status.due_date)}"
    if status.status in FINISHED_STATUSES:
        done = (status.completed_at or status.returned_at)
        if done is None:
            return head + "."
        late = calendar.working_days_between(status.due_date, done.date())
        verdict = "đúng hạn" if late <= 0 else f"trễ {late} ngày làm việc"
        return f"{head}; có kết quả ngày {date_vn(done.date())} ({verdict})."
    if status.status in ("needs_supplement", "suspended"):
        return f"{head} (thời hạn tạm dừng trong khi chờ bổ sung hoặc tạm dừng)."
    remaining = calendar.working_days_between(today, status.due_date)
    if remaining > 0:
        return f"{head} — còn {remaining} ngày làm việc."
    if remaining == 0:
        return f"{head} — hạn là hôm nay."
    return f"{head} — quá hạn {-remaining} ngày làm việc."


def public_answer(status: PublicStatus, calendar: WorkingCalendar, today: dt.date) -> str:
    code_part = f" (mã {status.procedure_code})" if status.procedure_code else ""
    lines = [
        f"Hồ sơ {status.code} — {status.procedure_name}{code_part}",
        f"Tình trạng: {STATUS_LABELS.get(status.status, status.status)}",
        f"Tiếp nhận ngày {date_vn(status.received_at.date())}"
        + (f" tại {status.receiving_agency}" if status.receiving_agency else "")
        + f" (nộp {CHANNEL_LABELS.get(status.channel, status.channel)}).",
        due_line(status, calendar, today),
    ]
    return "\n".join(lines)


def details_answer(details: PrivateDetails) -> str:
    lines: List[str] = ["Thông tin chi tiết (đã xác minh):"]
    if details.applicant_name_masked:
        lines.append(f"Người nộp: {details.applicant_name_masked}")
    if details.result_summary:
        lines.append(f"Kết quả: {details.result_summary}")
    if details.pickup_place:
        lines.append(f"Nơi nhận kết quả: {details.pickup_place}")
    if details.officer_note:
        lines.append(f"Ghi chú của cán bộ: {details.officer_note}")
    if details.history:
        lines.append("Quá trình xử lý:")
        for step in details.history[-8:]:
            by = f" ({step.handled_by})" if step.handled_by else ""
            lines.append(f"- {step.at.strftime('%d/%m/%Y %H:%M')}: {step.step}{by}")
    return "\n".join(lines)[:2000]

