"""Issue 12's examples through the running assistant, with the whole national catalogue imported.

Every message goes through the NLU, the policies, the action server, the
search over 2,642 national procedures and the database, as deployed. The
examples are the issue's own (never trained on: tests/bot/test_nlu_data.py
keeps them out of bot/data/).
"""
import os
import re
import subprocess
import sys
import uuid

import pytest
import requests

from scripts.servers import ServerError, running_assistant
from tests.conftest import CURATED_DIR, NATIONAL_CATALOGUE, PROJECT_ROOT
from tests.e2e.conftest import DOSSIER_HASH_KEY

pytestmark = [pytest.mark.e2e, pytest.mark.national]
HEAD_RE = re.compile(r"\(mã (\d\.\d{6})\)")


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    """Both servers over a database with the curated and the whole national catalogue, and demo dossiers."""
    work = tmp_path_factory.mktemp("whole")
    url = f"sqlite:///{work / 'whole.db'}"
    env = {**os.environ, "DOSSIER_HASH_KEY": DOSSIER_HASH_KEY}
    for path in (CURATED_DIR, NATIONAL_CATALOGUE):
        subprocess.run([sys.executable, "-m", "procedures_kb", "--database-url", url, "import", str(path),
                        "--no-progress"], cwd=PROJECT_ROOT, check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "dossiers", "--database-url", url, "seed", "--count", "20"],
                   cwd=PROJECT_ROOT, check=True, capture_output=True, env=env)
    try:
        with running_assistant(url, work, env={"APP_ENV": "production", "DOSSIER_HASH_KEY": DOSSIER_HASH_KEY}) as running:
            yield running, url
    except ServerError as exc:
        pytest.fail(str(exc))


@pytest.fixture
def chat(whole):
    """A conversation of its own: send(message) → the replies (text and buttons)."""
    running, _ = whole
    sender = f"e2e-understanding-{uuid.uuid4().hex[:8]}"

    def send(message):
        response = requests.post(f"{running.url}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                                 headers=running.rest_headers, timeout=60)
        assert response.status_code == 200, response.text[:300]
        return response.json()

    return send


def answered(replies):
    """The codes of the answers among the replies, in order."""
    return [m.group(1) for r in replies for m in [HEAD_RE.search((r.get("text") or "").split("\n", 1)[0])] if m]


def texts(replies):
    return "\n".join(r.get("text") or "" for r in replies)


@pytest.mark.parametrize("message, codes", [
    ("làm hộ chiếu cho em bé mới sinh được 3 tháng thì cần giấy tờ gì", {"1.001456", "1.001471"}),
    ("đăng ký kết hôn với người cùng xã cần giấy tờ gì", {"1.000894"}),
    ("tôi bị mất căn cước công dân, giờ làm lại thế nào", {"1.014064"}),
    ("Cháu tôi năm nay 5 tuổi, bố mẹ cháu đi làm ăn xa nên gửi cháu ở với tôi. Tôi muốn nhập hộ khẩu cho cháu vào "
     "nhà tôi để cháu đi học gần nhà thì cần làm thủ tục gì?", {"1.004222"}),
    ("khai sinh", {"1.001193"}),
    ("Hồ sơ đề nghị cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ gồm những gì", None),
])
def test_a_procedure_named_is_answered_right(chat, message, codes):
    replies = chat(message)
    got = answered(replies)
    assert got, texts(replies)
    if codes is None:  # a formal question about documents: answered, not a dossier look-up
        assert "mã hồ sơ" not in texts(replies).lower()
    else:
        assert got[0] in codes, texts(replies)


def test_a_message_sharing_only_incidental_words_is_not_answered_confidently(chat):
    replies = chat("xin giay phep kinh doanh quan an nho")
    assert not answered(replies), texts(replies)
    buttons = [b for r in replies for b in r.get("buttons") or []]
    if "thủ tục nào" in texts(replies):  # a choice (otherwise: a request to rephrase, with examples)
        assert len([b for b in buttons if "procedure_code" in b["payload"]]) <= 4
        assert buttons[-1] == {"title": "Không phải các thủ tục này", "payload": "/none_of_these"}
        again = chat("/none_of_these")
        assert texts(again).startswith("Xin lỗi vì chưa đúng ý bạn")


def test_follow_ups_keep_the_procedure_under_discussion(chat):
    assert answered(chat("cấp đổi căn cước cần giấy tờ gì"))[0] == "1.014063"
    for follow_up in ("can mang theo gi", "lam tren vneid dc ko", "thế lệ phí bao nhiêu"):
        replies = chat(follow_up)
        assert answered(replies) and set(answered(replies)) == {"1.014063"}, (follow_up, texts(replies))


def test_every_part_of_a_message_is_answered(chat):
    replies = chat("lam ho chieu can giay to gi, bao lau thi co")
    assert len(answered(replies)) == 2 and set(answered(replies)) <= {"1.001456", "1.001471"}, texts(replies)
    assert "thời hạn giải quyết" in texts(replies)
    assert all(len(r.get("text") or "") <= 2000 for r in replies)


def test_a_regional_question_with_a_complaint_is_answered_and_acknowledged(chat):
    replies = chat("răng mà đăng ký kết hôn lâu rứa, nộp ở mô")
    assert answered(replies) and set(answered(replies)) == {"1.000894"}, texts(replies)
    assert "không hài lòng" in texts(replies)


def test_a_complaint_is_acknowledged_not_said_goodbye_to(chat):
    replies = chat("toi muon khieu nai vi tre hen")
    assert "ghi nhận phản ánh" in texts(replies) and "dichvucong.gov.vn" in texts(replies), texts(replies)
    assert "Chào bạn" not in texts(replies)


def test_office_hours_are_answered_from_the_settings(chat):
    replies = chat("giờ làm việc của bộ phận một cửa")
    assert texts(replies).startswith("Giờ làm việc của bộ phận một cửa: 7 giờ 30"), texts(replies)


def test_an_english_message_gets_an_english_reply(chat):
    replies = chat("Hi, I am a foreigner living in Da Nang. What documents do I need to register my marriage?")
    assert texts(replies).startswith("Hello! I am the virtual assistant"), texts(replies)
    assert not answered(replies)


def test_a_follow_up_after_a_dossier_look_up_is_about_its_procedure(chat, whole):
    from dossiers import seed
    from storage.engine import make_engine

    _, url = whole
    engine = make_engine(url)
    try:
        code, _, _, _ = next(seed.samples(engine, 1))
        from sqlalchemy import text

        with engine.connect() as connection:
            procedure = connection.execute(text("select procedure_code from dossiers where code = :code"),
                                           {"code": code}).scalar()
    finally:
        engine.dispose()
    chat(f"tra cứu hồ sơ {code}")
    replies = chat("can bo sung gi vay")
    assert answered(replies) == [procedure], texts(replies)


def test_two_procedures_in_one_message_are_both_answered(chat):
    replies = chat("tôi bị mất cả căn cước lẫn bằng lái xe thì làm lại thế nào")
    assert set(answered(replies)) == {"1.014064", "3.000348"}, texts(replies)


@pytest.mark.parametrize("message, codes", [
    ("#thutuc khai sinh", {"1.001193"}),
    ("đăng\u200bký\u200bkhai\u200bsinh cho bé mới đẻ thì nộp ở đâu", {"1.001193"}),
    ("lamf laij cancuowcs heets bao nhieeu tieenf", {"1.014064"}),
    ("đăng ký tạm trú ở Lào Cai cần gì", {"1.004194"}),
])
def test_oddly_typed_messages_are_understood(chat, message, codes):
    replies = chat(message)
    assert answered(replies) and answered(replies)[0] in codes, texts(replies)


def test_a_dossier_code_typed_with_o_for_zero_and_the_oa_command_are_understood(chat, whole):
    from dossiers import seed
    from storage.engine import make_engine

    _, url = whole
    engine = make_engine(url)
    try:
        code, _, _, _ = next(seed.samples(engine, 1))
    finally:
        engine.dispose()
    asked = texts(chat("#tracuuhoso"))
    assert "mã hồ sơ" in asked.lower(), asked
    typed = code[:-4] + code[-4:].replace("0", "O")
    replies = texts(chat(typed))
    assert code in replies, replies
