"""The answer-quality measures of bench/answers_bench.py catch what they claim, on hand-written records."""
import datetime as dt

import pytest

from tests.actions import answer_metrics as metrics

METHODS_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
TODAY = dt.date(2026, 3, 1)


def record(methods: str = "", documents: str = "") -> dict:
    """A raw record in the national portal's flattened layout (invented procedure)."""
    return {"ma_thu_tuc": "9.000001", "cach_thuc_thuc_hien": METHODS_HEADER + methods, "thanh_phan_ho_so": documents}


def documents(*entries: str) -> str:
    return "--" + metrics.DOCUMENTS_HEADER + "".join(entries)


# --- the raw record -----------------------------------------------------------------------
def test_rows_start_at_a_channel_followed_by_its_time_not_at_a_channel_named_in_a_note():
    raw = record(
        "Trực tuyến3 Ngày làm việcMiễn phí(áp dụng khi nộp trực tuyến)Trực tuyến: nộp qua cổng"
        "Dịch vụ bưu chínhKhông có thông tinKhông có thông tinTrực tiếp2Miễn phí"
    )
    rows = metrics.method_rows(raw)
    assert [row.channel for row in rows] == ["online", "postal", "in_person"]
    assert [row.time_without_unit for row in rows] == [False, False, True]


@pytest.mark.parametrize(
    "methods, amounts",
    [
        ("Trực tiếp5 Ngày làm việc45,000 Việt Nam Đồng", [45000]),
        ("Trực tiếp5 NgàyMiễn phí(Lệ phí cấp thẻ hội viên: 135.000 đồng/lần.)", [135000]),
        ("Trực tiếp5 NgàyMiễn phí(mức thu 60.000đ/bộ hồ sơ; 8,000 VNĐ/trang)", [60000, 8000]),
        ("Trực tiếp5 NgàyMiễn phí(theo Thông tư số 12/2024/TT-BTC, khổ giấy 5.700 kg)", []),
        ("Trực tiếp5 Ngày0 Việt Nam Đồng", []),
    ],
)
def test_vnd_amounts_of_a_row_need_a_currency_and_are_above_zero(methods, amounts):
    (row,) = metrics.method_rows(record(methods))
    assert row.amounts == amounts


def test_documents_with_count_zero_are_notes_not_documents():
    raw = record(documents=documents(
        "Ảnh 4x6 cm chụp gần đây1 bản chính",
        "Tờ khai đề nghị cấp thẻ (nộp bản điện tử thì không cần bản giấy)0 bản chính",
    ))
    assert list(metrics.document_names(raw)) == ["Ảnh 4x6 cm chụp gần đây"]
    assert not metrics.has_application_form(raw)


@pytest.mark.parametrize(
    "name, is_form",
    [
        ("Tờ khai đăng ký thẻ thư viện (mẫu TV01)", True),
        ("- Đơn đề nghị cấp lại giấy xác nhận", True),
        ("(1) Văn bản đề nghị của cơ sở", True),
        ("a) Giấy đề nghị cấp phép theo mẫu", True),
        ("+ 01 phiếu đề nghị cấp thẻ", True),
        ("Mẫu số 02: bản khai thông tin", True),
        ("Đề nghị đổi giấy phép theo mẫu tại Phụ lục I", True),
        ("Đơn vị chủ quản xác nhận", False),
        ("Bản sao giấy khai sinh", False),
        ("Phiếu thu lệ phí", False),
        ("Mẫu nhãn sản phẩm", False),
    ],
)
def test_application_forms_are_named_by_their_first_words(name, is_form):
    assert metrics.is_application_form(name) is is_form


# --- a) the form first --------------------------------------------------------------------
@pytest.mark.parametrize(
    "answer, first",
    [
        ("Thẻ thư viện (mã 9.000001) — giấy tờ:\n- Tờ khai đăng ký thẻ (1 bản chính)\n- Ảnh 4x6", True),
        ("Thẻ thư viện (mã 9.000001):\n1. Đơn đề nghị cấp thẻ\n2. Ảnh 4x6", True),
        ("Thẻ thư viện (mã 9.000001) — giấy tờ:\n- Ảnh 4x6 (1 bản chính)\n- Tờ khai đăng ký thẻ", False),
        ("Trường hợp 1/2: cấp lần đầu\n- Bản sao giấy khai sinh\n- Đơn đề nghị", False),
        ("Cơ sở dữ liệu chưa ghi thành phần hồ sơ.", False),
    ],
)
def test_the_first_listed_document_is_checked(answer, first):
    assert metrics.lists_form_first(answer) is first


# --- b) "miễn phí" where the record states a fee ------------------------------------------
NOTE_FEE = record("Trực tuyến5 Ngày làm việcMiễn phí(- Lệ phí cấp thẻ hội viên: 135.000 đồng/lần.)")
ONLINE_FREE = record("Trực tuyến5 Ngày làm việcMiễn phíTrực tiếp5 Ngày làm việc20,000 Việt Nam Đồng")


@pytest.mark.parametrize(
    "raw, answer, flagged",
    [
        (NOTE_FEE, "Thẻ hội viên (mã 9.000001) — phí, lệ phí:\n- Trực tuyến: miễn phí (- Lệ phí cấp thẻ hội viên: 135.000 đồng/lần.)", True),
        (NOTE_FEE, "Thẻ hội viên (mã 9.000001) — phí, lệ phí:\nMiễn phí.", True),
        (NOTE_FEE, "Thẻ hội viên (mã 9.000001) — lệ phí: 135.000 đồng/lần.", False),
        (NOTE_FEE, "Lệ phí: 135.000 đồng/lần; miễn phí đối với trẻ em dưới 6 tuổi.", False),
        (NOTE_FEE, "- Trực tuyến: 135.000 đồng/lần; ghi chú: Miễn lệ phí cho hội viên cũ được cấp lại thẻ", False),  # an exemption after the fee
        (NOTE_FEE, "- Trực tuyến: miễn phí; ghi chú: lệ phí cấp thẻ hội viên 135.000 đồng/lần", True),
        (ONLINE_FREE, "- Trực tuyến: miễn phí\n- Trực tiếp: 20.000 đồng", False),
        (ONLINE_FREE, "- Trực tiếp: miễn phí", True),
        (record("Trực tuyến5 NgàyMiễn phí(theo Thông tư số 12/2024/TT-BTC)"), "- Trực tuyến: miễn phí", False),
    ],
)
def test_free_is_flagged_only_for_a_channel_whose_record_states_an_amount(raw, answer, flagged):
    assert metrics.says_free_despite_fee(raw, answer) is flagged


# --- c) a time without a unit -------------------------------------------------------------
NO_UNIT = record("Trực tuyến1Miễn phíTrực tiếp1Miễn phí")
WITH_UNIT = record("Trực tiếp7 Ngày làm việcMiễn phí")


@pytest.mark.parametrize(
    "raw, answer, flagged",
    [
        (NO_UNIT, "Khai sinh (mã 9.000001) — thời hạn:\n- Trực tuyến: 1 (cổng quốc gia không ghi đơn vị)", True),
        (NO_UNIT, "Khai sinh (mã 9.000001) — thời hạn:\n- Trực tuyến: 1\n- Trực tiếp: 1", True),
        (NO_UNIT, "Khai sinh (mã 9.000001) — thời hạn:\n- Trực tuyến: 1 ngày làm việc\n- Trực tiếp: 1 ngày làm việc", False),
        (NO_UNIT, "Khai sinh (mã 9.000001): có kết quả trong ngày; nộp sau 15 giờ thì trả vào ngày làm việc tiếp theo.", False),
        (NO_UNIT, "Thời hạn: 1 (cổng quốc gia không ghi đơn vị); bạn hỏi bộ phận một cửa nơi nộp hồ sơ.", False),
        (NO_UNIT, "Khai sinh (mã 9.000001): chưa có thông tin về thời hạn.", True),
        (WITH_UNIT, "Thẻ (mã 9.000001) — thời hạn:\n- Trực tiếp: 7 ngày làm việc (nộp hôm nay thì dự kiến có kết quả ngày 10/03/2026)", False),
        (WITH_UNIT, "- Trực tiếp: 7 (cổng quốc gia không ghi đơn vị)", True),
    ],
)
def test_a_time_needs_a_unit_or_an_explanation(raw, answer, flagged):
    assert metrics.time_without_unit(raw, answer) is flagged


# --- d) an expired reduction shown as current ---------------------------------------------
REDUCED = record(
    "Trực tuyến5 Ngày làm việc80,000 Việt Nam Đồng(Lệ phí cấp thẻ: 80.000 đồng/thẻ. - Nộp trực tuyến: "
    "Kể từ ngày 01/01/2022 đến hết ngày 31/12/2023, áp dụng mức thu 40.000 đồng/thẻ.)"
)
EXEMPTED = record("Trực tuyến5 Ngày làm việc5,000,000 VNĐ(đồng/lần (Miễn phí từ ngày 01/3/2024 đến 30/6/2024 theo Thông tư số 99/2024/TT-BTC))")


def test_an_ended_reduction_is_read_with_its_reduced_rate():
    (reduction,) = metrics.expired_reductions(REDUCED, TODAY)
    assert (reduction.channel, reduction.ends, reduction.amounts, reduction.exemption) == (
        "online", dt.date(2023, 12, 31), {40000}, False
    )
    (exemption,) = metrics.expired_reductions(EXEMPTED, TODAY)
    assert (exemption.ends, exemption.amounts, exemption.exemption) == (dt.date(2024, 6, 30), set(), True)


@pytest.mark.parametrize(
    "raw, answer, today, flagged",
    [
        (REDUCED, "- Trực tuyến: 80.000 đồng (… đến hết ngày 31/12/2023, áp dụng mức thu 40.000 đồng/thẻ.)", TODAY, True),
        (REDUCED, "- Trực tuyến: 40.000 đồng/thẻ", TODAY, True),
        (REDUCED, "- Trực tuyến: 80.000 đồng/thẻ", TODAY, False),
        (REDUCED, "- Trực tuyến: 80.000 đồng/thẻ (mức 40.000 đồng đến hết 31/12/2023 đã hết hạn)", TODAY, False),
        (REDUCED, "- Trực tuyến: 40.000 đồng/thẻ đến hết ngày 31/12/2023", dt.date(2023, 6, 1), False),
        (EXEMPTED, "- Trực tuyến: miễn phí", TODAY, True),
        (EXEMPTED, "- Trực tuyến: 5.000.000 đồng/lần", TODAY, False),
        (EXEMPTED, "- Trực tuyến: 5.000.000 đồng/lần (miễn phí từ ngày 01/03/2024 đến 30/06/2024)", TODAY, True),
    ],
)
def test_an_ended_reduction_shown_without_saying_so_is_flagged(raw, answer, today, flagged):
    assert metrics.expired_reduction_shown(raw, answer, today) is flagged


def test_a_malformed_end_date_is_not_read_as_an_end():
    raw = record("Trực tuyến5 Ngày40,000 Việt Nam Đồng(áp dụng đến hết ngày 31/13/2023: 20.000 đồng)")
    assert metrics.expired_reductions(raw, TODAY) == []
    assert not metrics.expired_reduction_shown(raw, "- Trực tuyến: 20.000 đồng (đến hết ngày 31/13/2023)", TODAY)


def test_an_end_date_written_in_words_is_read():
    raw = record("Trực tuyến5 Ngày40,000 Việt Nam Đồng(Kể từ ngày 01 tháng 7 năm 2024 đến hết ngày 31 tháng 12 năm 2025 mức thu 20.000 đồng)")
    (reduction,) = metrics.expired_reductions(raw, TODAY)
    assert reduction.ends == dt.date(2025, 12, 31) and reduction.amounts == {20000}
