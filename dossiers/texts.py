"""Vietnamese replies about dossiers, as the dossier service returns them.

Fixed texts the conversation sends by itself (asking for the phone digits,
the look-up skipped) are responses in bot/domain/dossiers.yml.
"""
from __future__ import annotations

import datetime as dt
from typing import List, Optional

from dossiers.codes import EXAMPLE
from dossiers.models import FINISHED_STATUSES, STATUS_LABELS
from dossiers.records import PrivateDetails, PublicStatus
from dossiers.workdays import WorkingCalendar

CHANNEL_LABELS = {"in_person": "trực tiếp", "online": "trực tuyến", "postal": "qua bưu chính"}

ASK_CODE = (
    f"Bạn cho tôi mã hồ sơ ghi trên giấy tiếp nhận và hẹn trả kết quả (ví dụ: {EXAMPLE}). "
    "Có thể gõ chữ thường, có hoặc không có dấu chấm."
)
MALFORMED = (
    "Mã hồ sơ chưa đúng dạng. Mã gồm mã cơ quan, ngày tiếp nhận (năm-tháng-ngày) và số thứ tự, "
    f"ví dụ: {EXAMPLE}. Bạn kiểm tra lại trên giấy hẹn và gửi lại nhé."
)
UNAVAILABLE = (
    "Xin lỗi, hệ thống tra cứu hồ sơ đang bận. Bạn vui lòng thử lại sau ít phút, "
    "hoặc gọi tổng đài {hotline} / liên hệ bộ phận một cửa nơi nộp hồ sơ."
)
DIGITS_FORMAT = "Bạn nhập đúng 4 chữ số cuối của số điện thoại đã đăng ký, ví dụ: 6789."
LOCKED = (
    "Bạn đã nhập sai quá nhiều lần. Để bảo vệ thông tin của người nộp, việc xem chi tiết hồ sơ này "
    "tạm khóa khoảng {minutes} phút; bạn vẫn xem được tình trạng hồ sơ. Nếu cần gấp, hãy liên hệ "
    "bộ phận một cửa nơi nộp hồ sơ."
)


def date_vn(value: Optional[dt.date]) -> str:
    return value.strftime("%d/%m/%Y") if value else "chưa có"


def not_found(code: str) -> str:
    return (
        f"Không tìm thấy hồ sơ mã {code}. Bạn kiểm tra lại: mã ghi trên giấy hẹn (đủ các số, đúng ngày "
        "tiếp nhận), hồ sơ nộp trực tuyến thì xem trong tài khoản Cổng dịch vụ công; hồ sơ vừa nộp có "
        "thể chưa được cập nhật. Nếu vẫn không thấy, hãy liên hệ bộ phận một cửa nơi nộp hồ sơ."
    )


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


def wrong_digits(attempts_left: int) -> str:
    return f"4 số cuối chưa khớp với số điện thoại đã đăng ký. Bạn còn {attempts_left} lần thử."
