"""Look-ups through the SQL store (both backends) and a one-stop API, with privacy rules."""
import datetime as dt
import re
import time

import pytest

from dossiers import limits, seed
from dossiers import service as outcomes
from dossiers.codes import EXAMPLE
from dossiers.http_source import HttpDossierSource, HttpSourceConfig
from dossiers.limits import Source
from dossiers.service import DossierService
from dossiers.sources import SqlDossierSource
from procedures_kb.importer import import_path
from settings import Settings
from tests.conftest import CURATED_DIR
from tests.fakes.onestop import FakeOneStop

TODAY = dt.date(2026, 11, 23)
KEY = b"test-dossier-hash-key"


@pytest.fixture
def seeded(engine, session):
    import_path(session, CURATED_DIR)
    assert seed.generate(engine, 120, KEY, seed=3, today=TODAY) == 120
    return engine


@pytest.fixture
def sql_service(seeded):
    return DossierService(SqlDossierSource(seeded, KEY), seeded, KEY, today=lambda: TODAY)


def _sample(engine, status=None):
    for code, st, _name, digits in seed.samples(engine, 50):
        if status is None or st == status:
            return code, digits
    pytest.skip(f"no seeded dossier with status {status}")


def test_status_from_a_code_typed_loosely(sql_service, seeded):
    code, _ = _sample(seeded, "processing")
    typed = "cho hỏi hồ sơ " + code.lower().replace(".", " ").replace("-", "") + " đến đâu rồi"
    outcome = sql_service.look_up(typed)
    assert outcome.kind == outcomes.FOUND and outcome.code == code
    assert outcome.text.startswith(f"Hồ sơ {code} — ")
    assert "Tình trạng: Đang xử lý" in outcome.text
    assert "ngày làm việc" in outcome.text or "hạn là hôm nay" in outcome.text
    assert "Người nộp" not in outcome.text  # nothing personal with the code alone


def test_details_need_the_right_digits_and_lock_after_five_wrong(sql_service, seeded):
    code, digits = _sample(seeded)
    wrong = "0000" if digits != "0000" else "1111"
    for left in (4, 3, 2, 1):
        outcome = sql_service.verify(code, wrong, "conv-a")
        assert (outcome.kind, outcome.params, outcome.code, outcome.text) == (outcomes.WRONG_DIGITS, {"attempts_left": left}, code, None)
    locked = sql_service.verify(code, wrong, "conv-a")
    assert (locked.kind, locked.params, locked.text) == (outcomes.LOCKED, {"minutes": 15}, None)
    # Locked for this conversation even with the right digits...
    assert sql_service.verify(code, digits, "conv-a").kind == outcomes.LOCKED
    # ...but a stranger's guesses never lock the owner, in their own conversation, out of their details.
    verified = sql_service.verify(code, digits, "conv-b")
    assert verified.kind == outcomes.VERIFIED and "Người nộp:" in verified.text and "*" in verified.text
    assert set(verified.params) == {"officer_note"}  # the note only (None when the officer wrote none)


def _wrong(digits):
    return "0000" if digits != "0000" else "1111"


def test_one_source_trying_many_codes_is_locked_out_of_all(sql_service, seeded):
    samples = [(c, d) for c, _, _, d in seed.samples(seeded, 12)]
    for code, digits in samples[:5]:
        assert sql_service.verify(code, _wrong(digits), "conv-many").kind == outcomes.WRONG_DIGITS
        assert sql_service.verify(code, _wrong(digits), "conv-many").kind == outcomes.WRONG_DIGITS
    code, digits = samples[6]
    assert sql_service.verify(code, digits, "conv-many").kind == outcomes.LOCKED
    assert sql_service.verify(code, digits, "conv-owner").kind == outcomes.VERIFIED


def test_rotating_conversations_from_one_client_counts_as_one_source(sql_service, seeded):
    """One client's wrong digits, whatever its conversations: SOURCE_FAILURES, then that client is locked."""
    code, digits = _sample(seeded)
    for n in range(limits.SOURCE_FAILURES):
        assert sql_service.verify(code, _wrong(digits), Source(f"rotated-{n}", client="client-1")).kind == outcomes.WRONG_DIGITS
    assert sql_service.verify(code, _wrong(digits), Source("rotated-last", client="client-1")).kind == outcomes.LOCKED
    assert sql_service.verify(code, digits, Source("rotated-new", client="client-1")).kind == outcomes.LOCKED
    assert sql_service.verify(code, digits, Source("owner", client="client-2")).kind == outcomes.VERIFIED


def test_a_neighbour_behind_the_same_address_does_not_lock_the_owner_out(sql_service, seeded):
    """Found by the new-user check: a stranger at the owner's address (a carrier's NAT) made five wrong
    guesses on the owner's code, and the owner's right digits were then refused."""
    code, digits = _sample(seeded)
    owner = Source("owner-conversation", client="shared-nat-address")
    assert sql_service.look_up(code, owner).kind == outcomes.FOUND
    for _ in range(limits.MAX_FAILURES):
        sql_service.verify(code, _wrong(digits), Source("stranger", client="shared-nat-address"))
    assert sql_service.verify(code, _wrong(digits), Source("stranger", client="shared-nat-address")).kind == outcomes.LOCKED
    assert sql_service.verify(code, digits, owner).kind == outcomes.VERIFIED


def test_rotating_sources_cannot_brute_force_the_digits(sql_service, seeded):
    """After CODE_CEILING wrong digits from everyone, the details go through the desk or the hotline only."""
    code, digits = _sample(seeded)
    for n in range(limits.CODE_CEILING):
        assert sql_service.verify(code, _wrong(digits), f"attacker-{n}").kind == outcomes.WRONG_DIGITS
    guarded = sql_service.verify(code, digits, "owner")
    assert (guarded.kind, guarded.params) == (outcomes.GUARDED_CODE, {"hotline": "18001096"})
    other, other_digits = [(c, d) for c, _, _, d in seed.samples(seeded, 20) if c != code][0]
    assert sql_service.verify(other, other_digits, "owner").kind == outcomes.VERIFIED


@pytest.mark.parametrize("script", [str.maketrans("0123456789", "０１２３４５６７８９"),
                                    str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
                                    str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")])
def test_digits_in_any_script_verify(sql_service, seeded, script):
    code, digits = _sample(seeded)
    assert sql_service.verify(code, digits.translate(script), "conv-script").kind == outcomes.VERIFIED


def test_one_source_cannot_check_codes_by_the_hundred(sql_service, seeded):
    """Unknown codes: UNKNOWN_PER_SOURCE per window, then refused; rotating conversations of one client too."""
    for n in range(limits.UNKNOWN_PER_SOURCE):
        assert sql_service.look_up(f"000.00.07.H29-240315-{9000 + n}", "scanner").kind == outcomes.NOT_FOUND
    code, _ = _sample(seeded)
    refused = sql_service.look_up(code, "scanner")
    assert (refused.kind, refused.params, refused.text) == (outcomes.TOO_MANY, {"minutes": 10}, None)
    for n in range(limits.UNKNOWN_PER_SOURCE):
        assert sql_service.look_up(f"000.00.07.H29-240316-{9000 + n}", Source(f"s{n}", client="c9")).kind == outcomes.NOT_FOUND
    assert sql_service.look_up(code, Source("s-new", client="c9")).kind == outcomes.TOO_MANY
    assert sql_service.look_up(code, "someone-else").kind == outcomes.FOUND
    assert sql_service.look_up(code).kind == outcomes.FOUND  # no source: not counted (tools)


def test_the_counters_keep_keyed_hashes_only(sql_service, seeded):
    from sqlalchemy import text

    code, digits = _sample(seeded)
    sql_service.look_up(code, Source("zalo-42", client="203.0.113.7"))
    sql_service.verify(code, _wrong(digits), Source("zalo-42", client="203.0.113.7"))
    with seeded.connect() as conn:
        rows = [dict(row) for row in conn.execute(text("SELECT * FROM dossier_lookup_events")).mappings()]
    assert len(rows) == 2
    dump = str(rows)
    for value in (code, code.replace(".", ""), digits, _wrong(digits), "zalo-42", "203.0.113.7"):
        assert value not in dump


def test_malformed_unknown_and_hostile_codes(sql_service):
    malformed = sql_service.look_up("000.00.07.H29-2403")
    assert (malformed.kind, malformed.params, malformed.text) == (outcomes.MALFORMED, {"example": EXAMPLE}, None)
    no_code = sql_service.look_up("hồ sơ của tôi")
    assert (no_code.kind, no_code.params, no_code.text) == (outcomes.NO_CODE, {"example": EXAMPLE}, None)
    unknown = sql_service.look_up("000 00 07 h29 240315 9999")
    assert (unknown.kind, unknown.code, unknown.text) == (outcomes.NOT_FOUND, "000.00.07.H29-240315-9999", None)
    assert unknown.params == {"code": "000.00.07.H29-240315-9999"}
    for hostile in ["000.00.07.H29-240315-0012'; DROP TABLE dossiers; --", "9" * 10_000, "\x00" * 50]:
        assert sql_service.look_up(hostile).kind in (outcomes.NOT_FOUND, outcomes.MALFORMED, outcomes.NO_CODE)
    badly_typed = sql_service.verify("000.00.07.H29-240315-9999", "12ab", "c")
    assert (badly_typed.kind, badly_typed.params, badly_typed.text) == (outcomes.DIGITS_FORMAT, {}, None)


def test_store_keeps_nothing_personal_in_plain_text(seeded):
    from sqlalchemy import text

    with seeded.connect() as conn:
        row = conn.execute(text("SELECT * FROM dossiers LIMIT 1")).mappings().first()
    phone = seed.demo_phone(row["code"])
    assert phone not in str(dict(row))
    # Keyed hashes, not the digits (a 4-digit run may occur in a hex digest by chance: ~0.2 %, so compare whole values).
    for column in ("phone_hash", "phone_tail_hash"):
        assert re.fullmatch(r"[0-9a-f]{32,128}", row[column]) and row[column] not in (phone, phone[-4:])
    assert "*" in row["applicant_name_masked"]


def _api_record(code, status="Đang xử lý"):
    return {
        "maHoSo": code, "maThuTuc": "1.004194", "tenThuTuc": "Đăng ký tạm trú", "trangThai": status,
        "kenhNop": "Trực tuyến", "ngayTiepNhan": "2026-11-16T09:15:00", "ngayHenTra": "2026-11-19",
        "coQuanTiepNhan": "Công an phường (demo)", "hoTenNguoiNop": "Phạm Thị Mai",
        "ketQua": None, "ghiChu": "Đã xác minh nơi ở", "noiTraKetQua": "Trả qua tài khoản VNeID",
        "quaTrinhXuLy": [{"thoiGian": "16/11/2026 09:15", "trangThai": "Mới tiếp nhận", "buocXuLy": "Tiếp nhận", "donVi": "Một cửa"}],
    }


@pytest.fixture
def onestop():
    code = "000.00.07.H29-261116-0042"
    with FakeOneStop({code: _api_record(code)}, {code: "4321"}) as fake:
        yield fake, code


def _http_service(engine, fake, timeout=1.0):
    source = HttpDossierSource(HttpSourceConfig(base_url=fake.url, token="secret", timeout=timeout))
    return DossierService(source, engine, KEY, today=lambda: TODAY, deadline_s=2.8)


def test_http_source_status_and_verified_details(engine, onestop):
    fake, code = onestop
    service = _http_service(engine, fake)
    found = service.look_up(code.replace(".", "").lower())
    assert found.kind == outcomes.FOUND
    assert "Đăng ký tạm trú (mã 1.004194)" in found.text and "quá hạn 2 ngày làm việc" in found.text
    assert fake.requests[-1]["auth"] == "Bearer secret" and fake.requests[-1]["params"] == {"maHoSo": code}
    assert service.verify(code, "1111", "c1").kind == outcomes.WRONG_DIGITS
    details = service.verify(code, "4321", "c1")
    assert details.kind == outcomes.VERIFIED
    assert "Người nộp: Phạm T** M**" in details.text and "Phạm Thị Mai" not in details.text
    assert service.look_up("000.00.07.H29-261116-0043").kind == outcomes.NOT_FOUND


@pytest.mark.parametrize("mode", ["error", "garbage", "wrong_types", "slow"])
def test_a_failing_or_slow_source_answers_politely_within_three_seconds(engine, onestop, mode):
    fake, code = onestop
    fake.mode = mode
    service = _http_service(engine, fake, timeout=2.5)
    started = time.monotonic()
    outcome = service.look_up(code)
    assert time.monotonic() - started < 3.0
    assert (outcome.kind, outcome.code, outcome.params, outcome.text) == (outcomes.UNAVAILABLE, code, {"hotline": "18001096"}, None)


def test_a_source_that_is_down(engine):
    source = HttpDossierSource(HttpSourceConfig(base_url="http://127.0.0.1:9", timeout=1.0))
    outcome = DossierService(source, engine, KEY, today=lambda: TODAY, hotline="19001234").look_up("000.00.07.H29-261116-0042")
    assert (outcome.kind, outcome.params) == (outcomes.UNAVAILABLE, {"hotline": "19001234"})


def test_http_source_configuration_from_the_settings(tmp_path):
    mapping = tmp_path / "mapping.yml"
    mapping.write_text("status_path: /v2/hoso\nfields:\n  status: tinhTrang\n", encoding="utf-8")
    settings = Settings.from_env({
        "DOSSIER_SOURCE_URL": "http://127.0.0.1:8080/api/", "DOSSIER_SOURCE_TOKEN": "t",
        "DOSSIER_SOURCE_TIMEOUT": "1.5", "DOSSIER_SOURCE_MAPPING": str(mapping),
    })
    config = HttpSourceConfig.from_settings(settings)
    assert (config.base_url, config.token, config.timeout) == ("http://127.0.0.1:8080/api", "t", 1.5)
    assert config.status_path == "/v2/hoso" and config.fields["status"] == "tinhTrang"
    assert config.fields["code"] == "maHoSo"


def test_details_need_the_key_the_phones_were_hashed_with(seeded):
    code, digits = _sample(seeded)
    other_key = b"another server secret"
    service = DossierService(SqlDossierSource(seeded, other_key), seeded, other_key, today=lambda: TODAY)
    assert service.verify(code, digits, "conv-k").kind == outcomes.WRONG_DIGITS


def _read_only_engine(engine):
    """A second engine on the same database that cannot write (issue 15, item 8)."""
    from storage.engine import make_engine

    url = engine.url
    if url.get_backend_name() == "sqlite":
        return make_engine(f"sqlite:///file:{url.database}?mode=ro&uri=true")
    return make_engine(url.render_as_string(hide_password=False),
                       connect_args={"options": "-c default_transaction_read_only=on"})


def test_a_read_only_database_still_shows_details_for_the_right_digits(seeded):
    code, digits = _sample(seeded)
    read_only = _read_only_engine(seeded)
    try:
        service = DossierService(SqlDossierSource(read_only, KEY), read_only, KEY, today=lambda: TODAY)
        assert service.look_up(code).kind == outcomes.FOUND
        verified = service.verify(code, digits, "conv-ro")
        assert verified.kind == outcomes.VERIFIED and "Người nộp:" in verified.text
        # A wrong guess that cannot be counted is not answered as one: the citizen is told to try later.
        wrong = "0000" if digits != "0000" else "1111"
        assert service.verify(code, wrong, "conv-ro").kind == outcomes.UNAVAILABLE
    finally:
        read_only.dispose()


def test_a_locked_sqlite_database_does_not_hold_the_right_digits(seeded):
    import sqlite3

    if seeded.dialect.name != "sqlite":
        pytest.skip("SQLite's database-wide write lock")
    code, digits = _sample(seeded)
    holder = sqlite3.connect(seeded.url.database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process writing for a long time
    try:
        service = DossierService(SqlDossierSource(seeded, KEY), seeded, KEY, today=lambda: TODAY)
        started = time.monotonic()
        assert service.verify(code, digits, "conv-lock").kind == outcomes.VERIFIED
        assert time.monotonic() - started < 4.5  # SQLite's own default waits 5 s for the lock
    finally:
        holder.execute("ROLLBACK")
        holder.close()
