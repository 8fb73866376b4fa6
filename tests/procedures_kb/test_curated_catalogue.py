"""The curated catalogue shipped with the project is complete and consistent."""
import gzip
import json
from collections import Counter

import pytest

from procedures_kb.importer import read_curated
from tests.conftest import CURATED_DIR, NATIONAL_CATALOGUE
from vietnamese.folding import fold, nfc

RECORDS = read_curated(CURATED_DIR)


def test_at_least_sixty_procedures_with_everyday_names():
    assert len(RECORDS) >= 60
    for record in RECORDS:
        assert len(record.aliases) >= 3, record.code
        assert record.methods, record.code
        assert any(d.kind == "document" for c in record.cases for d in c.documents), record.code
        assert record.summary and record.legal_bases, record.code


def test_fields_people_ask_about_are_covered():
    fields = Counter(record.field for record in RECORDS)
    for field in ["Hộ tịch", "Chứng thực", "Đăng ký, quản lý cư trú", "Cấp, quản lý căn cước", "Đất đai", "Thuế"]:
        assert fields[field] >= 2, field


def test_every_entry_has_an_everyday_title_of_its_own():
    titles = {record.code: record.short_title for record in RECORDS}
    assert [code for code, title in titles.items() if not title] == []
    assert {code: title for code, title in titles.items() if len(title) > 80} == {}
    owners = Counter(fold(title) for title in titles.values())
    assert [title for title in titles.values() if owners[fold(title)] > 1] == []


def test_everyday_names_are_unique_across_procedures():
    owners = {}
    for record in RECORDS:
        for alias in record.aliases:
            key = fold(alias)
            assert owners.setdefault(key, record.code) == record.code, f"{alias!r} in {owners[key]} and {record.code}"


@pytest.mark.national
def test_codes_exist_in_the_national_catalogue_with_the_same_levels():
    national = {}
    with gzip.open(NATIONAL_CATALOGUE, "rt", encoding="utf-8") as handle:
        for line in handle:
            raw = json.loads(line)
            national[raw["ma_thu_tuc"]] = raw
    for record in RECORDS:
        assert record.code in national, record.code
        levels = [part.strip() for part in national[record.code]["cap_thuc_hien"].split(",")]
        assert record.levels == levels, record.code
        assert nfc(national[record.code]["linh_vuc"]) == record.field, record.code
