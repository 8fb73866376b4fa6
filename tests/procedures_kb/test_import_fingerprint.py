"""Imports are fingerprinted; `import --if-changed` skips content the catalogue already holds."""
import hashlib

import pytest
from sqlalchemy import func, select

from procedures_kb import repository
from procedures_kb.cli import main as cli_main
from procedures_kb.importer import fingerprint, import_path
from procedures_kb.models import ImportRun
from tests.procedures_kb.helpers import national_record, sample_records, write_jsonl

CURATED_ENTRY = """procedures:
  - code: "{code}"
    name: {name}
    levels: [Cấp xã]
    field: Lĩnh vực thử
    aliases: [{alias}]
    methods:
      - {{channel: in_person, time: 2, unit: working_day, fee: 0}}
    documents:
      - case: Giấy tờ phải nộp
        items:
          - {{name: Tờ khai, originals: 1}}
"""


def _curated_dir(path, entries):
    """A curated folder: one YAML file per (file name, code, name, alias)."""
    path.mkdir()
    for file_name, code, name, alias in entries:
        (path / file_name).write_text(CURATED_ENTRY.format(code=code, name=name, alias=alias), encoding="utf-8")
    return path


def _runs(engine):
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(ImportRun.__table__)).scalar_one()


def _import(engine, path, capsys, *flags):
    url = engine.url.render_as_string(hide_password=False)
    code = cli_main(["--database-url", url, "import", str(path), "--no-progress", *flags])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def _name(engine, code):
    from storage.engine import make_session_factory

    with make_session_factory(engine)() as session:
        return repository.get_procedure(session, code).name


# --- fingerprint ---------------------------------------------------------------------------------

def test_a_file_fingerprint_is_the_sha256_of_its_bytes_and_follows_its_content(tmp_path):
    path = write_jsonl(tmp_path / "cat.jsonl.gz", sample_records())
    first = fingerprint(path)
    assert first == fingerprint(path) == hashlib.sha256(path.read_bytes()).hexdigest()
    changed = sample_records()
    changed[1]["ten_thu_tuc"] += " (sửa)"
    write_jsonl(path, changed)
    assert fingerprint(path) != first


def test_a_curated_folder_fingerprint_covers_names_and_contents_of_its_yaml_files(tmp_path):
    entries = [("a.yml", "9.000001", "Thủ tục một", "thu tuc mot"), ("b.yml", "9.000002", "Thủ tục hai", "hai")]
    folder = _curated_dir(tmp_path / "one", entries)
    same = _curated_dir(tmp_path / "two", list(reversed(entries)))  # written in the other order
    (same / "notes.txt").write_text("not read by the importer", encoding="utf-8")
    base = fingerprint(folder)
    assert base == fingerprint(folder) == fingerprint(same)

    (folder / "b.yml").write_text((folder / "b.yml").read_text(encoding="utf-8").replace("hai]", "hai, 2]"),
                                  encoding="utf-8")
    edited = fingerprint(folder)
    assert edited != base
    (folder / "b.yml").rename(folder / "c.yml")
    assert fingerprint(folder) not in (base, edited)
    (folder / "c.yml").rename(folder / "b.yml")
    assert fingerprint(folder) == edited


def test_import_records_the_fingerprint_of_what_it_read(session, tmp_path):
    path = write_jsonl(tmp_path / "cat.jsonl", sample_records())
    import_path(session, path)
    folder = _curated_dir(tmp_path / "curated", [("a.yml", "9.000004", "Thủ tục bốn", "bon")])
    import_path(session, folder)
    runs = session.execute(select(ImportRun).order_by(ImportRun.id)).scalars().all()
    assert [(r.source_format, r.source_sha256) for r in runs] == [
        ("national", fingerprint(path)),
        ("curated", fingerprint(folder)),
    ]


# --- import --if-changed -------------------------------------------------------------------------

def test_if_changed_skips_the_same_content_and_imports_a_changed_file(engine, tmp_path, capsys):
    path = write_jsonl(tmp_path / "national.jsonl.gz", sample_records())
    assert "3 thủ tục mới" in _import(engine, path, capsys, "--if-changed")

    out = _import(engine, path, capsys, "--if-changed")
    assert out.startswith(f"Bỏ qua {path}: nội dung không đổi kể từ lần nhập trước (3 thủ tục")
    assert "Đã nhập" not in out and _runs(engine) == 1

    changed = sample_records()
    changed[0]["ten_thu_tuc"] = "Thủ tục đăng ký thử nghiệm (sửa)"
    write_jsonl(path, changed)
    assert "3 thủ tục cập nhật" in _import(engine, path, capsys, "--if-changed")
    assert _name(engine, "9.000001") == "Thủ tục đăng ký thử nghiệm (sửa)"
    assert _runs(engine) == 2
    assert "Bỏ qua" in _import(engine, path, capsys, "--if-changed")


def test_without_if_changed_the_same_file_is_imported_again(engine, tmp_path, capsys):
    path = write_jsonl(tmp_path / "national.jsonl", sample_records())
    _import(engine, path, capsys)
    assert "3 thủ tục cập nhật" in _import(engine, path, capsys)
    assert _runs(engine) == 2


def test_if_changed_compares_with_the_last_import_of_the_same_kind(engine, tmp_path, capsys):
    """Another national file imported in between makes the first one due again; a curated load does not."""
    first = write_jsonl(tmp_path / "first.jsonl", sample_records())
    other = write_jsonl(tmp_path / "other.jsonl", [national_record("9.000001", "Tên từ tệp khác")])
    curated = _curated_dir(tmp_path / "curated", [("a.yml", "9.000001", "Tên biên soạn", "giay thu")])

    _import(engine, first, capsys, "--if-changed")
    _import(engine, curated, capsys, "--if-changed")
    assert "Bỏ qua" in _import(engine, first, capsys, "--if-changed")

    _import(engine, other, capsys, "--if-changed")
    assert _name(engine, "9.000001") == "Tên từ tệp khác"
    assert "3 thủ tục cập nhật" in _import(engine, first, capsys, "--if-changed")
    assert _name(engine, "9.000001") == "Thủ tục đăng ký thử nghiệm"
    assert "Bỏ qua" in _import(engine, curated, capsys, "--if-changed")


def test_a_failed_import_is_not_taken_for_the_content_in_the_catalogue(engine, tmp_path, capsys):
    path = write_jsonl(tmp_path / "national.jsonl", sample_records())
    good = path.read_bytes()
    _import(engine, path, capsys, "--if-changed")
    path.write_bytes(good + b'{"ma_thu_tuc": "9.000009", "ten_thu_tuc": "Broken"\n')
    url = engine.url.render_as_string(hide_password=False)
    assert cli_main(["--database-url", url, "import", str(path), "--no-progress", "--if-changed"]) == 1
    assert "JSON không hợp lệ" in capsys.readouterr().err
    path.write_bytes(good)
    assert "Bỏ qua" in _import(engine, path, capsys, "--if-changed")
    assert _runs(engine) == 1


def test_curated_reload_after_the_national_import_keeps_the_national_facts(engine, tmp_path, capsys):
    """The order of `make db`: curated, national, then on a later start a changed curated folder."""
    curated = _curated_dir(tmp_path / "curated", [("a.yml", "9.000001", "Tên biên soạn", "giay thu")])
    national = write_jsonl(tmp_path / "national.jsonl.gz", sample_records())
    _import(engine, curated, capsys, "--if-changed")
    _import(engine, national, capsys, "--if-changed")

    text = (curated / "a.yml").read_text(encoding="utf-8")
    (curated / "a.yml").write_text(text.replace("giay thu]", "giay thu, giấy thử mới]"), encoding="utf-8")
    assert "Đã nhập" in _import(engine, curated, capsys, "--if-changed")
    assert "Bỏ qua" in _import(engine, national, capsys, "--if-changed")
    from storage.engine import make_session_factory

    with make_session_factory(engine)() as session:
        procedure = repository.get_procedure(session, "9.000001")
        assert procedure.name == "Thủ tục đăng ký thử nghiệm"
        assert [m.time_value for m in procedure.methods] == [3, 3]
        assert "giấy thử mới" in {a.text for a in procedure.aliases}


@pytest.mark.parametrize("flags", [("--if-changed",), ()])
def test_a_missing_file_is_reported_with_or_without_if_changed(engine, tmp_path, capsys, flags):
    url = engine.url.render_as_string(hide_password=False)
    missing = tmp_path / "missing.jsonl.gz"
    assert cli_main(["--database-url", url, "import", str(missing), "--no-progress", *flags]) == 1
    assert f"Không tìm thấy tệp: {missing}" in capsys.readouterr().err
