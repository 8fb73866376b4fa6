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


def _no_data(procedure: Procedure, what: str) -> List[str]:
    return [title(procedure), f"Cơ sở dữ liệu chưa ghi {what} cho thủ tục này. {HELP_ELSEWHERE}"]


def fee_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    from procedures_kb.formatting import format_fee
    from procedures_kb.records import CHANNEL_LABELS

    rows = [m for m in procedure.methods if m.fee_raw or m.fee_amount is not None or m.fee_is_free is not None]
    if not rows:
        return fit(_no_data(procedure, "phí, lệ phí"))
    lines = [f"{title(procedure)} — phí, lệ phí:"]
    seen = set()
    for method in rows:
        line = f"- {CHANNEL_LABELS.get(method.channel, method.channel)}: {format_fee(method)}"
        if line not in seen:
            seen.add(line)
            lines.append(line)
    return fit(lines + _alternatives(hit) if hit else lines)


def time_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    from procedures_kb.formatting import format_time
    from procedures_kb.records import CHANNEL_LABELS

    rows = [m for m in procedure.methods if m.time_value is not None or m.time_raw]
    if not rows:
        return fit(_no_data(procedure, "thời hạn giải quyết"))
    lines = [f"{title(procedure)} — thời hạn giải quyết:"]
    for method in rows:
        lines.append(f"- {CHANNEL_LABELS.get(method.channel, method.channel)}: {format_time(method)}")
    if any(m.time_unit == "working_day" for m in rows):
        lines.append("Ngày làm việc không tính thứ Bảy, Chủ nhật và ngày nghỉ lễ, Tết.")
    return fit(lines)


def where_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    from procedures_kb.records import CHANNEL_LABELS

    lines = [f"{title(procedure)} — nơi nộp hồ sơ:"]
    place = procedure.receiving_address or procedure.implementing_agency or procedure.competent_agency
    if place:
        lines.append(place)
    elif procedure.levels:
        lines.append(f"Cơ quan thực hiện ở {', '.join(procedure.levels).lower()}.")
    else:
        return fit(_no_data(procedure, "nơi tiếp nhận hồ sơ"))
    channels = sorted({CHANNEL_LABELS.get(m.channel, m.channel) for m in procedure.methods})
    if channels:
        lines.append(f"Hình thức nộp: {', '.join(channels)}.")
    return fit(lines + (_alternatives(hit) if hit else []))


def steps_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    steps = [step.text for step in procedure.steps]
    if not steps:
        return fit(_no_data(procedure, "trình tự thực hiện"))
    lines = [f"{title(procedure)} — các bước thực hiện:"]
    lines.extend(f"{i}. {text}" for i, text in enumerate(steps, start=1))
    return fit(lines)


def online_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    from procedures_kb.formatting import format_fee, format_time

    online = [m for m in procedure.methods if m.channel == "online"]
    if online:
        method = online[0]
        return fit([
            f"{title(procedure)}: có thể nộp trực tuyến trên Cổng dịch vụ công quốc gia (dichvucong.gov.vn) "
            "hoặc cổng dịch vụ công của tỉnh, đăng nhập bằng tài khoản định danh điện tử (VNeID).",
            f"Thời hạn: {format_time(method)}; phí, lệ phí: {format_fee(method)}.",
        ])
    if not procedure.methods:
        return fit(_no_data(procedure, "cách thức nộp"))
    others = ", ".join(sorted({m.channel for m in procedure.methods}))
    labels = others.replace("in_person", "trực tiếp").replace("postal", "qua bưu chính")
    return fit([f"{title(procedure)}: cơ sở dữ liệu chưa ghi hình thức nộp trực tuyến; hồ sơ nộp {labels}."])


def form_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    forms = []
    for case in procedure.document_cases:
        for document in case.documents:
            if document.kind != "document":
                continue
            lowered = document.name.lower()
            if document.form_name or lowered.startswith(("tờ khai", "đơn", "phiếu", "mẫu", "giấy đề nghị", "văn bản đề nghị")):
                form = f" — mẫu: {document.form_name}" if document.form_name else ""
                forms.append(f"- {document.name}{form}")
    if not forms:
        return fit(_no_data(procedure, "mẫu đơn, tờ khai"))
    lines = [f"{title(procedure)} — mẫu đơn, tờ khai:"] + forms
    lines.append("Mẫu có sẵn tại nơi nộp hồ sơ và trên Cổng dịch vụ công quốc gia, trang của thủ tục này.")
    return fit(lines)


def requirements_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    lines = [f"{title(procedure)} — điều kiện thực hiện:"]
    if procedure.conditions_text:
        lines.append(procedure.conditions_text)
    else:
        lines.append("Cơ sở dữ liệu không ghi điều kiện riêng cho thủ tục này.")
    if procedure.target_groups:
        lines.append(f"Đối tượng thực hiện: {', '.join(procedure.target_groups)}.")
    return fit(lines)


def legal_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    if not procedure.legal_bases:
        return fit(_no_data(procedure, "căn cứ pháp lý"))
    lines = [f"{title(procedure)} — căn cứ pháp lý:"]
    for basis in procedure.legal_bases:
        text = " ".join(part for part in (basis.number, basis.title) if part)
        lines.append(f"- {text[:200]}")
    return fit(lines)


def result_answer(procedure: Procedure, hit: SearchHit = None) -> str:
    if not procedure.result_text:
        return fit(_no_data(procedure, "kết quả giải quyết"))
    return fit([f"{title(procedure)} — kết quả: {procedure.result_text}"])


RENDERERS = {
    "ask_procedure": overview_answer,
    "inform": overview_answer,
    "ask_documents": documents_answer,
    "ask_fee": fee_answer,
    "ask_processing_time": time_answer,
    "ask_where": where_answer,
    "ask_steps": steps_answer,
    "ask_online": online_answer,
    "ask_form": form_answer,
    "ask_requirements": requirements_answer,
    "ask_legal_basis": legal_answer,
    "ask_result": result_answer,
}
