"""Vietnam's provinces and centrally-run cities, as citizens name them in questions.

A place in a question ("tôi ở Lào Cai", "đăng ký tạm trú ở Hà Nội") says where,
not which procedure: `place_words` returns the folded words of the place names
a text contains, so that the catalogue decision can ignore a procedure that
shares only those words ("Lào" in "giấy thông hành biên giới Việt Nam – Lào").

Source of the names: the 63 provinces and cities of Vietnam before the 2025
merger (Resolution 202/2025/QH15 kept 34 of those names for the merged
provinces, so the list covers both), plus everyday names of the two largest
cities ("Sài Gòn", "TP HCM").
"""
from __future__ import annotations

from functools import lru_cache
from typing import FrozenSet, Set

from vietnamese.folding import fold

PROVINCES = (
    "An Giang", "Bà Rịa Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định",
    "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ", "Cao Bằng", "Đà Nẵng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu",
    "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ",
    "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La",
    "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Huế", "Tiền Giang",
    "Thành phố Hồ Chí Minh", "Hồ Chí Minh", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
    "Sài Gòn", "TP HCM", "HCM", "Hà Nội",
)


@lru_cache(maxsize=1)
def _phrases() -> FrozenSet[tuple]:
    return frozenset(tuple(fold(name).split()) for name in PROVINCES)


def place_words(text: str) -> Set[str]:
    """Folded words of the province and city names in `text` ("tôi ở Lào Cai" → {"lao", "cai"})."""
    words = fold(text or "").split()
    places = _phrases()
    longest = max(len(p) for p in places)
    found: Set[str] = set()
    for start in range(len(words)):
        for size in range(longest, 0, -1):
            phrase = tuple(words[start:start + size])
            if len(phrase) == size and phrase in places:
                found.update(phrase)
                break
    return found
