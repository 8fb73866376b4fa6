"""The curated-versus-national check finds each kind of disagreement, on generated records."""
import pytest

from procedures_kb.curated_format import parse_entry
from procedures_kb.national_format import parse_record
from tests.procedures_kb.curated_check import (
    FACT_CHANNEL,
    FACT_CODE,
    FACT_DOCUMENT_MISSING,
    FACT_DOCUMENT_UNKNOWN,
    FACT_FEE,
    FACT_FEE_NOTE,
    FACT_TIME,
    FACT_TIME_NOTE,
    REASON_NO_NATIONAL_DOCUMENTS,
    compare,
    compare_catalogues,
    report,
)
from tests.procedures_kb.document_match import corresponds, is_conditional, main_documents
from tests.procedures_kb.helpers import DOCS, HEADER, national_record

CODE = "9.000001"
NATIONAL_DOCUMENTS = (
    "* Giấy tờ phải nộp:" + DOCS + "- Tờ khai đăng ký thử nghiệm theo mẫu1 bản chính"
    "- Giấy xác nhận của cơ sở y tế về tình trạng sức khỏe1 bản chính"
    "- Trường hợp ủy quyền thì nộp văn bản ủy quyền được chứng thực1 bản chính"
)
CURATED_DOCUMENTS = [
    {"case": "Giấy tờ phải nộp", "items": [
        {"name": "Tờ khai đăng ký thử nghiệm (theo mẫu)", "originals": 1},
        {"name": "Giấy xác nhận tình trạng sức khỏe của cơ sở y tế", "originals": 1},
    ]},
]


def _national(methods: str, steps: str = "Bước 1: Nộp hồ sơ.\nBước 2: Nhận kết quả.", documents: str = NATIONAL_DOCUMENTS):
    raw = national_record(CODE, "Thủ tục thử nghiệm", cach_thuc_thuc_hien=HEADER + methods,
                          trinh_tu_thuc_hien=steps, thanh_phan_ho_so=documents)
    return parse_record(raw, "thử")


def _curated(methods, documents=None, code=CODE):
    raw = {"code": code, "name": "Thủ tục thử nghiệm", "methods": methods,
           "documents": CURATED_DOCUMENTS if documents is None else documents}
    return parse_entry(raw, "thử")


def _facts(curated, national):
    return [(d.fact, d.curated, d.national) for d in compare(curated, national)]


def test_a_faithful_entry_has_no_disagreement():
    national = _national("Trực tiếp3 Ngày làm việc20,000 Việt Nam Đồng(Miễn cho hộ nghèo)Trực tuyến3 Ngày làm việc10,000 Việt Nam Đồng")
    curated = _curated([
        {"channel": "in_person", "time": 3, "unit": "working_day", "fee": 20000, "note": "Miễn cho hộ nghèo."},
        {"channel": "online", "time": 3, "unit": "working_day", "fee": 10000},
    ])
    assert _facts(curated, national) == []


@pytest.mark.parametrize(
    "national_row, curated_row, expected",
    [
        # "Miễn phí" in the fee column, an amount in the note: the amount is the fee.
        ("Trực tiếp5 Ngày làm việcMiễn phí(Lệ phí cấp giấy phép thử: 135.000 đồng/lần)",
         {"fee": 0}, [(FACT_FEE, "Trực tiếp: miễn phí", "Trực tiếp: 135.000 đồng")]),
        ("Trực tiếp5 Ngày làm việcMiễn phí(Lệ phí cấp giấy phép thử: 135.000 đồng/lần)",
         {"fee": 135000}, []),
        # A regulation without an amount: set by regulation, not free.
        ("Trực tiếp5 Ngày làm việcMiễn phí(Mức thu do Hội đồng nhân dân tỉnh quyết định)",
         {"fee": 0}, [(FACT_FEE, "Trực tiếp: miễn phí", "Trực tiếp: theo quy định (không ghi mức)")]),
        ("Trực tiếp5 Ngày làm việcMiễn phí(Mức thu do Hội đồng nhân dân tỉnh quyết định)",
         {"note": "Mức lệ phí do HĐND tỉnh quyết định."}, []),
        # An optional copy fee under a regulation leaves the procedure free.
        ("Trực tiếp5 Ngày làm việcMiễn phí(Miễn lệ phí. Phí cấp bản sao (nếu có yêu cầu) theo Thông tư số 1/2016/TT-BTC.)",
         {"fee": 0}, []),
        # An amount the curated note states must be the record's too.
        ("Trực tiếp5 Ngày làm việc10,000 Việt Nam Đồng",
         {"fee": 10000, "note": "Cá nhân 15.000 đồng/lần."}, [(FACT_FEE_NOTE, "Trực tiếp: 15.000 đồng", "không ghi mức này")]),
        ("Trực tiếp5 Ngày làm việc10,000 Việt Nam Đồng", {"fee": 20000},
         [(FACT_FEE, "Trực tiếp: 20.000 đồng", "Trực tiếp: 10.000 đồng")]),
    ],
)
def test_fees(national_row, curated_row, expected):
    curated = _curated([{"channel": "in_person", "time": 5, "unit": "working_day", **curated_row}])
    assert _facts(curated, _national(national_row)) == expected


@pytest.mark.parametrize(
    "steps, curated_row, expected",
    [
        # A time without its unit: the curated unit needs the record's own words.
        ("Bước 1: Nộp hồ sơ. Bước 2: Nhận kết quả.", {"time": 1, "unit": "working_day"},
         [(FACT_TIME, "Trực tiếp: 1 ngày làm việc", "Trực tiếp: 1 (không đơn vị)")]),
        ("Bước 1: Nộp hồ sơ. Bước 2: Nhận kết quả.", {"time": 1}, []),
        ("Bước 2: Trả kết quả ngay trong ngày; nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo.",
         {"time": 1, "unit": "working_day"}, []),
        ("Bước 2: Trả kết quả trong thời hạn 01 ngày làm việc.", {"time": 1, "unit": "working_day"}, []),
        ("Bước 2: Trả kết quả trong thời hạn 01 ngày làm việc.", {"time": 3},
         [(FACT_TIME, "Trực tiếp: 3 (không đơn vị)", "Trực tiếp: 1 (không đơn vị)")]),
        # A duration in a curated note must be stated by the record.
        ("Bước 2: Nhận kết quả.", {"time": 1, "note": "Cần xác minh thì không quá 05 ngày làm việc."},
         [(FACT_TIME_NOTE, "Trực tiếp: 05 ngày làm việc", "không ghi thời hạn này")]),
    ],
)
def test_times_without_a_unit(steps, curated_row, expected):
    curated = _curated([{"channel": "in_person", "fee": 0, **curated_row}])
    assert _facts(curated, _national("Trực tiếp1Miễn phí", steps=steps)) == expected


def test_several_rows_of_a_channel_must_all_be_there():
    national = _national("Trực tiếp1 GiờMiễn phíTrực tiếp7 Ngày làm việcMiễn phí")
    only_one = _curated([{"channel": "in_person", "time": 1, "unit": "hour", "fee": 0}])
    both = _curated([{"channel": "in_person", "time": 1, "unit": "hour", "fee": 0},
                     {"channel": "in_person", "time": 7, "unit": "working_day", "fee": 0}])
    assert _facts(only_one, national) == [(FACT_TIME, "Trực tiếp: 1 giờ", "Trực tiếp: 1 giờ; 7 ngày làm việc")]
    assert _facts(both, national) == []


def test_channels_missing_on_either_side():
    national = _national("Trực tiếp3 Ngày làm việcMiễn phíDịch vụ bưu chính3 Ngày làm việcMiễn phí")
    curated = _curated([
        {"channel": "in_person", "time": 3, "unit": "working_day", "fee": 0},
        {"channel": "online", "time": 3, "unit": "working_day", "fee": 0},
    ])
    assert _facts(curated, national) == [
        (FACT_CHANNEL, "Trực tuyến", "không có kênh này"),
        (FACT_CHANNEL, "không có kênh này", "Dịch vụ bưu chính"),
    ]


def test_documents_on_either_side():
    national = _national("Trực tiếp3 Ngày làm việcMiễn phí")
    methods = [{"channel": "in_person", "time": 3, "unit": "working_day", "fee": 0}]
    missing_one = [{"case": "Giấy tờ phải nộp", "items": [
        {"name": "Tờ khai đăng ký thử nghiệm (theo mẫu)", "originals": 1},
        {"name": "Bản sao sổ hộ khẩu của người yêu cầu", "copies": 1},
    ]}]
    assert _facts(_curated(methods, missing_one), national) == [
        (FACT_DOCUMENT_MISSING, "—", "Giấy xác nhận của cơ sở y tế về tình trạng sức khỏe"),
        (FACT_DOCUMENT_UNKNOWN, "Bản sao sổ hộ khẩu của người yêu cầu", "—"),
    ]
    # The proxy letter is conditional ("Trường hợp ..."): not required of the curated entry.
    assert _facts(_curated(methods), national) == []


def test_a_code_missing_from_the_national_catalogue_and_the_report():
    national = _national("Trực tiếp3 Ngày làm việc20,000 Việt Nam Đồng")
    good = _curated([{"channel": "in_person", "time": 3, "unit": "working_day", "fee": 20000}])
    wrong = _curated([{"channel": "in_person", "time": 3, "unit": "working_day", "fee": 30000}], code="9.000002")
    comparison = compare_catalogues([good, wrong], {CODE: national, "9.000002": national})
    unknown = _curated([], code="9.000003")
    comparison.disagreements += compare_catalogues([unknown], {}).disagreements
    text = report(comparison)
    assert "9.000002 [fee] tuyển chọn: Trực tiếp: 30.000 đồng | quốc gia: Trực tiếp: 20.000 đồng" in text
    assert "9.000003 [code] tuyển chọn: 9.000003 | quốc gia: không có trong danh mục quốc gia" in text
    assert text.splitlines()[-1] == "2 chỗ khác: code 1, fee 1"
    assert [d.fact for d in comparison.disagreements] == [FACT_FEE, FACT_CODE]


def test_documents_of_a_record_without_a_documents_table_are_accepted_with_the_reason():
    national = _national("Trực tiếp3 Ngày làm việcMiễn phí", documents="Không có thông tin")
    curated = _curated([{"channel": "in_person", "time": 3, "unit": "working_day", "fee": 0}])
    comparison = compare_catalogues([curated], {CODE: national})
    assert comparison.disagreements == []
    assert [(a.disagreement.fact, a.reason) for a in comparison.accepted] == [
        (FACT_DOCUMENT_UNKNOWN, REASON_NO_NATIONAL_DOCUMENTS)
    ] * 2
    assert REASON_NO_NATIONAL_DOCUMENTS in report(comparison)


@pytest.mark.parametrize(
    "curated, national, same",
    [
        ("Tờ khai đăng ký khai sinh (hoặc mẫu điện tử khi nộp trực tuyến)",
         "Tờ khai đăng ký khai sinh theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp);", True),
        ("Giấy chứng minh nhân dân 9 số (nếu có)", "Giấy chứng minh nhân dân 09 số (nếu có).", True),
        ("Ảnh 4x6", "Ảnh 4x6", True),
        ("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "Văn bản ủy quyền yêu cầu cấp Phiếu lý lịch tư pháp", False),
        ("Giấy tờ tùy thân của người lập di chúc",
         "Bản chính hoặc bản sao giấy chứng nhận quyền sử dụng tài sản trừ trường hợp người lập di chúc đang bị đe dọa", False),
    ],
)
def test_document_names_correspond(curated, national, same):
    assert corresponds(curated, national) is same


@pytest.mark.parametrize(
    "name, conditional",
    [
        ("Trường hợp trẻ em bị bỏ rơi thì phải có biên bản", True),
        ("(ii) Trường hợp ủy quyền cho tổ chức", True),
        ("b) Đối với trường hợp mất Trang bổ sung", True),
        ("Giấy chứng minh nhân dân 09 số (nếu có).", True),
        ("Mảnh trích đo bản đồ địa chính đối với trường hợp có nhu cầu đo đạc", True),
        ("Giấy chứng sinh", False),
        ("Đơn đề nghị cấp giấy phép xây dựng", False),
    ],
)
def test_conditional_documents(name, conditional):
    assert is_conditional(name) is conditional


def test_the_main_case_skips_a_case_whose_title_is_a_condition():
    documents = ("Trường hợp ủy quyền thực hiện thủ tục thì kèm theo" + DOCS + "- Văn bản ủy quyền cho cá nhân1 bản chính"
                 + "Hồ sơ gồm" + DOCS + "- Giấy đề nghị đăng ký thử nghiệm1 bản chính")
    national = _national("Trực tiếp3 Ngày làm việcMiễn phí", documents=documents)
    assert [d.name for d in main_documents(national)] == ["Giấy đề nghị đăng ký thử nghiệm"]
