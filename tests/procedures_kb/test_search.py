"""Search ranks the procedure people mean, however they write it."""
import pytest

from procedures_kb.importer import import_path, read_curated
from procedures_kb.search import SearchIndex
from tests.conftest import CURATED_DIR


@pytest.fixture(scope="module")
def index():
    records = read_curated(CURATED_DIR)
    rows = [(i, r.code, r.name, r.levels, r.field) for i, r in enumerate(records)]
    aliases = [(i, alias) for i, r in enumerate(records) for alias in r.aliases]
    return SearchIndex.build(rows, aliases)


@pytest.mark.parametrize(
    "query, code",
    [
        ("làm sổ đỏ", "1.013978"),
        ("lam so do", "1.013978"),
        ("LÀM   SỔ  ĐỎ", "1.013978"),
        ("đăng ký khai sinh cần giấy tờ gì", "1.001193"),
        ("dang ky khai sinh", "1.001193"),
        ("dk tạm trú", "1.004194"),
        ("dk tam tru cho sinh vien", "1.004194"),
        ("cccd", "1.014061"),
        ("làm passport", "1.001456"),
        ("xác nhận độc thân", "1.004873"),
        ("nhập hộ khẩu", "1.004222"),
        ("công chứng bản sao", "2.000815"),
        ("bằng lái hết hạn", "3.000347"),
        ("lltp", "3.000333"),
        ("mst ca nhan", "1.008498"),
        ("dang ki ket hon", "1.000894"),  # typo: "ki"
        ("đăng ký kết hônn", "1.000894"),  # typo: doubled letter
        ("xac nhan tinh trang hon nhan", "1.004873"),
        ("rút bhxh 1 lần", "1.001613"),
    ],
)
def test_everyday_questions(index, query, code):
    hits = index.search(query, limit=3)
    assert hits, query
    assert hits[0].code == code, [(h.code, h.name, h.score) for h in hits]


def test_level_variants_grouped_the_level_said_first(session, tmp_path):
    (tmp_path / "c.yml").write_text(
        """
procedures:
  - {code: "9.100001", name: "Cấp lại thẻ thử (thực hiện tại cấp tỉnh)", levels: [Cấp tỉnh]}
  - {code: "9.100002", name: "Cấp lại thẻ thử", levels: [Cấp xã]}
  - {code: "9.100003", name: "Cấp lại thẻ thử (thực hiện tại cấp trung ương)", levels: [Cấp bộ]}
  - {code: "9.100004", name: "Cấp lại giấy chứng nhận khác", levels: [Cấp xã]}
""",
        encoding="utf-8",
    )
    import_path(session, tmp_path / "c.yml")
    index = SearchIndex.from_session(session)
    hits = index.search("cap lai the thu", limit=3)  # no level said: the commune level, the others as alternatives
    assert hits[0].code == "9.100002"
    assert [v.code for v in hits[0].alternatives] == ["9.100001", "9.100003"]
    assert index.search("cap lai the thu tai cap tinh", limit=3)[0].code == "9.100001"
    assert index.search("Cấp lại thẻ thử (thực hiện tại cấp trung ương)", limit=3)[0].code == "9.100003"
    assert index.search("cấp lại thẻ thử ở trung ương thì nộp đâu", limit=3)[0].code == "9.100003"


def test_the_variant_whose_whole_name_is_said_comes_first(session, tmp_path):
    """"Miễn nhiệm giám định viên tư pháp" is one record's whole name; "... cấp tỉnh" is its level variant."""
    (tmp_path / "c.yml").write_text(
        """
procedures:
  - {code: "9.100011", name: "Miễn nhiệm người thử nghiệm", levels: [Cấp bộ]}
  - {code: "9.100012", name: "Miễn nhiệm người thử nghiệm cấp tỉnh", levels: [Cấp tỉnh]}
""",
        encoding="utf-8",
    )
    import_path(session, tmp_path / "c.yml")
    index = SearchIndex.from_session(session)
    assert index.search("Trình tự thực hiện Miễn nhiệm người thử nghiệm", limit=3)[0].code == "9.100011"
    assert index.search("Miễn nhiệm người thử nghiệm cấp tỉnh", limit=3)[0].code == "9.100012"


@pytest.mark.parametrize(
    "query",
    ["", "   ", "😀😀😀", "🙏", "\x00\x01\x02", "' OR 1=1; DROP TABLE procedures; --", "<script>alert(1)</script>",
     "a" * 100_000, "làm sổ đỏ " * 20_000, None, 12345],
)
def test_bad_queries_never_raise(index, query):
    hits = index.search(query)
    assert isinstance(hits, list)
    assert all(hit.code for hit in hits)


def test_limit_is_respected(index):
    assert len(index.search("cấp giấy chứng nhận", limit=2)) <= 2
