"""Officer handoff, feedback review and bad input, over REST and the desk API."""
import pytest
import requests

pytestmark = pytest.mark.e2e


def _texts(replies):
    return "\n".join(r.get("text") or "" for r in replies)


def test_handoff_officer_reply_and_hand_back(post, officer, assistant, running):
    sender = running.new_sender()  # as a citizen's client gets one
    post("đăng ký tạm trú cần giấy tờ gì", sender)
    first = _texts(post("cho tôi gặp cán bộ", sender))
    assert "yêu cầu hỗ trợ số" in first and "18001096" in first

    # While the officer has it, the bot stays quiet but the citizen is told where the message went.
    waiting = _texts(post("tôi ở trọ thì chủ nhà phải ký giấy gì?", sender))
    assert "đã được chuyển cho cán bộ" in waiting and "(mã" not in waiting

    queue = officer("GET", "/tickets").json()["tickets"]
    (ticket,) = [t for t in queue if t["conversation_id"] == sender]
    assert ticket["status"] == "waiting" and ticket["reason"] == "requested"
    assert ticket["procedure_code"] == "1.004194"
    said = [m["text"] for m in ticket["messages"] if m["author"] == "citizen"]
    assert said[0] == "đăng ký tạm trú cần giấy tờ gì" and said[-1] == "tôi ở trọ thì chủ nhà phải ký giấy gì?"
    assert any(m["author"] == "bot" and "(mã 1.004194)" in m["text"] for m in ticket["messages"])

    assert officer("POST", f"/tickets/{ticket['id']}/claim", json={"officer": "Cán bộ Lan"}).json()["status"] == "active"
    reply = "Chào bạn, chủ nhà cần ký văn bản đồng ý cho đăng ký tạm trú; bạn mang theo căn cước."
    assert officer("POST", f"/tickets/{ticket['id']}/reply", json={"officer": "Cán bộ Lan", "text": reply}).ok

    # A page that polls gets the officer's reply once.
    updates = requests.get(f"{assistant}/webhooks/rest/updates", params={"sender": sender}, timeout=30).json()
    assert [u["text"] for u in updates] == [reply] and updates[0]["from"] == "officer"
    assert requests.get(f"{assistant}/webhooks/rest/updates", params={"sender": sender}, timeout=30).json() == []

    # The reply is in the conversation's transcript too (Rasa's HTTP API, with its token).
    tracker = requests.get(f"{assistant}/conversations/{sender}/tracker", params={"token": running.rasa_api_token},
                           timeout=30).json()
    assert any(e["event"] == "bot" and e.get("text") == reply for e in tracker["events"])
    assert tracker["paused"] is True

    released = officer("POST", f"/tickets/{ticket['id']}/release", json={"officer": "Cán bộ Lan"})
    assert released.ok and released.json()["status"] == "closed"
    back = post("lệ phí đăng ký kết hôn", sender)
    text = _texts(back)
    assert "Cán bộ đã kết thúc hỗ trợ" in text and "(mã 1.000894)" in text
    assert officer("POST", f"/tickets/{ticket['id']}/reply", json={"officer": "x", "text": "y"}).status_code == 409


def test_repeated_failure_hands_over(post, officer):
    sender = "e2e-handoff-2"
    post("qwrtpz xkcdv", sender)
    post("blorf zintak quomp", sender)
    third = _texts(post("vlorp snarg", sender))
    assert "yêu cầu hỗ trợ số" in third
    queue = officer("GET", "/tickets").json()["tickets"]
    (ticket,) = [t for t in queue if t["conversation_id"] == sender]
    assert ticket["reason"] == "repeated_failure"


def test_officer_api_needs_the_token(assistant, officer):
    base = f"{assistant}/webhooks/officer/tickets"
    assert requests.get(base, timeout=30).status_code == 401
    assert requests.get(base, headers={"Authorization": "Bearer wrong"}, timeout=30).status_code == 401
    assert officer("GET", "/tickets/999999").status_code == 404
    assert officer("POST", "/tickets/1/reply", json={"officer": "A"}).status_code == 400
    assert officer("POST", "/tickets/1/reply", data=b"\xff\xfe not json").status_code == 400
    assert officer("GET", "/feedback?limit=abc").status_code == 400


def test_feedback_reaches_the_officers(post, officer):
    sender = "e2e-feedback-1"
    answer = post("đổi bằng lái xe hết bao nhiêu tiền", sender)
    (not_helpful,) = [b for r in answer for b in r.get("buttons") or [] if b["title"] == "Chưa hữu ích"]
    post(not_helpful["payload"], sender)
    rows = officer("GET", "/feedback?helpful=false").json()["feedback"]
    mine = [r for r in rows if r["conversation_id"] == sender]
    assert mine and mine[0]["procedure_code"] == "3.000347"
    assert mine[0]["question"] == "đổi bằng lái xe hết bao nhiêu tiền" and mine[0]["intent"] == "ask_fee"


@pytest.mark.parametrize(
    "body, headers",
    [
        (b"not json at all", {"Content-Type": "application/json"}),
        (b"\x00\x01\x02\xff", {"Content-Type": "application/octet-stream"}),
        (b'["a", "b"]', {"Content-Type": "application/json"}),
        (b'{"message": "xin chao"}', {"Content-Type": "application/json"}),
        (b'{"sender": "x", "message": 42}', {"Content-Type": "application/json"}),
    ],
)
def test_malformed_requests_get_a_clear_error(assistant, body, headers):
    response = requests.post(f"{assistant}/webhooks/rest/webhook", data=body, headers=headers, timeout=30)
    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.parametrize(
    "message",
    ["", "\x00\x01 binary \ufffe", "🙂" * 500, "a" * 100_000, "' OR 1=1 --", "<img src=x onerror=alert(1)>",
     '/ask_fee{"procedure_code": "<b>"}', "/restart", '/ask_fee{"procedure_code": ', "💩" * 50_000],
    ids=["empty", "binary", "emoji", "enormous", "sql", "html", "bad-code", "restart", "broken-payload", "emoji-flood"],
)
def test_conversation_still_works_after_bad_input(post, message):
    sender = f"e2e-bad-{abs(hash(message))}"
    replies = post(message, sender)
    assert replies, "silence"
    assert all("Traceback" not in (r.get("text") or "") and len(r.get("text") or "") <= 2000 for r in replies)
    assert "(mã 1.001193)" in _texts(post("đăng ký khai sinh cần giấy tờ gì", sender))


def test_restart_while_waiting_withdraws_the_ticket(post, officer):
    sender = "e2e-handoff-restart"
    assert "yêu cầu hỗ trợ số" in _texts(post("cho tôi gặp cán bộ", sender))
    restarted = _texts(post("/restart", sender))
    assert "Đã bắt đầu lại cuộc trò chuyện." in restarted and "đã được hủy" in restarted
    assert [t for t in officer("GET", "/tickets").json()["tickets"] if t["conversation_id"] == sender] == []
    assert "(mã 1.000894)" in _texts(post("lệ phí đăng ký kết hôn", sender))  # the bot answers again
