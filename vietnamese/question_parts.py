"""Which questions a message asks about a procedure, and whether it complains too.

"lam ho chieu can giay to gi, bao lau thi co" asks for the documents and the
time; "răng mà đăng ký kết hôn lâu rứa, nộp ở mô" asks where, and complains
that it takes long. The intent classifier gives one intent per message;
`aspects` finds every question a message asks, in the order it asks them, by
the phrases people use for each (standard, chat and Central/Southern forms,
compared folded), so that each gets its own answer. `complains` says whether
a message voices a complaint (lateness, an officer's attitude, "khiếu nại").
"""
from __future__ import annotations

from typing import Dict, List, Tuple

from vietnamese.folding import fold

# intent → phrases (folded) that ask it. Longest phrases first within one intent does not matter:
# each intent is found at the first position any of its phrases occurs.
ASPECT_PHRASES: Dict[str, Tuple[str, ...]] = {
    "ask_documents": ("giay to", "giay gi", "can gi", "can nhung gi", "mang theo", "chuan bi gi", "thanh phan ho so",
                      "ho so gom", "can j", "mang gi", "nop nhung gi", "can chi"),
    "ask_processing_time": ("bao lau", "may ngay", "bao nhieu ngay", "thoi han", "khi nao co", "bao gio co",
                            "bao gio xong", "lau khong", "lau ko", "lau rua", "lau the", "lau vay", "mat may ngay",
                            "thoi gian giai quyet"),
    "ask_fee": ("le phi", "bao nhieu tien", "chi phi", "mat phi", "ton bao nhieu", "phi bao nhieu", "het bao nhieu",
                "mien phi", "ton tien", "mat tien", "bao nhieu xu", "nhieu tien"),
    "ask_where": ("o dau", "nop o", "cho nao", "o mo", "dau vay", "co quan nao", "tham quyen", "lam o", "den dau"),
    "ask_online": ("online", "truc tuyen", "vneid", "dich vu cong", "qua mang", "tren mang"),
    "ask_form": ("mau don", "to khai", "mau to khai", "mau giay"),
    "ask_steps": ("cac buoc", "trinh tu", "quy trinh", "lam the nao", "lam sao", "lam ntn", "nhu the nao"),
    "ask_requirements": ("dieu kien", "doi tuong", "ai duoc"),
}
# Phrases that voice a complaint (folded).
COMPLAINT_PHRASES = (
    "khieu nai", "phan anh", "tre hen", "qua han", "lau qua", "lau rua", "lau the", "cham qua", "cham rua",
    "thai do", "buc xuc", "nhung nhieu", "gay kho", "hach dich", "khong hai long", "to cao", "di lai nhieu lan",
)
MAX_CHARS = 2000


def _folded(text: str) -> str:
    return " " + " ".join(fold((text or "")[:MAX_CHARS]).split()) + " "


def _first(folded: str, phrases: Tuple[str, ...]) -> int:
    positions = [position for p in phrases for position in [folded.find(f" {p} ")] if position >= 0]
    return min(positions) if positions else -1


def aspects(text: str) -> List[str]:
    """The answer intents a message asks, in the order it asks them ([] when none is recognised).

    "làm thủ tục như thế nào" alone is steps; next to another question it is
    only a manner of speaking and is left out.
    """
    folded = _folded(text)
    found = sorted((position, intent) for intent, phrases in ASPECT_PHRASES.items()
                   for position in [_first(folded, phrases)] if position >= 0)
    intents = [intent for _, intent in found]
    if len(intents) > 1 and "ask_steps" in intents:
        intents.remove("ask_steps")
    return intents


def complains(text: str) -> bool:
    """Whether a message voices a complaint (late, slow, an officer's attitude, "khiếu nại", ...)."""
    folded = _folded(text)
    return any(f" {phrase} " in folded for phrase in COMPLAINT_PHRASES)
