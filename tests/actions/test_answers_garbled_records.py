"""Records with empty or garbled cells are answered with what they say, a doubt flagged, never a made-up value.

The records are generated in the national portal's flattened shape (tests/procedures_kb/helpers.py).
"""
import pytest

from actions import answers
from procedures_kb.importer import import_path
from procedures_kb.service import ProcedureService
from tests.procedures_kb.helpers import HEADER, national_record, write_jsonl

GARBLED = [
    national_record("9.000101", "Thủ tục không có cách thức", cach_thuc_thuc_hien="Không có thông tin",
                    thanh_phan_ho_so="Không có thông tin", trinh_tu_thuc_hien="Không có thông tin"),
    national_record("9.000102", "Thủ tục thời hạn không đơn vị", cach_thuc_thuc_hien=HEADER + "Trực tiếp7Miễn phí"),
    national_record("9.000103", "Thủ tục phí lộn xộn",
                    cach_thuc_thuc_hien=HEADER + "Trực tiếp2 Ngày làm việcMiễn phí(- Lệ phí: 50.000 đồng/lần; 30.000 đồng/lần "
                    "đối với hộ nghèo. - Từ ngày 01/01/2024 đến hết ngày 31/12/2024 thu 20.000 đồng/lần. - Giảm 50% "
                    "đến hết ngày 31/02/2027.)"),
    national_record("9.000104", "Thủ tục ô trống", cach_thuc_thuc_hien=HEADER + "Trực tuyếnKhông có thông tinKhông có thông tin",
                    thanh_phan_ho_so="Tên giấy tờMẫu đơn, tờ khaiSố lượng0 bản chính"),
    national_record("9.000105", "Thủ tục rác \x00\u200b", cach_thuc_thuc_hien=HEADER + "Trực tiếp((((((1",
                    thanh_phan_ho_so="* Giấy tờ:" + "x" * 3000 + "1 bản chính"),
]


@pytest.fixture
def service(engine, tmp_path):
    from storage.engine import make_session_factory

    with make_session_factory(engine)() as session:
        import_path(session, write_jsonl(tmp_path / "garbled.jsonl", GARBLED))
    return ProcedureService(engine)


@pytest.mark.parametrize("code", [r["ma_thu_tuc"] for r in GARBLED])
def test_every_question_about_a_garbled_record_gets_a_bounded_answer(service, code):
    procedure = service.get(code)
    for intent in answers.RENDERERS:
        reply = answers.render(intent, procedure)
        assert f"(mã {code})" in reply.text and 0 < len(reply.text) <= answers.MAX_MESSAGE_CHARS


def test_missing_cells_say_so(service):
    procedure = service.get("9.000101")
    assert "chưa ghi phí, lệ phí" in answers.fee_answer(procedure)
    assert "chưa ghi thời hạn" in answers.time_answer(procedure)
    assert "chưa ghi thành phần hồ sơ" in answers.documents_answer(procedure)
    empty = service.get("9.000104")
    assert "chưa ghi mức phí" in answers.fee_answer(empty) and "thời hạn" in answers.time_answer(empty)


def test_a_unitless_time_is_not_given_a_unit(service):
    text = answers.time_answer(service.get("9.000102"))
    assert "“7” nhưng không ghi đơn vị" in text and "dự kiến có kết quả" not in text


def test_several_amounts_and_dates_in_one_note(service, monkeypatch):
    import datetime as dt

    monkeypatch.setattr(answers, "today_in_vietnam", lambda: dt.date(2026, 12, 1))
    text = answers.fee_answer(service.get("9.000103"))
    assert "50.000 đồng/lần" in text and "30.000 đồng/lần" in text  # both rates the note states
    assert "20.000" not in text  # the 2024 rate has ended
    assert "không rõ ngày hết hạn" in text  # "31/02/2027" is no date: said, not guessed
    assert "miễn phí" not in text.lower()
