"""Plain-text Vietnamese rendering of catalogue facts (digests and records).

Fees are stated against a given day in Vietnam: a reduction that has ended is
dropped, a current one is stated with its end date and the amount due that
day, a rate the note limits to a past date is flagged, never shown as
current. Times always carry a unit or say why they cannot.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import List, Optional, Sequence, Tuple

from procedures_kb.digest import Digest, FeeAmount, FeeDigest, Reduction, TimeDigest, cut
from procedures_kb.models import Procedure
from procedures_kb.records import CHANNEL_LABELS, TIME_UNIT_LABELS

NO_UNIT_ADVICE = "hỏi bộ phận một cửa nơi nộp hồ sơ"
ENDED_RATE = "đã hết hạn"
FREE = "miễn phí"


def head(digest: Digest, code: str) -> str:
    """The first line of every answer: the short title and the national code."""
    return f"{digest.title} (mã {code})"


def date_vn(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")


def money(amount: int, currency: str = "VND") -> str:
    if currency == "VND":
        return f"{amount:,}".replace(",", ".") + " đồng"
    return f"{amount:,} {currency}".replace(",", ".")


def _amount_text(amount: FeeAmount) -> str:
    text = money(amount.amount, amount.currency)
    return f"{text}/{amount.per}" if amount.per else text


def _channels(channels: Sequence[str]) -> str:
    labels = [CHANNEL_LABELS.get(c, c) for c in dict.fromkeys(channels)]
    return ", ".join(labels[:1] + [label.lower() for label in labels[1:]])


_LEGAL_LABEL_RE = re.compile(r"\s*(?:đối với (?:các )?trường hợp )?(?:quy định tại|theo quy định tại)?\s*(?:điểm|khoản|Điều)\s+\d.*$", re.IGNORECASE)


def _plain_label(label: Optional[str]) -> Optional[str]:
    """A fee's label without its legal reference ("... quy định tại khoản 2 Điều 24 Luật Căn cước")."""
    if not label:
        return None
    text = _LEGAL_LABEL_RE.sub("", label).strip(" ,;:")
    return text if len(text) >= 4 else None


def _current(reduction: Reduction, today: dt.date) -> Optional[bool]:
    """True while it applies, False once ended or not yet begun, None when its end date is unreadable."""
    if reduction.end is None:
        return None
    if reduction.start and dt.date.fromisoformat(reduction.start) > today:
        return False
    return dt.date.fromisoformat(reduction.end) >= today


def _reduction_text(reduction: Reduction, bases: List[FeeAmount]) -> str:
    until = date_vn(reduction.end) if reduction.end else reduction.end_raw
    if reduction.amounts:
        due = "; ".join(_amount_text(a) for a in reduction.amounts[:3])
        return f"hiện đang áp dụng mức giảm đến hết ngày {until}: {due}"
    if reduction.percent is not None and bases:
        rate = f"{reduction.percent:g}".replace(".", ",")
        due = "; ".join(
            f"{money(int(Decimal(b.amount) * Decimal(str(reduction.percent)) / 100), b.currency)} thay vì {money(b.amount, b.currency)}"
            for b in bases[:3]
        )
        return f"hiện đang thu {rate}% mức lệ phí đến hết ngày {until}: {due}"
    return f"hiện đang áp dụng mức thu riêng đến hết ngày {until}: {cut(reduction.text, 160)}"


# A note saying who is exempt ("Miễn lệ phí đối với trường hợp đăng ký khai tử đúng hạn"): said beside a regulation.
_EXEMPT_RE = re.compile(r"\bmiễn\b", re.IGNORECASE)
_COPY_RE = re.compile(r"\bbản sao\b", re.IGNORECASE)
_SENTENCE_RE = re.compile(r"(?<=[.])\s+|\s+(?=Phí cấp bản sao)")


def fee_text(fee: FeeDigest, today: dt.date, title: str = "") -> str:
    """One channel's fee as a citizen should read it on `today` (a date in Vietnam); labels that only
    repeat the procedure's `title` are left out."""
    parts: List[str] = []
    current_bases = [a for a in fee.amounts if not (a.until and dt.date.fromisoformat(a.until) < today)]
    if fee.kind == "amount":
        stated = []
        for amount in fee.amounts:
            text = _amount_text(amount)
            label = _plain_label(amount.label)
            if label and title and label.lower() in title.lower():
                label = None
            if label and len(fee.amounts) > 1:
                label = label if not stated else label[:1].lower() + label[1:]
                text = f"{label}: {text}"
            elif label and not label.lower().startswith(("lệ phí", "phí", "mức")):
                text = f"{text} ({label})"
            if amount.until and dt.date.fromisoformat(amount.until) < today:
                text = (f"cổng quốc gia ghi {text}, nhưng ghi chú cho biết mức này chỉ áp dụng đến hết ngày "
                        f"{date_vn(amount.until)} ({ENDED_RATE}); mức hiện hành bạn {NO_UNIT_ADVICE}")
            elif amount.until:
                text = f"{text} (áp dụng đến hết ngày {date_vn(amount.until)})"
            stated.append(text)
        parts.append("; ".join(stated) if stated else "có thu phí, lệ phí")
    elif fee.kind == "free":
        parts.append(FREE)
    elif fee.kind == "regulation":
        parts.append(f"thu theo {fee.regulation or 'quy định'}; cổng quốc gia không ghi số tiền cụ thể, "
                     f"bạn {NO_UNIT_ADVICE} hoặc xem trang thủ tục")
    else:
        parts.append("cổng quốc gia chưa ghi mức phí, lệ phí")
    for reduction in fee.reductions:
        state = _current(reduction, today)
        if state:
            parts.append(_reduction_text(reduction, current_bases))
        elif state is None:
            parts.append(f"ghi chú nêu một mức thu áp dụng “{reduction.end_raw}” nhưng không rõ ngày hết hạn, "
                         f"bạn {NO_UNIT_ADVICE} để chắc chắn")
    if fee.note and fee.kind in ("free", "unknown", "amount"):
        parts.append(f"ghi chú: {cut(fee.note, 160).rstrip('.')}")
    elif fee.note and fee.kind == "regulation":  # who is exempt, beside the regulation already named
        exempt = [s.strip() for s in _SENTENCE_RE.split(fee.note) if _EXEMPT_RE.search(s) and not _COPY_RE.search(s)]
        if exempt:
            said = cut(". ".join(exempt), 200).rstrip(".")
            parts.append(said[:1].lower() + said[1:])
    for doubt in fee.doubts:
        if "ngày hết hạn" not in doubt:  # said above with the reduction
            parts.append(f"{doubt}; bạn {NO_UNIT_ADVICE}")
    return "; ".join(parts)


def _grouped(rows: Sequence[Tuple[str, str]]) -> List[Tuple[List[str], str]]:
    """(channel, text) rows → [(channels, text)]: channels that read the same together, in first-seen order."""
    grouped: List[Tuple[List[str], str]] = []
    for channel, text in rows:
        for channels, seen in grouped:
            if seen == text:
                channels.append(channel)
                break
        else:
            grouped.append(([channel], text))
    return grouped


def fee_lines(digest: Digest, today: dt.date) -> List[str]:
    """'- Trực tuyến, dịch vụ bưu chính: …' lines, channels with the same fee together, each note once."""
    grouped = _grouped([(fee.channel, fee_text(fee, today, digest.title)) for fee in digest.fees])
    if len(grouped) == 1 and len(grouped[0][0]) > 1:
        return [f"- Mọi hình thức nộp ({_channels(grouped[0][0]).lower()}): {grouped[0][1]}"]
    current = [
        (fee.channel, _amount_text(fee.amounts[0])) for fee in digest.fees
        if fee.kind == "amount" and fee.amounts and not (fee.amounts[0].until and dt.date.fromisoformat(fee.amounts[0].until) < today)
    ]
    lines = []
    for channels, text in grouped:
        others = [(c, a) for c, a in current if c not in channels]
        if ENDED_RATE in text and others:  # the record's own current rate on another channel
            text += f" (hình thức {CHANNEL_LABELS.get(others[0][0], others[0][0]).lower()} đang ghi {others[0][1]})"
        elif text.startswith(FREE) and others:  # "Miễn phí" on one row while the others charge: say it, do not assert it
            text = (f"cổng quốc gia ghi “Miễn phí” cho hình thức này, nhưng hình thức "
                    f"{CHANNEL_LABELS.get(others[0][0], others[0][0]).lower()} thu {others[0][1]}; bạn {NO_UNIT_ADVICE} để chắc chắn")
        lines.append(f"- {_channels(channels)}: {text}{_depends(channels, grouped)}")
    return lines


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def time_text(time: TimeDigest) -> str:
    """One channel's processing time with its unit, or why there is none."""
    if time.source in ("cell", "record") and time.value is not None and time.unit:
        text = f"{_number(time.value)} {TIME_UNIT_LABELS.get(time.unit, time.unit)}"
        return text + (" (theo nội dung thủ tục trên cổng quốc gia)" if time.source == "record" else "")
    if time.source == "same_day":
        rule = f" ({time.rule})" if time.rule else ""
        return f"trong ngày{rule}"
    if time.source == "no_unit" and time.value is not None:
        return (f"cổng quốc gia ghi “{_number(time.value)}” nhưng không ghi đơn vị (ngày hay ngày làm việc); "
                f"bạn {NO_UNIT_ADVICE} để biết chính xác")
    if time.raw:
        return cut(time.raw, 160)
    return f"cổng quốc gia chưa ghi thời hạn; bạn {NO_UNIT_ADVICE}"


def time_lines(digest: Digest) -> List[str]:
    """'- Trực tuyến: 5 ngày làm việc' lines, channels with the same time together."""
    grouped = _grouped([(time.channel, time_text(time)) for time in digest.times])
    if len(grouped) == 1 and len(grouped[0][0]) > 1:
        return [f"- Mọi hình thức nộp: {grouped[0][1]}"]
    return [f"- {_channels(channels)}: {text}{_depends(channels, grouped)}" for channels, text in grouped]


def _depends(channels: List[str], grouped: List[Tuple[List[str], str]]) -> str:
    """A channel the record lists twice with different values: the values depend on the case."""
    elsewhere = [c for other, _ in grouped if other is not channels for c in other]
    return " (tùy trường hợp, xem trang thủ tục)" if set(channels) & set(elsewhere) else ""


# --- the operator's full view (python -m procedures_kb show) -----------------------------------


def format_procedure(procedure: Procedure, today: Optional[dt.date] = None) -> str:
    """Every fact of a procedure, for operators (the command line's `show`)."""
    from procedures_kb import digest as digests

    digest = digests.of(procedure)
    today = today or dt.date.today()
    out = [head(digest, procedure.code), f"Tên chính thức: {procedure.name}"]
    if procedure.levels:
        out.append(f"Cấp thực hiện: {', '.join(procedure.levels)}")
    if procedure.field:
        out.append(f"Lĩnh vực: {procedure.field}")
    if procedure.summary:
        out.append(procedure.summary)
    if procedure.aliases:
        out.append("Tên thường gọi: " + "; ".join(a.text for a in procedure.aliases))
    if procedure.receiving_address:
        out.append(f"Nơi nộp: {procedure.receiving_address}")
    if digest.fees:
        out.append("Phí, lệ phí:")
        out.extend(fee_lines(digest, today))
    if digest.times:
        out.append("Thời hạn:")
        out.extend(time_lines(digest))
    for number, case in enumerate(digest.cases, start=1):
        out.append(f"Giấy tờ — {case.title or 'trường hợp ' + str(number)}:")
        out.extend(f"- {item.name} ({item.count})" for item in case.essentials)
        out.extend(f"- [{item.condition}] {item.name} ({item.count})" for item in case.conditional)
        out.extend(f"- [xuất trình] {item.name}" for item in case.present)
    if procedure.conditions_text:
        out.append(f"Điều kiện: {cut(procedure.conditions_text, 600)}")
    if procedure.result_text:
        out.append(f"Kết quả: {procedure.result_text}")
    if procedure.legal_bases:
        out.append("Căn cứ pháp lý:")
        out.extend(f"- {lb.number or ''} {cut(lb.title or '', 160)}".rstrip() for lb in procedure.legal_bases)
    if procedure.source_url:
        out.append(f"Nguồn: {procedure.source_url}")
    return "\n".join(out)
