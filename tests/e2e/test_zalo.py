"""The Zalo OA channel end to end: signed events into the running assistant,
replies out to the fake Zalo API on loopback, which records them and refuses
what Zalo would refuse."""
from __future__ import annotations

import json
import time
import uuid

import pytest
import requests

from tests.fakes.zalo_api import event, sign

pytestmark = pytest.mark.e2e


@pytest.fixture
def zalo(zalo_api):
    zalo_api.clear()
    yield zalo_api
    assert zalo_api.refused == [], "the assistant sent something Zalo would refuse"
    zalo_api.clear()


@pytest.fixture
def webhook(assistant):
    def _post(body=None, raw=None, headers=None):
        if body is not None:
            raw, signed = sign(body)
            headers = {**signed, **(headers or {})}
        return requests.post(f"{assistant}/webhooks/zalo/webhook", data=raw, headers=headers or {}, timeout=30)

    return _post


def user() -> str:
    return f"zalo-user-{uuid.uuid4().hex[:12]}"


def texts(messages):
    return "\n".join(m["text"] for m in messages)


def buttons(message):
    return (message.get("attachment") or {}).get("payload", {}).get("buttons", [])


def test_question_answered_with_code_and_buttons_then_a_tap(zalo, webhook):
    uid = user()
    zalo.delay = 2.0  # Zalo is slow to take the reply: the webhook must not wait for it
    response = webhook(event(uid, "đăng ký khai sinh cần giấy tờ gì"))
    assert response.status_code == 200 and response.json() == {"status": "accepted"}
    assert zalo.messages_to(uid) == [], "the webhook answered before the reply was sent"

    answer = zalo.wait_messages(uid)
    assert "(mã 1.001193)" in texts(answer)
    offered = buttons(answer[-1])
    assert 1 <= len(offered) <= 5 and all(b["type"] == "oa.query.hide" for b in offered)
    fee = next(b for b in offered if b["title"] == "Lệ phí")

    zalo.delay = 0.0
    assert webhook(event(uid, fee["payload"])).json() == {"status": "accepted"}  # a tap comes back as text
    after = zalo.wait_messages(uid, len(answer) + 1)[len(answer):]
    assert "(mã 1.001193)" in texts(after) and "lệ phí" in texts(after).lower()


def test_unaccented_question_and_a_dossier_code(zalo, webhook, dossier_samples):
    uid = user()
    webhook(event(uid, "dk tam tru can giay to gi"))
    assert "(mã 1.004194)" in texts(zalo.wait_messages(uid))
    code, _status, _procedure, _digits = dossier_samples[0]
    count = len(zalo.messages_to(uid))
    webhook(event(uid, f"tra cứu hồ sơ {code.lower().replace('.', ' ')}"))
    reply = texts(zalo.wait_messages(uid, count + 1)[count:])
    assert code in reply


@pytest.mark.parametrize(
    "forge",
    [
        lambda raw, h: (raw, {**h, "X-ZEvent-Signature": "mac=" + "ab" * 32}),
        lambda raw, h: (raw, {k: v for k, v in h.items() if k != "X-ZEvent-Signature"}),
        lambda raw, h: (raw.replace("khai sinh".encode(), "kết hôn".encode()), h),
        lambda raw, h: (raw, {**h, "X-ZEvent-Signature": h["X-ZEvent-Signature"][4:]}),  # without "mac="
    ],
)
def test_forged_events_get_401_and_nothing_is_sent(zalo, webhook, forge):
    uid = user()
    raw, headers = forge(*sign(event(uid, "đăng ký khai sinh cần giấy tờ gì")))
    response = webhook(raw=raw, headers=headers)
    assert response.status_code == 401 and "error" in response.json()
    time.sleep(2)
    assert zalo.messages_to(uid) == []


def test_events_of_another_app_and_stale_replays_are_refused(zalo, webhook):
    uid = user()
    other_app = event(uid, "lệ phí hộ chiếu", app_id="999")
    assert webhook(other_app).status_code == 401
    two_days_ago = int((time.time() - 2 * 86400) * 1000)
    assert webhook(event(uid, "lệ phí hộ chiếu", timestamp=two_days_ago)).status_code == 401
    time.sleep(2)
    assert zalo.messages_to(uid) == []


def test_retried_event_is_answered_once(zalo, webhook):
    uid = user()
    body = event(uid, "làm hộ chiếu mất bao lâu", msg_id=f"retry-{uid}")
    assert webhook(body).json() == {"status": "accepted"}
    assert webhook(body).json() == {"status": "duplicate"}
    answer = zalo.wait_messages(uid, quiet=2.0)
    assert webhook(body).json() == {"status": "duplicate"}
    time.sleep(1.5)
    assert zalo.messages_to(uid) == answer
    assert texts(answer).count("(mã ") >= 1 and len(answer) <= 2


@pytest.mark.parametrize("raw", [b"{not json", b"[]", b"\xff\xfe\x00binary", json.dumps({"event_name": "x"}).encode()])
def test_malformed_bodies_get_400(zalo, webhook, raw):
    response = webhook(raw=raw, headers={"X-ZEvent-Signature": "mac=" + "0" * 64, "Content-Type": "application/json"})
    assert response.status_code == 400 and "error" in response.json()


def test_huge_body_is_refused(webhook):
    body = event(user(), "a" * 300_000)
    assert webhook(body).status_code == 413


@pytest.mark.parametrize("name", ["user_send_sticker", "user_send_image"])
def test_stickers_and_images_get_a_polite_note(zalo, webhook, name):
    uid = user()
    assert webhook(event(uid, name=name)).json() == {"status": "accepted"}
    (note,) = zalo.wait_messages(uid)
    assert "chỉ đọc được tin nhắn chữ" in note["text"]


@pytest.mark.parametrize("name", ["user_seen_message", "user_received_message", "oa_send_text"])
def test_events_not_handled_get_200_and_no_reply(zalo, webhook, name):
    uid = user()
    assert webhook(event(uid, "x", name=name)).json() == {"status": "ignored"}
    time.sleep(1.5)
    assert zalo.messages_to(uid) == []


def test_follow_is_greeted(zalo, webhook):
    uid = user()
    body = {"event_name": "follow", "app_id": event(uid)["app_id"], "timestamp": str(int(time.time() * 1000)),
            "oa_id": "oa-1", "follower": {"id": uid}, "source": "oa_profile"}
    assert webhook(body).json() == {"status": "accepted"}
    (greeting,) = zalo.wait_messages(uid)
    assert "trợ lý ảo" in greeting["text"] and len(buttons(greeting)) == 3


def test_text_event_without_text(zalo, webhook):
    uid = user()
    webhook(event(uid))  # no "text" key at all
    reply = texts(zalo.wait_messages(uid))
    assert "chưa nhận được câu hỏi" in reply


def test_enormous_and_html_messages(zalo, webhook):
    uid = user()
    webhook(event(uid, "đăng ký khai sinh cần giấy tờ gì " + "rất " * 25_000))  # 100,000+ characters
    reply = zalo.wait_messages(uid)
    assert "4.000 ký tự đầu" in texts(reply)
    assert all(len(m["text"]) <= 2000 for m in reply)

    html_user = user()
    webhook(event(html_user, "<script>alert(1)</script><b>lệ phí</b> đăng ký kết hôn"))
    reply = texts(zalo.wait_messages(html_user))
    assert "<script>" not in reply and "(mã 1.000894)" in reply


def test_officer_reply_is_pushed_split_and_handed_back(zalo, webhook, officer):
    uid = user()
    webhook(event(uid, "cho tôi gặp cán bộ"))
    assert "yêu cầu hỗ trợ số" in texts(zalo.wait_messages(uid))
    (ticket,) = [t for t in officer("GET", "/tickets").json()["tickets"] if t["conversation_id"] == f"zalo:{uid}"]
    assert ticket["channel"] == "zalo"

    count = len(zalo.messages_to(uid))
    long_reply = "\n\n".join(
        f"Mục {n}: bạn chuẩn bị tờ khai, giấy tờ tùy thân và giấy tờ chứng minh nơi cư trú; nộp tại bộ phận một cửa."
        * 5 for n in range(1, 7)
    )
    assert 2000 < len(long_reply) <= 4000
    response = officer("POST", f"/tickets/{ticket['id']}/reply", json={"officer": "Cán bộ Hà", "text": long_reply})
    assert response.ok
    assert all(m["delivered"] for m in response.json()["messages"] if m["author"] == "officer")
    pushed = zalo.messages_to(uid)[count:]  # pushed before the desk API answered
    assert len(pushed) == 2 and all(len(m["text"]) <= 2000 for m in pushed)
    assert " ".join(texts(pushed).split()) == " ".join(long_reply.split())

    count = len(zalo.messages_to(uid))
    assert officer("POST", f"/tickets/{ticket['id']}/release", json={"officer": "Cán bộ Hà"}).ok
    assert "Cán bộ đã kết thúc hỗ trợ" in texts(zalo.messages_to(uid)[count:])


def test_officer_reply_during_an_outage_goes_out_with_the_next_message(zalo, webhook, officer):
    uid = user()
    webhook(event(uid, "cho tôi gặp cán bộ"))
    zalo.wait_messages(uid)
    (ticket,) = [t for t in officer("GET", "/tickets").json()["tickets"] if t["conversation_id"] == f"zalo:{uid}"]
    zalo.down = True
    reply = officer("POST", f"/tickets/{ticket['id']}/reply", json={"officer": "Cán bộ Hà", "text": "Bạn chờ nhé."})
    assert reply.ok and not [m for m in reply.json()["messages"] if m["author"] == "officer"][0]["delivered"]
    zalo.down = False
    count = len(zalo.messages_to(uid))
    webhook(event(uid, "cán bộ ơi?"))
    after = texts(zalo.wait_messages(uid, count + 2)[count:])
    assert "Bạn chờ nhé." in after and "đã được chuyển cho cán bộ" in after
    ticket = officer("GET", f"/tickets/{ticket['id']}").json()
    assert all(m["delivered"] for m in ticket["messages"] if m["author"] == "officer")
    officer("POST", f"/tickets/{ticket['id']}/release", json={"officer": "Cán bộ Hà"})


def test_expired_token_is_refreshed_and_the_reply_still_arrives(zalo, webhook):
    uid = user()
    zalo.expire_access_token()
    webhook(event(uid, "lệ phí làm hộ chiếu"))
    reply = zalo.wait_messages(uid)
    assert "(mã " in texts(reply)
    assert len(zalo.refreshes) == 1
    assert zalo.sent[-1]["token"] == zalo.current_access != "expired-by-zalo"


def test_zalo_outage_neither_crashes_nor_blocks(zalo, webhook, assistant):
    uid = user()
    zalo.outage = 1  # one failed call: retried
    webhook(event(uid, "làm căn cước cần giấy tờ gì"))
    assert "(mã " in texts(zalo.wait_messages(uid))
    assert zalo.failed_calls == 1

    down_user = user()
    zalo.down = True
    start = time.monotonic()
    assert webhook(event(down_user, "lệ phí đăng ký kết hôn")).json() == {"status": "accepted"}
    assert time.monotonic() - start < 5
    zalo.wait_for(lambda: zalo.failed_calls >= 4, timeout=30)  # first try + 2 retries
    zalo.down = False
    assert requests.get(f"{assistant}/", timeout=10).ok
    webhook(event(down_user, "lệ phí đăng ký kết hôn"))
    assert "(mã 1.000894)" in texts(zalo.wait_messages(down_user))


def test_rest_callers_cannot_pose_as_zalo(zalo, running, officer):
    sender = user()  # looks like a Zalo user id
    body = {"sender": sender, "message": "cho tôi gặp cán bộ", "input_channel": "zalo"}
    assert requests.post(f"{running.url}/webhooks/rest/webhook", json=body, headers=running.rest_headers,
                         timeout=60).ok
    (ticket,) = [t for t in officer("GET", "/tickets").json()["tickets"] if t["conversation_id"] == sender]
    assert ticket["channel"] == "rest"
    officer("POST", f"/tickets/{ticket['id']}/reply", json={"officer": "Cán bộ Hà", "text": "Chào bạn."})
    assert zalo.messages_to(sender) == []
    officer("POST", f"/tickets/{ticket['id']}/release", json={"officer": "Cán bộ Hà"})


def test_a_zalo_conversation_is_out_of_reach_of_rest(zalo, webhook, running, officer):
    """Issue 15: REST with sender=<Zalo user id> continued that user's conversation, and
    /updates?sender=<Zalo user id> took the officer's replies meant for them."""
    uid = user()
    webhook(event(uid, "cho tôi gặp cán bộ"))
    zalo.wait_messages(uid)
    (ticket,) = [t for t in officer("GET", "/tickets").json()["tickets"] if t["conversation_id"] == f"zalo:{uid}"]
    zalo.down = True  # the push fails: the reply waits for the Zalo user
    officer("POST", f"/tickets/{ticket['id']}/reply", json={"officer": "Cán bộ Hà", "text": "Chỉ cho người dùng Zalo."})
    zalo.down = False
    rest = f"{running.url}/webhooks/rest"
    for sender in (uid, f"zalo:{uid}"):  # without the token: not a sender the server issued
        assert requests.get(f"{rest}/updates", params={"sender": sender}, timeout=30).status_code == 403
    # A trusted integration may use its own ids, never the Zalo namespace ...
    refused = requests.get(f"{rest}/updates", params={"sender": f"zalo:{uid}"}, headers=running.rest_headers,
                           timeout=30)
    assert refused.status_code == 403 and "zalo" in refused.json()["error"]
    posted = requests.post(f"{rest}/webhook", json={"sender": f"ZALO:{uid}", "message": "xin chào"},
                           headers=running.rest_headers, timeout=60)
    assert posted.status_code == 403
    # ... and the bare user id is another conversation: no reply of the Zalo user's there.
    assert requests.get(f"{rest}/updates", params={"sender": uid}, headers=running.rest_headers,
                        timeout=30).json() == []
    paused = requests.post(f"{rest}/webhook", json={"sender": uid, "message": "lệ phí làm hộ chiếu"},
                           headers=running.rest_headers, timeout=60).json()
    assert "(mã 1.001456)" in "\n".join(r.get("text") or "" for r in paused)  # the bot answers: not the Zalo user's paused conversation
    # The Zalo user still gets the reply, on Zalo, with their next message.
    count = len(zalo.messages_to(uid))
    webhook(event(uid, "cán bộ ơi?"))
    assert "Chỉ cho người dùng Zalo." in texts(zalo.wait_messages(uid, count + 2)[count:])
    officer("POST", f"/tickets/{ticket['id']}/release", json={"officer": "Cán bộ Hà"})
