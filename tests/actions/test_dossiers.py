"""The dossier look-up in the conversation, at the action level."""
import datetime as dt

import pytest
from rasa_sdk.events import SlotSet

from actions.conversation import ActionDeny
from actions.dossiers import ActionDossierStatus
from actions.procedures import ActionAnswerOverview
from actions.runtime import set_dossier_service
from dossiers import seed
from dossiers.service import DossierService
from dossiers.sources import SqlDossierSource
from tests.actions.helpers import run_action

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def dossiers(service, engine):
    key = b"test-dossier-hash-key"
    seed.generate(engine, 40, key, seed=5, today=TODAY)
    set_dossier_service(DossierService(SqlDossierSource(engine, key), engine, key, today=lambda: TODAY))
    yield engine
    set_dossier_service(None)


def _code_entity(code):
    return [{"entity": "dossier_code", "value": code}]


def test_asks_for_the_code_then_the_digits_then_shows_details(dossiers):
    code, _, _, digits = next(seed.samples(dossiers, 1))
    events, (message,) = run_action(ActionDossierStatus(), "hồ sơ của tôi đến đâu rồi", intent="check_dossier_status")
    assert events == [SlotSet("dossier_step", "dossier_code")]
    assert message["text"].startswith("Bạn cho tôi mã hồ sơ")

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
    assert "chưa khớp" in message["text"]
    events, (message,) = run_action(ActionDeny(), "bỏ qua", intent="deny", slots=slots)
    assert events == [SlotSet("dossier_step", None)]


def test_a_malformed_code_when_asked_gets_the_example(dossiers):
    events, (message,) = run_action(ActionAnswerOverview(), "000.00.07.H29-2403", intent="inform",
                                    slots={"dossier_step": "dossier_code"})
    assert events == [SlotSet("dossier_step", "dossier_code")]
    assert message["text"].startswith("Mã hồ sơ chưa đúng dạng.") and "000.00.07.H29-240315-0012" in message["text"]


def test_other_questions_in_between_are_answered_as_usual(dossiers):
    events, (message,) = run_action(ActionAnswerOverview(), "đăng ký tạm trú", intent="ask_procedure",
                                    slots={"dossier_step": "phone_digits", "dossier_code": "x"},
                                    entities=[{"entity": "procedure", "value": "đăng ký tạm trú"}])
    assert "(mã 1.004194)" in message["text"]
