"""The handoff queue and feedback log, on SQLite and PostgreSQL."""
import pytest

from officer_desk.models import AUTHOR_BOT, AUTHOR_CITIZEN, AUTHOR_OFFICER
from officer_desk.store import DeskError, DeskStore, Line, transcript_lines


@pytest.fixture
def desk(engine):
    return DeskStore(engine)


def test_a_conversation_has_one_open_ticket_with_its_transcript(desk):
    lines = [Line(AUTHOR_CITIZEN, "cho tôi gặp cán bộ"), Line(AUTHOR_BOT, "   "), Line(AUTHOR_BOT, "Vâng")]
    first = desk.open_ticket("c1", "rest", "requested", lines, procedure_code="1.004194")
    again = desk.open_ticket("c1", "rest", "requested", lines)
    assert first.id == again.id
    (ticket,) = desk.queue()
    assert [(m.author, m.text) for m in ticket.messages] == [(AUTHOR_CITIZEN, "cho tôi gặp cán bộ"), (AUTHOR_BOT, "Vâng")]
    assert ticket.status == "waiting" and ticket.procedure_code == "1.004194"


def test_officer_replies_are_delivered_once_then_the_ticket_closes(desk):
    ticket = desk.open_ticket("c2", "rest", "repeated_failure", [])
    assert desk.add_citizen_message("c2", "tôi vẫn chờ") == ticket.id
    desk.claim(ticket.id, "Cán bộ Lan")
    desk.add_officer_message(ticket.id, "Cán bộ Lan", "Chào bạn")
    assert desk.take_undelivered("c2") == [(AUTHOR_OFFICER, "Chào bạn")]
    assert desk.take_undelivered("c2") == []
    closed = desk.close(ticket.id)
    assert closed.status == "closed" and closed.closed_at is not None
    assert desk.queue() == [] and len(desk.queue(include_closed=True)) == 1
    with pytest.raises(DeskError):
        desk.add_officer_message(ticket.id, "Cán bộ Lan", "còn gì nữa không")
    assert desk.add_citizen_message("c2", "alo") is None  # no open ticket any more


def test_waiting_messages_are_given_only_to_the_channel_of_their_ticket(desk):
    ticket = desk.open_ticket("u7", "zalo", "requested", [])
    desk.add_officer_message(ticket.id, "Cán bộ Lan", "Chào bạn Zalo")
    assert desk.take_undelivered("u7", "rest") == [] and desk.waiting("u7", "webchat") == []
    assert [text for _id, _author, text in desk.waiting("u7", "zalo")] == ["Chào bạn Zalo"]
    assert desk.take_undelivered("u7", "zalo") == [(AUTHOR_OFFICER, "Chào bạn Zalo")]


def test_errors_are_clear(desk):
    with pytest.raises(DeskError, match="Không có yêu cầu hỗ trợ số 42"):
        desk.ticket(42)
    ticket = desk.open_ticket("c3", "rest", "requested", [])
    with pytest.raises(DeskError, match="trống"):
        desk.add_officer_message(ticket.id, "A", "   ")


def test_long_texts_are_clipped(desk):
    ticket = desk.open_ticket("c4", "rest", "requested", [Line(AUTHOR_CITIZEN, "a" * 100_000)])
    assert len(desk.ticket(ticket.id).messages[0].text) == 4000


def test_feedback_filters(desk):
    desk.record_feedback("c5", True, "đăng ký khai sinh cần gì", "ask_documents", "1.001193", "rest")
    desk.record_feedback("c5", False, "lệ phí hộ chiếu", "ask_fee", "1.001456", "rest")
    assert [f.procedure_code for f in desk.feedback(helpful=False)] == ["1.001456"]
    assert len(desk.feedback()) == 2


def test_transcript_lines_keep_user_and_bot_texts():
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "xin chào"},
        {"event": "bot", "text": "Xin chào!"},
        {"event": "bot", "text": None},
        {"event": "slot", "name": "x", "value": 1},
    ]
    assert transcript_lines(events) == [Line(AUTHOR_CITIZEN, "xin chào"), Line(AUTHOR_BOT, "Xin chào!")]


def test_the_per_turn_check_reuses_pooled_connections(tmp_path):
    """The fault: each citizen turn opened a new SQLite connection to look for officer replies."""
    from sqlalchemy import event

    from storage import migrate
    from storage.engine import make_engine

    url = f"sqlite:///{tmp_path / 'desk.db'}"
    made = make_engine(url)  # the database `make db` would have made: from_url refuses a missing one
    migrate.upgrade(made)
    made.dispose()
    store = DeskStore.from_url(url)
    connects = []
    event.listen(store.engine, "connect", lambda *_: connects.append(1))
    for turn in range(20):
        assert store.take_undelivered(f"citizen-{turn}") == []
    assert len(connects) <= 1
    store.engine.dispose()


def test_verification_digits_never_reach_the_officers_transcript():
    """The fault (new-user check): a handoff after a lock-out put every guess and the right phone
    digits in the ticket's transcript."""
    from officer_desk.store import DIGITS_HIDDEN

    digits = {"entities": [{"entity": "phone_last_digits", "value": "3034"}]}
    events = [
        {"event": "user", "text": "tra cứu hồ sơ", "parse_data": {"entities": []}},
        {"event": "user", "text": "3034", "parse_data": digits},
        {"event": "user", "text": "số cuối là 3034 nhé", "parse_data": digits},
        {"event": "bot", "text": "Bạn còn 4 lần thử."},
    ]
    lines = transcript_lines(events)
    assert [line.text for line in lines] == ["tra cứu hồ sơ", DIGITS_HIDDEN, DIGITS_HIDDEN, "Bạn còn 4 lần thử."]
    assert not any("3034" in line.text for line in lines)


@pytest.mark.parametrize("typed, shown", [
    ("0912343034", "[số đã ẩn]"),
    ("sđt của tôi là 0987650228", "sđt của tôi là [số đã ẩn]"),
    ("số tôi 0912 343 034 nhé", "số tôi [số đã ẩn] nhé"),
    ("CCCD 001203004567 bị mất", "CCCD [số đã ẩn] bị mất"),
    ("gọi tôi số 0912-343-034 nhé", "gọi tôi số [số đã ẩn] nhé"),
    ("cccd 001-203-004-567", "cccd [số đã ẩn]"),
    ("số cuối là 0 2 2 8", "số cuối là [số đã ẩn]"),
    ("+84 912 343 034", "+[số đã ẩn]"),
    ("３０３４", "[4 số cuối điện thoại để xác minh hồ sơ: đã ẩn]"),
    (" 30 34 ", "[4 số cuối điện thoại để xác minh hồ sơ: đã ẩn]"),
    ("hồ sơ 000.00.12.H29-261001-0018 đến đâu rồi", "hồ sơ 000.00.12.H29-261001-0018 đến đâu rồi"),
    ("lệ phí năm 2024 là bao nhiêu", "lệ phí năm 2024 là bao nhiêu"),
])
def test_phone_and_id_numbers_are_hidden_whatever_the_nlu_tagged(typed, shown):
    """The fault (second new-user check): a whole phone number typed during the verification step was
    kept in clear, with the right last digits in it."""
    assert transcript_lines([{"event": "user", "text": typed, "parse_data": {"entities": []}}]) == [
        Line(AUTHOR_CITIZEN, shown)]


def test_a_phone_number_tagged_as_digits_is_masked_not_labelled_as_verification():
    event = {"event": "user", "text": "sđt 0912 343 034",
             "parse_data": {"entities": [{"entity": "phone_last_digits", "value": "3034"}]}}
    assert transcript_lines([event]) == [Line(AUTHOR_CITIZEN, "sđt [số đã ẩn]")]


def test_numbers_a_waiting_citizen_sends_are_hidden_from_the_officer(session):
    from officer_desk.models import HandoffMessage

    desk = DeskStore(session.get_bind())
    desk.open_ticket("c-wait", "rest", "handoff", [])
    for typed in ("số tôi 0912-343-034", "3034", "cccd 001203004567"):
        desk.add_citizen_message("c-wait", typed)
    texts = [m.text for m in session.query(HandoffMessage).order_by(HandoffMessage.id)]
    assert texts == ["số tôi [số đã ẩn]", "[4 số cuối điện thoại để xác minh hồ sơ: đã ẩn]", "cccd [số đã ẩn]"]
