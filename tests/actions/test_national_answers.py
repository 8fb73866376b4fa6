"""Answers over the whole national catalogue: facts match the raw records."""
import json

import pytest

from actions.procedures import ActionAnswerDocuments
from actions.runtime import set_procedure_service
from procedures_kb.importer import import_path
from procedures_kb.service import ProcedureService
from tests.actions.answer_check import run
from tests.actions.helpers import run_action
from tests.conftest import CURATED_DIR, NATIONAL_CATALOGUE

pytestmark = pytest.mark.national


@pytest.fixture(scope="module")
def national_service(migrated_engine):
    from storage.engine import make_session_factory
    from tests.conftest import _empty_tables

    _empty_tables(migrated_engine)
    with make_session_factory(migrated_engine)() as session:
        import_path(session, CURATED_DIR)
        import_path(session, NATIONAL_CATALOGUE)
    service = ProcedureService(migrated_engine)
    set_procedure_service(service)
    yield service
    set_procedure_service(None)
    _empty_tables(migrated_engine)


def test_answers_match_thirty_raw_records(national_service):
    checks = run(national_service, NATIONAL_CATALOGUE, size=30)
    assert len(checks) == 30
    assert sum(len(c.expected_fees) for c in checks) >= 30  # the sample really has fees to check
    assert sum(c.expected_documents for c in checks) >= 100
    assert [(c.code, c.problems) for c in checks if not c.ok] == []


def test_level_variants_are_offered_as_buttons(national_service):
    _, (message,) = run_action(ActionAnswerDocuments(), "cấp hộ chiếu phổ thông ở trong nước cần giấy tờ gì")
    assert "(mã 1.001456)" in message["text"]
    payloads = [b["payload"] for b in message["buttons"]]
    assert "Nộp ở cơ quan trung ương" in [b["title"] for b in message["buttons"]]
    assert '/ask_documents{"procedure_code": "1.001471"}' in payloads


def test_a_long_document_list_is_paged(national_service):
    _, (first,) = run_action(ActionAnswerDocuments(), "", entities=[{"entity": "procedure_code", "value": "1.009568"}])
    assert "(Trang 1/" in first["text"] and len(first["text"]) <= 2000
    (more,) = [b for b in first["buttons"] if b["title"].startswith("Xem tiếp")]
    entities = json.loads(more["payload"][len("/ask_documents"):])
    _, (second,) = run_action(
        ActionAnswerDocuments(), more["payload"], entities=[{"entity": k, "value": v} for k, v in entities.items()]
    )
    assert "(Trang 2/" in second["text"]
    assert second["text"].splitlines()[2] != first["text"].splitlines()[2]  # other documents


def test_a_fee_set_by_the_province_is_not_the_copy_fees_circular(national_service):
    """Issue 12 (new-user check): the khai tử fee was said to be charged under Thông tư 281/2016, the circular
    on the fee for copies of the extract. It is set by the provincial People's Council, free when registered on
    time and for the exempt groups, and the answer says who is exempt."""
    from actions.procedures import ActionAnswerQuestion

    _, (message,) = run_action(ActionAnswerQuestion(), "đăng ký khai tử hết bao nhiêu tiền", intent="ask_fee")
    text = message["text"]
    assert "(mã 1.000656)" in text
    assert "thu theo Nghị quyết của Hội đồng nhân dân tỉnh" in text and "thu theo Thông tư số 281/2016" not in text
    assert "miễn lệ phí đối với trường hợp đăng ký khai tử đúng hạn" in text and "người khuyết tật" in text
    assert "miễn phí" not in text.lower()
