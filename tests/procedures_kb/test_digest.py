"""The answer digest: fees from notes, reductions against today, times with units, documents essentials first.

Records here are generated, shaped like the national portal's (flattened tables,
notes in brackets), not copied from it.
"""
import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from procedures_kb import digest
from procedures_kb.formatting import fee_lines, fee_text, time_text

TODAY = dt.date(2026, 11, 30)


def method(channel="in_person", fee_free=None, amount=None, note=None, value=None, unit=None, description=None, fee_raw=None):
    if fee_raw is None and amount is not None:
        fee_raw = "Miễn phí" if fee_free else f"{amount:,} Việt Nam Đồng"
    return SimpleNamespace(
        channel=channel, fee_is_free=fee_free, fee_amount=None if amount is None else Decimal(amount), fee_raw=fee_raw,
        fee_currency="VND", fee_note=note, time_value=None if value is None else Decimal(value), time_unit=unit,
        time_raw=None if value is None else str(value), description=description,
    )


def doc(name, originals=1, copies=0, kind="document", form=None):
    return SimpleNamespace(name=name, originals=originals, copies=copies, kind=kind, form_name=form)


def group(title, *documents):
    return SimpleNamespace(title=title, documents=list(documents))


# --- fees ----------------------------------------------------------------------------------------


def test_a_fee_in_the_note_is_the_fee_even_when_the_column_says_free():
    fee = digest.build_fee(method(fee_free=True, amount=0, note="- Lệ phí cấp giấy phép: 135.000 đồng/lần."))
    assert fee.kind == "amount" and fee.free_in_column
    text = fee_text(fee, TODAY)
    assert "135.000 đồng/lần" in text
    assert "miễn phí" not in text.lower()


def test_an_ended_reduction_is_dropped_and_a_current_one_gives_the_amount_due_today():
    note = ("- Lệ phí cấp đổi thẻ: 50.000 đồng/thẻ. - Kể từ ngày 01/01/2025 đến hết ngày 31/12/2025, mức thu "
            "bằng 30% mức thu quy định. - Kể từ ngày 01/7/2025 đến hết ngày 31/12/2026 mức thu bằng 50% mức thu nêu trên.")
    fee = digest.build_fee(method(amount=50000, note=note))
    text = fee_text(fee, TODAY)
    assert "50.000 đồng/thẻ" in text
    assert "25.000 đồng thay vì 50.000 đồng" in text and "31/12/2026" in text
    assert "31/12/2025" not in text and "30%" not in text
    assert "31/12/2026" not in fee_text(fee, dt.date(2027, 1, 1))  # once it has ended, it is gone


def test_a_reduction_not_yet_begun_is_not_shown_as_current():
    fee = digest.build_fee(method(amount=100000, note="Kể từ ngày 01/01/2027 đến hết ngày 31/12/2027 áp dụng mức thu 80.000 đồng/lần."))
    assert "80.000" not in fee_text(fee, TODAY)


def test_a_column_amount_the_note_limits_to_a_past_date_is_flagged_not_stated_as_current():
    note = "+ 160.000/hộ chiếu, cấp lại do bị mất: 320.000đ/hộ chiếu (áp dụng đến hết ngày 31/12/2023 theo Thông tư số 44/2023/TT-BTC)."
    fee = digest.build_fee(method(channel="online", amount=160000, note=note))
    text = fee_text(fee, TODAY)
    assert "đã hết hạn" in text and "31/12/2023" in text
    assert "320.000" not in text  # the ended rate is not offered as a price


def test_an_ended_rate_points_to_the_rate_another_channel_states():
    note = "+ 160.000/hộ chiếu (áp dụng đến hết ngày 31/12/2023 theo Thông tư số 44/2023/TT-BTC)."
    fees = [digest.build_fee(method(channel="online", amount=160000, note=note)),
            digest.build_fee(method(channel="in_person", amount=200000, note="200.000 đồng/hộ chiếu."))]
    online, desk = fee_lines(digest.Digest(version=1, title="x", official_name="x", fees=fees), TODAY)
    assert "đã hết hạn" in online and "hình thức trực tiếp đang ghi 200.000 đồng/hộ chiếu" in online
    assert desk == "- Trực tiếp: 200.000 đồng/hộ chiếu"


def test_an_unreadable_end_date_is_a_doubt_said_plainly():
    fee = digest.build_fee(method(amount=20000, note="Giảm 50% lệ phí đến hết ngày 31/13/2025."))
    assert fee.doubts
    assert "không rõ ngày hết hạn" in fee_text(fee, TODAY)


def test_a_regulation_without_an_amount_is_named_and_never_called_free():
    fee = digest.build_fee(method(fee_free=True, amount=0, note="Mức thu theo Thông tư số 85/2019/TT-BTC của Bộ Tài chính."))
    assert fee.kind == "regulation"
    text = fee_text(fee, TODAY)
    assert "Thông tư số 85/2019/TT-BTC" in text and "miễn phí" not in text.lower()
    local = digest.build_fee(method(fee_free=True, amount=0, note="Lệ phí do HĐND cấp tỉnh quy định."))
    assert local.kind == "regulation" and "Hội đồng nhân dân" in fee_text(local, TODAY)


def test_a_free_procedure_stays_free_and_each_note_is_said_once():
    fees = [digest.build_fee(method(channel=c, fee_free=True, amount=0)) for c in ("online", "postal", "in_person")]
    lines = fee_lines(digest.Digest(version=1, title="x", official_name="x", fees=fees), TODAY)
    assert lines == ["- Mọi hình thức nộp (trực tuyến, dịch vụ bưu chính, trực tiếp): miễn phí"]


def test_a_reduction_for_online_filing_is_not_applied_to_the_desk():
    note = "Trường hợp nộp hồ sơ trực tuyến: từ ngày 01/01/2026 đến hết ngày 31/12/2026 mức thu 90.000 đồng/lần."
    desk = digest.build_fee(method(channel="in_person", amount=100000, note=note))
    online = digest.build_fee(method(channel="online", amount=100000, note=note))
    assert "90.000" not in fee_text(desk, TODAY)
    assert "90.000 đồng/lần" in fee_text(online, TODAY)


def test_a_time_glued_to_a_fee_is_a_doubt_not_a_free_procedure():
    # "Trực tuyến120 VNĐ": is it 1 and 20 VNĐ, 12 and 0 VNĐ? The parser picks one; the answer must not.
    fee = digest.build_fee(method(channel="online", fee_free=True, amount=0, value=12, fee_raw="0 VNĐ"))
    text = fee_text(fee, TODAY)
    assert "miễn phí" not in text.lower() and "dính liền" in text and "“120 VNĐ”" in text


def test_a_free_procedure_with_a_charge_for_copies_stays_free_and_a_doubly_wrapped_note_is_said_once():
    note = "(Miễn lệ phí. Phí cấp bản sao trích lục (nếu có yêu cầu) theo Thông tư số 281/2016/TT-BTC.)"
    fees = [digest.build_fee(method(channel=c, fee_free=True, amount=0, note=n)) for c, n in (("online", note[1:-1]), ("postal", note))]
    assert [f.kind for f in fees] == ["free", "free"]
    lines = fee_lines(digest.Digest(version=1, title="x", official_name="x", fees=fees), TODAY)
    assert len(lines) == 1 and lines[0].count("Miễn lệ phí") == 1 and "((" not in lines[0]


def test_a_free_row_beside_rows_that_charge_is_a_doubt():
    fees = [digest.build_fee(method(channel="online", amount=1200000, note="1.200.000 đồng/thẻ.")),
            digest.build_fee(method(channel="postal", fee_free=True, amount=0))]
    online, postal = fee_lines(digest.Digest(version=1, title="x", official_name="x", fees=fees), TODAY)
    assert "1.200.000 đồng/thẻ" in online
    assert postal.startswith("- Dịch vụ bưu chính: cổng quốc gia ghi “Miễn phí” cho hình thức này, nhưng hình thức trực tuyến thu 1.200.000")


# --- times ---------------------------------------------------------------------------------------


def test_a_time_without_unit_takes_the_same_day_rule_from_the_steps():
    steps = "Trường hợp hồ sơ hợp lệ; nếu tiếp nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo."
    time = digest.build_time(method(value=1), steps)
    assert time.source == "same_day"
    assert time_text(time) == "trong ngày (nộp sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo)"


def test_a_time_without_unit_takes_the_unit_the_record_states_for_that_number():
    time = digest.build_time(method(value=10), "Trong thời hạn 10 ngày làm việc kể từ ngày nhận đủ hồ sơ, cơ quan giải quyết.")
    assert (time.source, time.unit) == ("record", "working_day")
    assert time_text(time).startswith("10 ngày làm việc")


def test_a_time_with_no_unit_anywhere_says_so_and_where_to_ask():
    time = digest.build_time(method(value=3), "Nộp hồ sơ tại bộ phận một cửa.")
    assert time.source == "no_unit"
    text = time_text(time)
    assert "không ghi đơn vị" in text and "bộ phận một cửa" in text
    assert "1 (cổng quốc gia không ghi đơn vị)" not in text


def test_a_time_with_its_unit_is_read_as_is():
    assert time_text(digest.build_time(method(value=5, unit="working_day"), "")) == "5 ngày làm việc"


# --- documents -----------------------------------------------------------------------------------


def test_the_application_form_comes_first_and_conditional_documents_are_grouped_by_condition():
    cases = digest.build_cases([
        group("* Giấy tờ phải nộp:",
              doc("- Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi."),
              doc("- Văn bản ủy quyền trong trường hợp ủy quyền thực hiện thủ tục."),
              doc("Bản điện tử đã nộp thì không phải nộp bản giấy.", originals=0, kind="note"),
              doc("Giấy chứng sinh; trường hợp không có thì nộp văn bản của người làm chứng."),
              doc("Tờ khai đăng ký theo mẫu", form="Mau TK01.doc")),
        group("* Giấy tờ phải xuất trình:", doc("Giấy tờ tùy thân có ảnh")),
    ])
    (case,) = cases
    assert [i.name[:10] for i in case.essentials] == ["Tờ khai đă", "Giấy chứng"]
    assert case.essentials[0].is_form and case.essentials[0].form == "Mẫu TK01"
    assert [i.condition for i in case.conditional] == ["Trường hợp trẻ em bị bỏ rơi", "Trong trường hợp ủy quyền thực hiện thủ tục"]
    assert [i.name for i in case.present] == ["Giấy tờ tùy thân có ảnh"]
    assert all("không phải nộp bản giấy" not in i.name for i in case.essentials + case.conditional)  # a count-0 note


@pytest.mark.parametrize("name, condition", [
    ("Bản sao giấy khai sinh (người dưới 14 tuổi chưa có số định danh)", "Người dưới 14 tuổi chưa có số định danh"),
    ("Giấy tờ chứng minh người đại diện (khi làm cho người dưới 14 tuổi)", "Khi làm cho người dưới 14 tuổi"),
    ("Văn bản ủy quyền (nếu nhờ người khác làm thay; người thân không cần chứng thực)", "Nếu nhờ người khác làm thay"),
    ("Ảnh 4x6 (02 ảnh)", None),
    ("Đơn đề nghị (nếu có thay đổi thì ghi rõ)", None),  # an application form is needed by everyone
])
def test_conditions_in_brackets(name, condition):
    assert digest.condition_of(name) == condition


def test_a_remark_between_tables_is_not_a_case_but_a_named_case_is():
    remark = digest.build_cases([group("--", doc("Tờ khai A")), group("Phiếu này in khi tiếp nhận.", doc("Phiếu B"))])
    assert len(remark) == 1 and [i.name for i in remark[0].essentials] == ["Tờ khai A", "Phiếu B"]
    named = digest.build_cases([group("a) Trường hợp cấp mới:", doc("Tờ khai A")), group("b) Trường hợp cấp lại:", doc("Đơn B"))])
    assert [c.title for c in named] == ["Trường hợp cấp mới", "Trường hợp cấp lại"]


def test_form_labels_and_plain_names():
    assert digest.form_label("Tờ khai (mẫu TK01 dành cho người từ 14 tuổi)", None) == "Mẫu TK01"
    assert digest.form_label("Đơn đăng ký", "1.MauCT01banhanh.doc") == "Mẫu CT01"
    assert digest.plain_name("Phiếu đề nghị (Mẫu DC02 ban hành kèm theo Thông tư số 17/2024/TT-BCA của Bộ Công an)") == "Phiếu đề nghị (Mẫu DC02)"


# --- titles, steps, cutting ----------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("Thủ tục đăng ký khai sinh", "Đăng ký khai sinh"),
    ("Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp tỉnh)", "Cấp hộ chiếu phổ thông ở trong nước"),
])
def test_short_titles(name, expected):
    assert digest.short_title(name) == expected


def test_a_long_official_name_gets_a_short_title_cut_between_words():
    name = ("Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản "
            "gắn liền với đất lần đầu đối với hộ gia đình, cá nhân")
    title = digest.short_title(name)
    assert len(title) <= 80 and name.startswith(title.rstrip("…"))
    assert digest.short_title(name, curated="Làm sổ đỏ lần đầu") == "Làm sổ đỏ lần đầu"


def test_cut_never_splits_a_word():
    text = digest.cut("Trường hợp thực hiện thủ tục đăng ký thay đổi nội dung", 30)
    assert len(text) <= 30 and text.endswith("…")
    assert "Trường hợp thực hiện thủ tục đăng ký thay đổi nội dung".startswith(text[:-1])
    assert text[:-1].split()[-1] in "Trường hợp thực hiện thủ tục đăng ký thay đổi nội dung".split()


@pytest.mark.parametrize("step, expected", [
    ("Bước 1: Nộp hồ sơ.", "Nộp hồ sơ."), ("- b) chuẩn bị hồ sơ", "Chuẩn bị hồ sơ"), ("2. Nhận kết quả", "Nhận kết quả"),
])
def test_steps_lose_their_own_numbering(step, expected):
    assert digest.clean_step(step) == expected


def test_the_digest_survives_its_json_round_trip():
    fees = [digest.build_fee(method(amount=50000, note="Từ ngày 01/01/2026 đến hết ngày 31/12/2026 bằng 50% mức thu."))]
    original = digest.Digest(version=digest.DIGEST_VERSION, title="T", official_name="T", fees=fees,
                             cases=digest.build_cases([group(None, doc("Tờ khai"))]), url="https://example.invalid/x")
    assert digest.Digest.from_json(original.to_json()) == original
