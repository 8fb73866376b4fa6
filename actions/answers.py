"""Vietnamese answer texts built from catalogue facts; every one names the code."""
from __future__ import annotations

from typing import List

from procedures_kb.formatting import document_lines, method_lines, title
from procedures_kb.models import Procedure
from procedures_kb.search import SearchHit

MAX_MESSAGE_CHARS = 2000
HELP_ELSEWHERE = (
    "Bạn có thể tra cứu thêm trên Cổng dịch vụ công quốc gia (dichvucong.gov.vn) "
    "hoặc hỏi bộ phận một cửa nơi nộp hồ sơ."
)


def fit(lines: List[str], limit: int = MAX_MESSAGE_CHARS) -> str:
    """Join lines, dropping from the end (with a note) to fit one chat bubble."""
    text = "\n".join(lines)
    if len(text) <= limit:
        return text
    kept: List[str] = []
    for line in lines:
        candidate = "\n".join(kept + [line])
        if len(candidate) > limit - 80:
            break
        kept.append(line)
    hidden = len(lines) - len(kept)
    kept.append(f"… còn {hidden} dòng nữa, bạn hỏi tiếp để xem chi tiết.")
    return "\n".join(kept)


def _alternatives(hit: SearchHit) -> List[str]:
    if not hit.alternatives:
        return []
    levels = ", ".join(
        f"{', '.join(v.levels) or 'cấp khác'} (mã {v.code})" for v in hit.alternatives[:3]
    )
    return [f"Thủ tục này còn được thực hiện ở: {levels}."]


def documents_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    lines = [f"{title(procedure)} — giấy tờ cần chuẩn bị:"]
    documents = document_lines(procedure)
    if documents:
        lines.extend(documents)
    else:
        lines.append("Cơ sở dữ liệu chưa ghi thành phần hồ sơ cho thủ tục này. " + HELP_ELSEWHERE)
    if hit is not None:
        lines.extend(_alternatives(hit))
    return fit(lines)


def overview_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    lines = [title(procedure)]
    if procedure.summary:
        lines.append(procedure.summary)
    if procedure.receiving_address:
        lines.append(f"Nơi nộp: {procedure.receiving_address}")
    elif procedure.levels:
        lines.append(f"Cấp thực hiện: {', '.join(procedure.levels)}")
    methods = method_lines(procedure)
    if methods:
        lines.append("Cách nộp, thời hạn và lệ phí:")
        lines.extend(methods)
    documents = document_lines(procedure, max_items=6)
    if documents:
        lines.append("Giấy tờ chính:")
        lines.extend(documents)
    if hit is not None:
        lines.extend(_alternatives(hit))
    return fit(lines)


def not_found_answer(hits: List[SearchHit]) -> str:
    lines = [
        "Xin lỗi, tôi chưa xác định được bạn hỏi thủ tục nào.",
        "Bạn hãy ghi rõ tên thủ tục, ví dụ: \"đăng ký khai sinh\", \"làm sổ đỏ lần đầu\", \"đăng ký tạm trú\".",
    ]
    if hits:
        lines.append("Có phải bạn muốn hỏi:")
        lines.extend(f"- {hit.name} (mã {hit.code})" for hit in hits[:3])
    return fit(lines)
