"""Actions answer from the catalogue, name the code, offer buttons, and fail politely."""
import json

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.procedures import ActionAnswerDocuments, ActionAnswerMore, ActionAnswerOverview, ActionAnswerQuestion
from actions.runtime import set_procedure_service
from procedures_kb.service import ProcedureService
from tests.actions.helpers import answered, code_entity, failure, run, run_action

SERVICE_DOWN = (
    "Xin lỗi, hệ thống tra cứu thủ tục đang bận. Bạn vui lòng thử lại sau ít phút "
    "hoặc liên hệ bộ phận một cửa nơi nộp hồ sơ."
)
FEEDBACK = [
    {"title": "Hữu ích", "payload": '/feedback{"feedback_value": "helpful"}'},
    {"title": "Chưa hữu ích", "payload": '/feedback{"feedback_value": "not_helpful"}'},
]


def _payload(button):
    intent, _, entities = button["payload"][1:].partition("{")
    return intent, json.loads("{" + entities) if entities else {}


def _run(action, text, slots=None):
    tracker = Tracker(
        sender_id="test",
        slots=slots or {},
        latest_message={"text": text, "intent": {"name": "ask_documents"}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name=None,
    )
    return run(action, tracker)


def test_documents_of_birth_registration(service):
    events, messages = _run(ActionAnswerDocuments(), "đăng ký khai sinh cần giấy tờ gì")
    assert events == answered("1.001193")
    (message,) = messages
    assert message["text"].startswith("Đăng ký khai sinh (mã 1.001193) — giấy tờ cần chuẩn bị:")
    assert "Giấy chứng sinh" in message["text"]
    assert "— 1 bản chính" in message["text"]
    assert len(message["text"]) <= 2000


def test_unaccented_everyday_name(service):
    events, messages = _run(ActionAnswerOverview(), "lam so do nhu the nao")
    assert events == answered("1.013978")
    text = messages[0]["text"]
    assert "(mã 1.013978)" in text
    assert "trực tuyến 17 ngày làm việc" in text
    assert "trực tiếp 27 ngày làm việc" in text


def test_follow_up_uses_the_procedure_under_discussion(service):
    events, messages = _run(ActionAnswerDocuments(), "cần giấy tờ gì", slots={"procedure_code": "1.004194"})
    assert events == answered("1.004194")
    assert messages[0]["text"].startswith("Đăng ký tạm trú (mã 1.004194)")


@pytest.mark.parametrize("text", ["", "😀😀", "xyzq qwzx", "<b>alo</b>' OR 1=1 --", "a" * 100_000])
def test_unknown_procedure_gets_a_polite_question(service, text):
    events, messages = _run(ActionAnswerDocuments(), text)
    assert events == failure(1)
    (message,) = messages
    assert message["text"].startswith("Xin lỗi, tôi chưa xác định được bạn hỏi thủ tục nào.")
    assert len(message["text"]) <= 2000


def test_database_down_gives_a_polite_message():
    set_procedure_service(ProcedureService.from_url("postgresql://postgres@127.0.0.1:1/none"))
    try:
        events, messages = _run(ActionAnswerDocuments(), "đăng ký khai sinh")
    finally:
        set_procedure_service(None)
    assert events == []
    assert messages[0]["text"] == SERVICE_DOWN


def _ask(intent, text, slots=None):
    tracker = Tracker(
        sender_id="test", slots=slots or {}, latest_message={"text": text, "intent": {"name": intent}},
        events=[], paused=False, followup_action=None, active_loop={}, latest_action_name=None,
    )
    events, messages = run(ActionAnswerQuestion(), tracker)
    return events, [m["text"] for m in messages]


@pytest.mark.parametrize(
    "intent, text, code, expected",
    [
        ("ask_fee", "đăng ký thường trú hết bao nhiêu tiền", "1.004222", ["— phí, lệ phí:", "Trực tuyến: 10.000 đồng", "Trực tiếp: 20.000 đồng"]),
        ("ask_processing_time", "đk tạm trú mất bao lâu", "1.004194", ["— thời hạn giải quyết:", "3 ngày làm việc", "không tính thứ Bảy"]),
        ("ask_where", "làm hộ chiếu ở đâu", "1.001456", ["— nơi nộp hồ sơ:", "Phòng Quản lý xuất nhập cảnh"]),
        ("ask_online", "lam ho chieu online duoc khong", "1.001456", ["có thể nộp trực tuyến", "160.000 đồng"]),
        ("ask_steps", "các bước làm sổ đỏ lần đầu", "1.013978", ["— các bước thực hiện:", "1. "]),
        ("ask_form", "mẫu tờ khai đăng ký thường trú", "1.004222", ["— mẫu đơn, tờ khai:", "CT01"]),
        ("ask_requirements", "điều kiện đăng ký kết hôn", "1.000894", ["— điều kiện thực hiện:", "Nam từ đủ 20 tuổi"]),
        ("ask_legal_basis", "đăng ký thường trú theo luật nào", "1.004222", ["— căn cứ pháp lý:", "68/2020/QH14 Luật Cư trú"]),
        ("ask_result", "đăng ký kết hôn xong được nhận gì", "1.000894", ["— kết quả: Giấy chứng nhận kết hôn"]),
    ],
)
def test_each_question_gets_its_answer_with_the_code(service, intent, text, code, expected):
    events, (message,) = _ask(intent, text)
    assert events == answered(code)
    assert f"(mã {code})" in message
    for fragment in expected:
        assert fragment in message, (fragment, message)
    assert len(message) <= 2000


def test_follow_up_question_about_the_procedure_under_discussion(service):
    events, (message,) = _ask("ask_fee", "còn lệ phí thì sao?", slots={"procedure_code": "1.004194"})
    assert events == answered("1.004194")
    assert message.startswith("Đăng ký tạm trú (mã 1.004194) — phí, lệ phí:")


def test_naming_another_procedure_switches(service):
    tracker = Tracker(
        sender_id="t", slots={"procedure_code": "1.004194"},
        latest_message={"text": "còn làm sổ đỏ thì hết bao nhiêu", "intent": {"name": "ask_fee"},
                        "entities": [{"entity": "procedure", "value": "làm sổ đỏ", "start": 4, "end": 13}]},
        events=[], paused=False, followup_action=None, active_loop={}, latest_action_name=None,
    )
    events, _ = run(ActionAnswerQuestion(), tracker)
    assert events == answered("1.013978")


@pytest.mark.parametrize("text", ["nộp ở đâu?", "làm online được không", "mất bao lâu", "cần giấy tờ gì"])
def test_short_follow_ups_keep_the_procedure(service, text):
    events, (message,) = _ask("ask_where", text, slots={"procedure_code": "1.000894"})
    assert events == answered("1.000894")
    assert "(mã 1.000894)" in message


def test_a_dossier_code_goes_to_the_dossier_look_up(service):
    tracker = Tracker(
        sender_id="t", slots={},
        latest_message={"text": "000.00.07.H29-240315-0012", "intent": {"name": "inform"},
                        "entities": [{"entity": "dossier_code", "value": "000.00.07.H29-240315-0012"}]},
        events=[], paused=False, followup_action=None, active_loop={}, latest_action_name=None,
    )
    events, messages = run(ActionAnswerOverview(), tracker)
    assert events == [SlotSet("dossier_step", None), SlotSet("dossier_step_since", None)]
    assert messages[0]["text"].startswith("Không tìm thấy hồ sơ mã 000.00.07.H29-240315-0012.")


def test_a_button_payload_answers_that_code_directly(service):
    events, (message,) = run_action(
        ActionAnswerQuestion(), '/ask_fee{"procedure_code": "1.004194"}', intent="ask_fee",
        entities=code_entity("1.004194"),
    )
    assert events == answered("1.004194")
    assert message["text"].startswith("Đăng ký tạm trú (mã 1.004194) — phí, lệ phí:")
    # Follow-ups for the same procedure, then the feedback pair; never more than five.
    assert message["buttons"][-2:] == FEEDBACK
    assert [b["title"] for b in message["buttons"][:3]] == ["Giấy tờ cần nộp", "Thời hạn", "Nộp ở đâu"]
    assert _payload(message["buttons"][0]) == ("ask_documents", {"procedure_code": "1.004194"})


@pytest.mark.parametrize("code", ["9.999999", "1.001193'; DROP TABLE procedures; --", "<script>", "x" * 500])
def test_an_unknown_or_malformed_code_in_a_payload_is_refused_politely(service, code):
    events, (message,) = run_action(ActionAnswerQuestion(), "/ask_fee", intent="ask_fee", entities=code_entity(code))
    assert events == failure(1)
    assert message["text"].startswith("Xin lỗi, cơ sở dữ liệu không có thủ tục mã")
    assert len(message["text"]) < 300
    assert service.get("1.001193") is not None  # nothing was dropped


@pytest.mark.parametrize(
    "text, codes",
    [
        ("giấy phép lái xe cần giấy tờ gì", {"3.000348", "3.000347", "3.000353"}),
        ("giay phep lai xe can giay to gi", {"3.000348", "3.000347", "3.000353"}),
        ("hộ chiếu cần giấy tờ gì", {"1.001456", "1.010386"}),
        ("căn cước cần giấy tờ gì", {"1.014063", "1.014064", "1.014062", "1.014061"}),
    ],
)
def test_a_question_that_fits_several_procedures_asks_with_buttons(service, text, codes):
    events, (message,) = run_action(ActionAnswerDocuments(), text)
    assert events == [SlotSet("pending_offer", None)]
    assert message["text"] == "Câu hỏi của bạn hợp với nhiều thủ tục. Bạn muốn hỏi thủ tục nào?"
    *choices, none = message["buttons"]
    assert 2 <= len(choices) <= 4
    assert none == {"title": "Không phải các thủ tục này", "payload": "/none_of_these"}
    offered = {_payload(b)[1]["procedure_code"] for b in choices}
    assert codes <= offered
    # The tap repeats the question that was asked, about the chosen code.
    assert {_payload(b)[0] for b in choices} == {"ask_documents"}
    assert all(len(b["title"]) <= 60 and "{" not in b["title"] for b in message["buttons"])


def test_a_fully_named_procedure_is_answered_and_close_ones_offered(service):
    events, (message,) = run_action(ActionAnswerQuestion(), "đăng ký khai sinh hết bao nhiêu tiền", intent="ask_fee")
    assert events == answered("1.001193")
    offered = [_payload(b) for b in message["buttons"]]
    assert offered[0] == ("ask_fee", {"procedure_code": "2.000528"})  # có yếu tố nước ngoài, when the answer has no next part
    assert message["buttons"][-2:] == FEEDBACK
    _, (documents,) = run_action(ActionAnswerDocuments(), "đăng ký khai sinh cần giấy tờ gì")
    titles = [b["title"] for b in documents["buttons"]]
    assert titles[0] == "Giấy tờ theo trường hợp" and "Lệ phí" in titles  # the answer's own next part first


def test_choosing_from_the_buttons_answers_the_original_question(service):
    _, (asked,) = run_action(ActionAnswerQuestion(), "giấy phép lái xe hết bao nhiêu tiền", intent="ask_fee")
    intent, entities = _payload(next(b for b in asked["buttons"] if "3.000347" in b["payload"]))
    events, (message,) = run_action(
        ActionAnswerQuestion(), asked["buttons"][0]["payload"], intent=intent, entities=code_entity(entities["procedure_code"])
    )
    assert intent == "ask_fee"
    assert events == answered("3.000347")
    assert message["text"].startswith("Đổi giấy phép lái xe (mã 3.000347) — phí, lệ phí:")


def test_documents_name_counts_and_forms(service):
    _, (message,) = run_action(ActionAnswerDocuments(), "", entities=code_entity("1.004222"))
    text = message["text"]
    assert text.startswith("Đăng ký thường trú (nhập hộ khẩu) (mã 1.004222) — giấy tờ cần chuẩn bị:")
    assert "mẫu CT01" in text
    assert "bản chính" in text


def test_another_case_of_the_documents_can_be_asked_for(service):
    events, (message,) = run_action(
        ActionAnswerDocuments(), "/ask_documents", entities=code_entity("1.008498") + [
            {"entity": "document_case", "value": "2"}]
    )
    assert events == answered("1.008498")
    assert "Trường hợp 2/4: Đăng ký qua nơi chi trả thu nhập" in message["text"]
    cases = [_payload(b)[1].get("document_case") for b in message["buttons"] if b["title"].startswith("Trường hợp")]
    assert cases == ["1"] or cases[:2] == ["1", "3"]


def test_nothing_found_suggests_and_counts_a_failure(service):
    events, (message,) = run_action(ActionAnswerDocuments(), "thủ tục nuôi cá voi trên sao hỏa")
    assert events == failure(1)
    assert message["text"].startswith("Xin lỗi, tôi chưa xác định được bạn hỏi thủ tục nào.")


def test_overview_from_a_bare_name(service):
    events, (message,) = run_action(ActionAnswerOverview(), "làm sổ đỏ", intent="inform")
    assert events == answered("1.013978")
    assert [_payload(b)[0] for b in message["buttons"][:3]] == ["ask_documents", "ask_steps", "ask_online"]


def test_time_answer_gives_the_expected_result_date(service, monkeypatch):
    import datetime as dt

    from actions import answers

    monkeypatch.setattr(answers, "today_in_vietnam", lambda: dt.date(2026, 2, 12))  # just before Tết Bính Ngọ
    text = answers.time_answer(service.get("1.004194"))  # 3 working days
    assert "3 ngày làm việc" in text
    assert "dự kiến có kết quả ngày 24/02/2026" in text


# --- "xem tiếp": the rest of a long answer -----------------------------------------------------


def _slot(events, name):
    return [e["value"] for e in events if e.get("event") == "slot" and e.get("name") == name][-1]


def test_xem_tiep_shows_the_documents_needed_only_in_some_cases(service):
    events, (first,) = _run(ActionAnswerDocuments(), "đăng ký khai sinh cần giấy tờ gì")
    assert "tùy trường hợp" in first["text"] and "Giấy tờ theo trường hợp" in [b["title"] for b in first["buttons"]]
    pending = _slot(events, "answer_more")
    assert pending is not None
    events, (more,) = run_action(ActionAnswerMore(), "xem tiep", intent="ask_more", slots={"answer_more": pending})
    assert more["text"].startswith("Đăng ký khai sinh (mã 1.001193) — giấy tờ chỉ cần trong một số trường hợp:")
    assert "bỏ rơi" in more["text"]
    assert _slot(events, "answer_more") is None  # nothing further after this part


@pytest.mark.parametrize("pending", [None, "", "not json", '{"intent": "ask_documents"}', '{"intent": "restart", "entities": {}}', "[1, 2]"])
def test_xem_tiep_with_nothing_pending_says_so(service, pending):
    events, (message,) = run_action(
        ActionAnswerMore(), "còn nữa không", intent="ask_more", slots={"answer_more": pending, "procedure_code": "1.001193"}
    )
    assert message["response"] == "utter_nothing_more"
    assert "không còn phần nào nữa" in message["text"]
    assert [b["title"] for b in message["buttons"]] == ["Giấy tờ cần nộp", "Lệ phí", "Thời hạn"]  # what to ask next


def test_xem_tiep_before_any_answer_asks_what_to_continue(service):
    _, (message,) = run_action(ActionAnswerMore(), "xem tiếp", intent="ask_more", slots={})
    assert message["response"] == "utter_nothing_to_continue"
    assert "Bạn muốn xem tiếp nội dung nào" in message["text"]


def test_every_answer_ends_with_the_portal_page_and_buttons_read_well(service):
    from actions import answers

    for code in ("1.001193", "1.004194", "1.013978", "3.000347"):
        procedure = service.get(code)
        for intent in answers.RENDERERS:
            reply = answers.render(intent, procedure)
            assert f"(mã {code})" in reply.text.split("\n")[0]
            if procedure.source_url:
                assert procedure.source_url in reply.text
    _, (message,) = _run(ActionAnswerDocuments(), "đăng ký thuế lần đầu cho cá nhân cần giấy tờ gì")
    titles = [b["title"] for b in message["buttons"]]
    assert len(titles) == len({t.lower() for t in titles}) <= 5
    for title in titles:
        assert len(title) <= 60
        if title.endswith("…"):
            assert not title[-2].isspace()  # cut after a whole word


def test_conditional_documents_are_listed_under_their_condition_once(service):
    from actions import answers

    text = answers.documents_view(service.get("1.013978"), part=answers.CONDITIONAL).text
    assert "giấy tờ chỉ cần trong một số trường hợp" in text and "Nếu có:" in text
    items = [line for line in text.splitlines() if line.startswith("- ")]
    assert items and not any("nếu có" in line.lower() or ", —" in line for line in items)
