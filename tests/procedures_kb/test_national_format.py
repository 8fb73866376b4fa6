"""The national portal's flattened tables are recovered into rows."""
from decimal import Decimal

import pytest

from procedures_kb import national_format as nf
from procedures_kb.national_format import (
    parse_documents,
    parse_legal_bases,
    parse_methods,
    parse_record,
    parse_result,
)
from procedures_kb.records import RecordError

HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
DOCS = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"


@pytest.mark.parametrize(
    "cell, channel, value, unit, amount, currency, free",
    [
        ("Trực tuyến7 Ngày làm việc10,000 Việt Nam Đồng", "online", "7", "working_day", "10000", "VND", False),
        ("Trực tiếp30 NgàyMiễn phí", "in_person", "30", "day", "0", None, True),
        ("Dịch vụ bưu chính4 Giờ8,000 VNĐ", "postal", "4", "hour", "8000", "VND", False),
        ("Trực tiếp1Miễn phí", "in_person", "1", None, "0", None, True),
        ("Trực tuyến120,000 VNĐ", "online", "1", None, "20000", "VND", False),
        ("Trực tiếpKhông có thông tin10 USD", "in_person", None, None, "10", "USD", False),
        ("Trực tuyến3 ThángKhông có thông tin", "online", "3", "month", None, None, None),
    ],
)
def test_method_cells(cell, channel, value, unit, amount, currency, free):
    (method,) = parse_methods(HEADER + cell)
    assert method.channel == channel
    assert method.time_value == (Decimal(value) if value else None)
    assert method.time_unit == unit
    assert method.fee_amount == (Decimal(amount) if amount is not None else None)
    assert method.fee_currency == currency
    assert method.fee_is_free is free


def test_several_channels_with_fee_notes_and_description():
    text = (
        HEADER
        + "Trực tuyến5 Ngày làm việc50,000 Việt Nam Đồng(Giảm 50% đến hết ngày 31/12/2026)Nộp qua cổng"
        + "Trực tiếp5 Ngày làm việc100,000 Việt Nam Đồng(Miễn cho hộ nghèo)"
    )
    online, in_person = parse_methods(text)
    assert online.fee_note == "Giảm 50% đến hết ngày 31/12/2026"
    assert online.description == "Nộp qua cổng"
    assert in_person.fee_amount == Decimal(100000)
    assert in_person.fee_note == "Miễn cho hộ nghèo"
    assert "Miễn cho hộ nghèo" in in_person.fee_raw


def test_methods_empty_or_missing():
    assert parse_methods("") == []
    assert parse_methods(None) == []
    assert parse_methods("Không có thông tin") == []


def test_documents_grouped_by_case_with_notes_forms_and_copies():
    text = (
        "* Giấy tờ phải nộp:" + DOCS
        + "- Tờ khai theo mẫu;Mau01.docx1 bản chính"
        + "Ghi chú: nộp bản điện tử thì không nộp bản giấy.0 bản chính"
        + "- Bản sao sổ hộ khẩu0 bản chính,2 bản sao"
        + "* Giấy tờ phải xuất trình:" + DOCS
        + "Thẻ căn cước1 bản chính"
    )
    submit, show = parse_documents(text)
    assert submit.title == "Giấy tờ phải nộp"
    form, note, copy = submit.documents
    assert (form.name, form.form_name, form.originals, form.kind) == ("Tờ khai theo mẫu;", "Mau01.docx", 1, "document")
    assert note.kind == "note" and note.originals == 0
    assert (copy.originals, copy.copies, copy.kind) == (0, 2, "document")
    assert show.title == "Giấy tờ phải xuất trình"
    assert [d.name for d in show.documents] == ["Thẻ căn cước"]


def test_form_number_glued_to_count_is_given_back_to_the_name():
    (case,) = parse_documents("--" + DOCS + "Đơn đăng ký biến động theo Mẫu số 181 bản chính")
    (document,) = case.documents
    assert document.originals == 1
    assert document.name.endswith("Mẫu số 18")


def test_a_name_that_opens_with_a_quantity_keeps_it():
    (case,) = parse_documents(
        "--" + DOCS + "01 bản sao giấy khai sinh của người chưa đủ 14 tuổi0 bản chính,1 bản sao"
        "Tờ khai đề nghị cấp giấy thông hành1 bản chính"
    )
    first, second = case.documents
    assert first.name == "01 bản sao giấy khai sinh của người chưa đủ 14 tuổi"
    assert (first.originals, first.copies) == (0, 1)
    assert (second.name, second.originals) == ("Tờ khai đề nghị cấp giấy thông hành", 1)


def test_documents_without_table():
    assert parse_documents("") == []
    assert parse_documents("Không có thông tin") == []


def test_legal_bases_split_on_flattened_numbers():
    text = (
        "Tên văn bản pháp lýMã văn bản"
        "Luật Hộ tịch60/2014/QH13"
        "Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 quy định chi tiết123/2015/NĐ-CP"
        "Thông tư hướng dẫn04/2020/TT-BTP"
    )
    bases = parse_legal_bases(text)
    assert [b.number for b in bases] == ["60/2014/QH13", "123/2015/NĐ-CP", "04/2020/TT-BTP"]
    assert bases[0].title == "Luật Hộ tịch"
    assert bases[1].title.startswith("Nghị định số 123/2015/NĐ-CP ngày")


def test_result_drops_page_furniture():
    assert parse_result("Giấy khai sinhMã: KQ.G15.000031Từ khóaKhông có thông tin") == "Giấy khai sinh"


def _record(**changes):
    record = {"ma_thu_tuc": "9.000001", "ten_thu_tuc": "Thủ tục thử", "cap_thuc_hien": "Cấp xã, Cấp tỉnh"}
    record.update(changes)
    return record


def test_record_levels_and_nfc():
    decomposed = "Thu\u0309 tu\u0323c thư\u0309"
    record = parse_record(_record(ten_thu_tuc=decomposed), "dòng 1")
    assert record.levels == ["Cấp xã", "Cấp tỉnh"]
    assert record.name == "Thủ tục thử"


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"ten_thu_tuc": "x"}, "thiếu trường bắt buộc ma_thu_tuc"),
        (_record(ma_thu_tuc="abc"), "mã thủ tục không hợp lệ"),
        (_record(ma_thu_tuc="1.0011'; DROP TABLE procedures;--"), "mã thủ tục không hợp lệ"),
        (_record(ten_thu_tuc=5), "phải là chuỗi"),
        ([1, 2], "không phải đối tượng JSON"),
    ],
)
def test_bad_records_are_named(raw, message):
    with pytest.raises(RecordError) as info:
        parse_record(raw, "dòng 7")
    assert "dòng 7" in str(info.value)
    assert message in str(info.value)


@pytest.mark.parametrize(
    "entry, name, form",
    [
        ("Tờ khai theo mẫu;Mau01.docx", "Tờ khai theo mẫu;", "Mau01.docx"),
        ("Đơn theo Mẫu số 01 của Nghị định số 258/2025/NĐ-CPMẫu số 01.docx", "Đơn theo Mẫu số 01 của Nghị định số 258/2025/NĐ-CP", "Mẫu số 01.docx"),
        ("Tờ khai (Mẫu CT01 kèm Thông tư 53/2025/TT-BCA).1.MuCT01.docx", "Tờ khai (Mẫu CT01 kèm Thông tư 53/2025/TT-BCA)", "1.MuCT01.docx"),
        ("Bản đề nghị của người dânMẫu đơn 02.pdf", "Bản đề nghị của người dân", "Mẫu đơn 02.pdf"),
        ("Giấy chứng sinh", "Giấy chứng sinh", None),
    ],
)
def test_form_file_is_split_from_the_document_name(entry, name, form):
    (case,) = parse_documents("--" + DOCS + entry + "1 bản chính")
    (document,) = case.documents
    assert (document.name, document.form_name) == (name, form)


def test_a_fee_note_that_opens_with_an_enumerator_is_read_whole():
    cell = (HEADER + "Trực tuyến5 Ngày làm việcMiễn phí(a) Tại cảng quốc tế: - Cấp lại: 30.000.000 đồng;  "
            "b) Tại cảng khác: - Cấp lại: 20.000.000 đồng.)- Trong thời hạn 05 ngày làm việc.")
    (row,) = nf.parse_methods(cell)
    assert "30.000.000 đồng" in row.fee_note and "20.000.000 đồng" in row.fee_note
    assert row.description.startswith("- Trong thời hạn")


def test_control_characters_never_reach_the_database():
    assert nf.clean("Tờ\x00 khai\u200b") == "Tờ khai"
    assert nf.parse_steps("Bước 1:\x00 nộp") == ["Bước 1: nộp"]
