"""The dossier look-up in the conversation, at the action level."""
import datetime as dt

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionDeny
from actions.dossiers import ActionDossierStatus, say
from actions.procedures import ActionAnswerOverview
from actions.runtime import set_dossier_service
from dossiers import seed
from dossiers.service import DossierService, Outcome
from dossiers.sources import DossierSource, SourceUnavailable, SqlDossierSource
from tests.actions.helpers import run_action

TODAY = dt.date(2026, 11, 23)
KEY = b"test-dossier-hash-key"

# The fixed replies exactly as citizens read them (domain responses filled by the action).
ASK_CODE = (
    "Bạn cho tôi mã hồ sơ ghi trên giấy tiếp nhận và hẹn trả kết quả (ví dụ: 000.00.07.H29-240315-0012). "
    "Có thể gõ chữ thường, có hoặc không có dấu chấm."
)
MALFORMED = (
    "Mã hồ sơ chưa đúng dạng. Mã gồm mã cơ quan, ngày tiếp nhận (năm-tháng-ngày) và số thứ tự, "
    "ví dụ: 000.00.07.H29-240315-0012. Bạn kiểm tra lại trên giấy hẹn và gửi lại nhé."
)
NOT_FOUND = (
    "Không tìm thấy hồ sơ mã 000.00.07.H29-240315-9999. Bạn kiểm tra lại: mã ghi trên giấy hẹn (đủ các số, đúng ngày "
    "tiếp nhận), hồ sơ nộp trực tuyến thì xem trong tài khoản Cổng dịch vụ công; hồ sơ vừa nộp có "
    "thể chưa được cập nhật. Nếu vẫn không thấy, hãy liên hệ bộ phận một cửa nơi nộp hồ sơ."
)
UNAVAILABLE = (
    "Xin lỗi, hệ thống tra cứu hồ sơ đang bận. Bạn vui lòng thử lại sau ít phút, "
    "hoặc gọi tổng đài 18001096 / liên hệ bộ phận một cửa nơi nộp hồ sơ."
)
DIGITS_FORMAT = "Bạn nhập đúng 4 chữ số cuối của số điện thoại đã đăng ký, ví dụ: 6789."
LOCKED = (
    "Bạn đã nhập sai quá nhiều lần. Để bảo vệ thông tin của người nộp, việc xem chi tiết hồ sơ này "
    "tạm khóa khoảng 15 phút; bạn vẫn xem được tình trạng hồ sơ. Nếu cần gấp, hãy liên hệ "
    "bộ phận một cửa nơi nộp hồ sơ."
)


def wrong_digits(left):
    return f"4 số cuối chưa khớp với số điện thoại đã đăng ký. Bạn còn {left} lần thử."


@pytest.fixture
def dossiers(service, engine):
    seed.generate(engine, 40, KEY, seed=5, today=TODAY)
    set_dossier_service(DossierService(SqlDossierSource(engine, KEY), engine, KEY, today=lambda: TODAY))
    yield engine
    set_dossier_service(None)


def _code_entity(code):
    return [{"entity": "dossier_code", "value": code}]


def test_asks_for_the_code_then_the_digits_then_shows_details(dossiers):
    code, _, _, digits = next(seed.samples(dossiers, 1))
    events, (message,) = run_action(ActionDossierStatus(), "hồ sơ của tôi đến đâu rồi", intent="check_dossier_status")
    assert events == [SlotSet("dossier_step", "dossier_code")]
    assert message["text"] == ASK_CODE

    # The bare code comes back as `inform`, which the procedure actions hand over.
    events, messages = run_action(ActionAnswerOverview(), code, intent="inform", entities=_code_entity(code),
                                  slots={"dossier_step": "dossier_code"})
    assert events == [SlotSet("dossier_code", code), SlotSet("dossier_step", "phone_digits")]
    assert messages[0]["text"].startswith(f"Hồ sơ {code} — ")
    assert messages[1]["text"].startswith("Để xem tên người nộp")

    slots = {"dossier_step": "phone_digits", "dossier_code": code}
    events, (message,) = run_action(ActionAnswerOverview(), digits, intent="inform", slots=slots,
                                    entities=[{"entity": "phone_last_digits", "value": digits}])
    assert events == [SlotSet("dossier_step", None)]
    assert message["text"].startswith("Thông tin chi tiết (đã xác minh):")


def test_wrong_digits_ask_again_and_skip_ends(dossiers):
    code, _, _, digits = next(seed.samples(dossiers, 1))
    slots = {"dossier_step": "phone_digits", "dossier_code": code}
    wrong = "0000" if digits != "0000" else "1111"
    events, (message,) = run_action(ActionAnswerOverview(), wrong, intent="inform", slots=slots,
                                    entities=[{"entity": "phone_last_digits", "value": wrong}])
    assert events == [SlotSet("dossier_step", "phone_digits")]
    assert message["text"] == wrong_digits(4)
    events, (message,) = run_action(ActionDeny(), "bỏ qua", intent="deny", slots=slots)
    assert events == [SlotSet("dossier_step", None)]
    assert message["text"] == "Vâng. Bạn cần tra cứu hồ sơ khác hay hỏi thủ tục nào cứ nhắn cho tôi."


def test_digits_typed_badly_are_asked_again(dossiers):
    code, _, _, _ = next(seed.samples(dossiers, 1))
    slots = {"dossier_step": "phone_digits", "dossier_code": code}
    events, (message,) = run_action(ActionDossierStatus(), "12ab", intent="check_dossier_status", slots=slots)
    assert events == [SlotSet("dossier_step", "phone_digits")]
    assert message["text"] == DIGITS_FORMAT


def test_five_wrong_digits_lock_the_details(dossiers):
    code, _, _, digits = next(seed.samples(dossiers, 1))
    slots = {"dossier_step": "phone_digits", "dossier_code": code}
    wrong = "0000" if digits != "0000" else "1111"
    entities = [{"entity": "phone_last_digits", "value": wrong}]
    for left in (4, 3, 2, 1):
        _, (message,) = run_action(ActionDossierStatus(), wrong, intent="inform", slots=slots, entities=entities)
        assert message["text"] == wrong_digits(left)
    events, (message,) = run_action(ActionDossierStatus(), wrong, intent="inform", slots=slots, entities=entities)
    assert events == [SlotSet("dossier_step", None)]
    assert message["text"] == LOCKED


def test_an_unknown_code(dossiers):
    code = "000.00.07.H29-240315-9999"
    events, (message,) = run_action(ActionDossierStatus(), f"hồ sơ {code}", intent="check_dossier_status",
                                    entities=_code_entity(code))
    assert events == [SlotSet("dossier_step", None)]
    assert message["text"] == NOT_FOUND


class DownSource(DossierSource):
    def status(self, code):
        raise SourceUnavailable("down")

    def details(self, code, last_digits):
        raise SourceUnavailable("down")


def test_a_source_that_cannot_answer(engine):
    set_dossier_service(DossierService(DownSource(), engine, KEY, today=lambda: TODAY))
    try:
        code = "000.00.07.H29-240315-0012"
        events, (message,) = run_action(ActionDossierStatus(), code, intent="check_dossier_status",
                                        entities=_code_entity(code))
        assert events == [SlotSet("dossier_step", None)]
        assert message["text"] == UNAVAILABLE
        events, (message,) = run_action(ActionDossierStatus(), "6789", intent="inform",
                                        slots={"dossier_step": "phone_digits", "dossier_code": code})
        assert events == [SlotSet("dossier_step", None)]
        assert message["text"] == UNAVAILABLE
    finally:
        set_dossier_service(None)


def test_an_outcome_without_a_reply_is_refused():
    with pytest.raises(ValueError):
        say(CollectingDispatcher(), Outcome("no_such_kind"))


def test_a_malformed_code_when_asked_gets_the_example(dossiers):
    events, (message,) = run_action(ActionAnswerOverview(), "000.00.07.H29-2403", intent="inform",
                                    slots={"dossier_step": "dossier_code"})
    assert events == [SlotSet("dossier_step", "dossier_code")]
    assert message["text"] == MALFORMED


def test_other_questions_in_between_are_answered_as_usual(dossiers):
    events, (message,) = run_action(ActionAnswerOverview(), "đăng ký tạm trú", intent="ask_procedure",
                                    slots={"dossier_step": "phone_digits", "dossier_code": "x"},
                                    entities=[{"entity": "procedure", "value": "đăng ký tạm trú"}])
    assert "(mã 1.004194)" in message["text"]
