"""Import is all or nothing, idempotent, and merges curated and national data."""

import pytest
from sqlalchemy import func, select

from procedures_kb import repository
from procedures_kb.cli import main as cli_main
from procedures_kb.importer import ImportFailed, import_path
from procedures_kb.models import Alias, Document, ImportRun, Procedure, SubmissionMethod
from tests.procedures_kb.helpers import national_record, sample_records, write_jsonl


def _count(session, model):
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def _snapshot(session):
    return {m.__name__: _count(session, m) for m in (Procedure, Document, SubmissionMethod, Alias)}


def test_import_parses_rows_and_records_the_run(session, tmp_path):
    path = write_jsonl(tmp_path / "cat.jsonl.gz", sample_records())
    result = import_path(session, path)
    assert (result.created, result.updated) == (3, 0)
    procedure = repository.get_procedure(session, "9.000001")
    assert procedure.levels == ["Cấp xã"]
    assert [m.channel for m in procedure.methods] == ["in_person", "online"]
    assert procedure.methods[0].fee_amount == 20000 and procedure.methods[0].fee_note == "Miễn cho hộ nghèo"
    assert procedure.methods[0].time_unit == "working_day"
    documents = procedure.document_cases[0].documents
    assert [(d.name, d.originals, d.copies) for d in documents] == [("Tờ khai theo mẫu", 1, 0), ("Ảnh 4x6", 0, 2)]
    assert procedure.legal_bases[0].number == "1/2024/QH15"
    assert procedure.result_text == "Giấy chứng nhận thử"
    assert procedure.imported_at is not None and procedure.source == "national"
    run = session.execute(select(ImportRun)).scalar_one()
    assert run.records == 3 and run.coverage["with_methods_and_documents_pct"] == 100.0


def test_reimport_updates_without_duplicating(session, tmp_path):
    path = write_jsonl(tmp_path / "cat.jsonl", sample_records())
    import_path(session, path)
    before = _snapshot(session)
    changed = sample_records()
    changed[0]["ten_thu_tuc"] = "Thủ tục đăng ký thử nghiệm (sửa)"
    result = import_path(session, write_jsonl(tmp_path / "cat2.jsonl", changed))
    assert (result.created, result.updated) == (0, 3)
    assert _snapshot(session) == before
    assert repository.get_procedure(session, "9.000001").name.endswith("(sửa)")


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"ma_thu_tuc": "9.000009", "ten_thu_tuc": "Hỏng"\n', "dòng 4: JSON không hợp lệ"),
        ('{"ten_thu_tuc": "Thiếu mã"}\n', "dòng 4: thiếu trường bắt buộc ma_thu_tuc"),
        ('{"ma_thu_tuc": "9.000001", "ten_thu_tuc": "Trùng"}\n', "dòng 4: mã 9.000001 trùng với dòng 1"),
    ],
)
def test_a_bad_record_changes_nothing(session, tmp_path, content, message):
    import_path(session, write_jsonl(tmp_path / "good.jsonl", sample_records()[:1]))
    before = _snapshot(session)
    path = write_jsonl(tmp_path / "bad.jsonl", sample_records())
    with path.open("a", encoding="utf-8") as handle:
        handle.write(content)
    with pytest.raises(ImportFailed) as info:
        import_path(session, path)
    assert message in str(info.value)
    assert _snapshot(session) == before
    assert repository.get_procedure(session, "9.000002") is None


def test_truncated_gzip_and_empty_file(session, tmp_path):
    path = write_jsonl(tmp_path / "cat.jsonl.gz", sample_records() * 1)
    data = path.read_bytes()
    truncated = tmp_path / "truncated.jsonl.gz"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFailed, match="hỏng hoặc bị cắt cụt"):
        import_path(session, truncated)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(ImportFailed, match="không có thủ tục nào"):
        import_path(session, empty)
    with pytest.raises(ImportFailed, match="Không tìm thấy tệp"):
        import_path(session, tmp_path / "missing.jsonl")
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage\x00\n")
    with pytest.raises(ImportFailed):
        import_path(session, binary)
    assert _count(session, Procedure) == 0


CURATED = """
procedures:
  - code: "9.000001"
    name: Đăng ký thử nghiệm (bản biên soạn)
    levels: [Cấp xã]
    field: Lĩnh vực thử
    aliases: [làm giấy thử, đk thử]
    summary: Tóm tắt bằng lời của dự án.
    methods:
      - {channel: in_person, time: 2, unit: working_day, fee: 0}
    documents:
      - case: Giấy tờ phải nộp
        items:
          - {name: Tờ khai, originals: 1}
"""


def test_national_import_keeps_curated_aliases_and_curated_reload_keeps_national_facts(session, tmp_path):
    curated = tmp_path / "curated.yml"
    curated.write_text(CURATED, encoding="utf-8")
    import_path(session, curated)
    procedure = repository.get_procedure(session, "9.000001")
    assert procedure.source == "curated" and procedure.methods[0].time_value == 2

    import_path(session, write_jsonl(tmp_path / "cat.jsonl", sample_records()))
    session.expire_all()
    procedure = repository.get_procedure(session, "9.000001")
    assert procedure.source == "national"
    assert procedure.name == "Thủ tục đăng ký thử nghiệm"
    assert {a.text for a in procedure.aliases} == {"làm giấy thử", "đk thử"}
    assert procedure.summary == "Tóm tắt bằng lời của dự án."

    curated.write_text(CURATED.replace("đk thử]", "đk thử, giấy thử mới]"), encoding="utf-8")
    import_path(session, curated)
    session.expire_all()
    procedure = repository.get_procedure(session, "9.000001")
    assert procedure.name == "Thủ tục đăng ký thử nghiệm"
    assert [m.time_value for m in procedure.methods] == [3, 3]
    assert {a.text for a in procedure.aliases} == {"làm giấy thử", "đk thử", "giấy thử mới"}
    assert _count(session, Procedure) == 3


def test_bad_curated_entry_is_named(session, tmp_path):
    path = tmp_path / "bad.yml"
    path.write_text("procedures:\n  - code: '1.2'\n    name: x\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="bad.yml mục 1: mã thủ tục không hợp lệ"):
        import_path(session, path)
    path.write_text(
        "procedures:\n  - code: '9.000001'\n    name: x\n    documents:\n      - items:\n"
        "          - {name: Giấy tờ a, b, originals: 1}\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed, match="khóa không hợp lệ b"):
        import_path(session, path)
    path.write_text("procedures: [\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="YAML không đọc được"):
        import_path(session, path)


def test_cli_reports_errors_without_traceback(engine, tmp_path, capsys):
    url = str(engine.url.render_as_string(hide_password=False))
    bad = write_jsonl(tmp_path / "bad.jsonl", [national_record("x", "y")])
    assert cli_main(["--database-url", url, "import", str(bad), "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert "Lỗi nhập dữ liệu" in err and "mã thủ tục không hợp lệ" in err and "Traceback" not in err

    good = write_jsonl(tmp_path / "good.jsonl", sample_records())
    assert cli_main(["--database-url", url, "import", str(good), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "3 thủ tục mới" in out and "Có cả cách thức nộp và giấy tờ:      100.0%" in out

    assert cli_main(["--database-url", url, "show", "9.000001"]) == 0
    out = capsys.readouterr().out
    assert "Đăng ký thử nghiệm (mã 9.000001)" in out and "20.000 đồng" in out

    assert cli_main(["--database-url", url, "show", "1.999999"]) == 1
    assert "Không có thủ tục mã 1.999999" in capsys.readouterr().err
    assert cli_main(["--database-url", url, "show", "<script>"]) == 1
    assert "Mã thủ tục không hợp lệ" in capsys.readouterr().err

    assert cli_main(["--database-url", url, "search", ""]) == 0
    assert "Không tìm thấy" in capsys.readouterr().out
    assert cli_main(["--database-url", url, "search", "xin cap giay phep thu nghiem cap xa"]) == 0
    out = capsys.readouterr().out  # the commune level first (the level said), the other level beside it
    assert out.startswith("1. 9.000003") and "cấp khác: 9.000002" in out
    assert cli_main(["--database-url", url, "search", "cap giay phep thu nghiem"]) == 0
    out = capsys.readouterr().out  # the record whose whole name is said first
    assert out.startswith("1. 9.000002") and "cấp khác: 9.000003" in out


def test_cli_database_down(capsys):
    code = cli_main(["--database-url", "postgresql://postgres@127.0.0.1:1/none", "stats"])
    assert code == 2
    assert "Không kết nối được cơ sở dữ liệu" in capsys.readouterr().err


def test_import_stores_the_digest_and_redigest_refreshes_only_stale_ones(session, tmp_path):
    from procedures_kb import digest
    from procedures_kb.importer import refresh_digests

    import_path(session, write_jsonl(tmp_path / "cat.jsonl", sample_records()))
    procedure = repository.get_procedure(session, "9.000001")
    assert procedure.digest_version == digest.DIGEST_VERSION
    stored = digest.Digest.from_json(procedure.digest)
    assert stored.title == "Đăng ký thử nghiệm" and stored.url == "https://example.invalid/thu-tuc/9.000001"
    assert [i.name for i in stored.cases[0].essentials] == ["Tờ khai theo mẫu", "Ảnh 4x6"]
    procedure.digest_version, procedure.digest = 0, None
    session.commit()
    assert refresh_digests(session) == 1
    assert refresh_digests(session) == 0
    assert repository.get_procedure(session, "9.000001").digest["title"] == "Đăng ký thử nghiệm"
    assert refresh_digests(session, everything=True) == 3
