"""Signature, event parsing, settings and message shaping of the Zalo channel."""
from __future__ import annotations

import json

import pytest

from bot.channels.zalo import events, signature
from bot.channels.zalo.config import DEFAULT_API_URL, ZaloSettings
from bot.channels.zalo.messages import CHOOSE, MAX_TEXT_CHARS, split_text, to_zalo
from settings import Settings, SettingsError
from tests.fakes.zalo_api import APP_ID, OA_SECRET, event, sign


# --- signature ------------------------------------------------------------------
def test_signature_matches_zalos_definition():
    body = event("user-1", "xin chào")
    raw, headers = sign(body)  # computed independently in the fake
    assert signature.verify(headers["X-ZEvent-Signature"], APP_ID, raw, body["timestamp"], OA_SECRET)
    assert headers["X-ZEvent-Signature"] == signature.header_value(APP_ID, raw, body["timestamp"], OA_SECRET)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda h, raw, ts: (h, raw.replace(b"xin", b"XIN"), ts),  # body changed
        lambda h, raw, ts: (h, raw, str(int(ts) + 1)),  # timestamp changed
        lambda h, raw, ts: ("mac=" + "0" * 64, raw, ts),  # made-up mac
        lambda h, raw, ts: ("", raw, ts),  # missing
        lambda h, raw, ts: (None, raw, ts),
        lambda h, raw, ts: ("mac=ỹ" + h[5:], raw, ts),  # non-ASCII garbage
        lambda h, raw, ts: (h[4:], raw, ts),  # the digest without "mac="
    ],
)
def test_any_change_breaks_the_signature(tamper):
    body = event("user-1", "xin chào")
    raw, headers = sign(body)
    header, raw, timestamp = tamper(headers["X-ZEvent-Signature"], raw, body["timestamp"])
    assert not signature.verify(header, APP_ID, raw, timestamp, OA_SECRET)


def test_signature_with_another_secret_fails_and_case_does_not_matter():
    body = event("user-1", "xin chào")
    raw, forged = sign(body, secret="not-the-secret")
    assert not signature.verify(forged["X-ZEvent-Signature"], APP_ID, raw, body["timestamp"], OA_SECRET)
    _, good = sign(body)
    upper = "mac=" + good["X-ZEvent-Signature"][4:].upper()
    assert signature.verify(upper, APP_ID, raw, body["timestamp"], OA_SECRET)
    assert not signature.verify(good["X-ZEvent-Signature"], APP_ID, raw, body["timestamp"], "")


# --- events ---------------------------------------------------------------------
def test_text_event():
    parsed = events.parse(event("u1", "làm sổ đỏ", msg_id="abc"))
    assert (parsed.kind, parsed.user_id, parsed.text, parsed.event_id) == (events.TEXT, "u1", "làm sổ đỏ", "abc")
    assert parsed.timestamp_seconds == pytest.approx(int(parsed.timestamp) / 1000)


@pytest.mark.parametrize("name", ["user_send_sticker", "user_send_image", "user_send_file", "user_send_location"])
def test_media_events_are_answered_politely(name):
    assert events.parse(event("u1", name=name)).kind == events.MEDIA


@pytest.mark.parametrize("name", ["user_seen_message", "user_received_message", "oa_send_text", "unfollow", "xyz"])
def test_other_events_are_ignored(name):
    assert events.parse(event("u1", "x", name=name)).kind == events.IGNORED


def test_follow_and_text_without_text_or_sender():
    follow = events.parse({"event_name": "follow", "app_id": "1", "timestamp": "5", "follower": {"id": "f1"}})
    assert (follow.kind, follow.user_id) == (events.FOLLOW, "f1")
    assert follow.event_id == "follow:f1:5"
    no_text = events.parse(event("u1"))
    assert (no_text.kind, no_text.text) == (events.TEXT, "")
    weird = event("u1", "x")
    weird["message"]["text"] = {"nested": True}
    assert events.parse(weird).text == ""
    no_sender = event("u1", "x")
    no_sender["sender"] = "not an object"
    assert events.parse(no_sender).kind == events.IGNORED


@pytest.mark.parametrize(
    "body", [[], "text", 5, {}, {"app_id": "1"}, {"timestamp": "1"}, {"app_id": {}, "timestamp": "1"}]
)
def test_bodies_that_are_not_events(body):
    with pytest.raises(events.EventError):
        events.envelope(body)


# --- settings -------------------------------------------------------------------
def test_settings_from_environment_and_credentials():
    env = {"ZALO_APP_ID": "app", "ZALO_OA_SECRET_KEY": "s", "ZALO_API_URL": "http://127.0.0.1:9/", "ZALO_TIMEOUT": "3"}
    settings = ZaloSettings.from_settings(Settings.from_env(env), {"oa_secret_key": "from-credentials", "app_id": ""})
    assert settings.app_id == "app" and settings.oa_secret_key == "from-credentials"  # credentials.yml wins
    assert settings.api_url == "http://127.0.0.1:9" and settings.timeout == 3.0
    assert settings.can_receive and not settings.can_refresh
    empty = ZaloSettings.from_settings(Settings.from_env({}))
    assert not empty.can_receive and empty.api_url == DEFAULT_API_URL
    with pytest.raises(SettingsError, match="ZALO_TIMEOUT"):
        ZaloSettings.from_settings(Settings.from_env({"ZALO_TIMEOUT": "mười"}))
    with pytest.raises(SettingsError, match="ZALO_TIMEOUT"):
        ZaloSettings.from_settings(Settings.from_env({}), {"timeout": "mười"})


def test_settings_never_show_secrets():
    env = {"ZALO_APP_ID": "app", "ZALO_OA_SECRET_KEY": "very-secret-1", "ZALO_APP_SECRET_KEY": "very-secret-2",
           "ZALO_ACCESS_TOKEN": "very-secret-3", "ZALO_REFRESH_TOKEN": "very-secret-4"}
    settings = Settings.from_env(env)
    shown = repr(ZaloSettings.from_settings(settings)) + str(ZaloSettings.from_settings(settings))
    shown += repr(settings) + str(settings)
    assert "app" in shown and "very-secret" not in shown


# --- messages -------------------------------------------------------------------
def test_long_text_is_split_at_readable_places_and_nothing_is_lost():
    paragraph = "Giấy tờ cần nộp gồm tờ khai, giấy chứng sinh và giấy tờ tùy thân của người đi làm thủ tục. " * 12
    text = "\n\n".join([paragraph.strip()] * 4)
    parts = split_text(text)
    assert len(parts) >= 3
    assert all(0 < len(part) <= MAX_TEXT_CHARS for part in parts)
    assert " ".join(" ".join(parts).split()) == " ".join(text.split())
    assert all(part.endswith(".") for part in parts)  # cut after a sentence


def test_text_without_spaces_is_cut_hard():
    parts = split_text("x" * 4500)
    assert [len(p) for p in parts] == [2000, 2000, 500]


def test_buttons_become_template_buttons_on_the_last_part():
    buttons = [{"title": f"Lựa chọn {n}", "payload": f'/ask_fee{{"procedure_code": "1.00{n}"}}'} for n in range(7)]
    messages = to_zalo({"text": "a. " * 1500, "buttons": buttons})
    assert len(messages) == 3
    assert "attachment" not in messages[0] and "attachment" not in messages[1]
    zalo_buttons = messages[-1]["attachment"]["payload"]["buttons"]
    assert len(zalo_buttons) == 5
    assert zalo_buttons[0] == {
        "title": "Lựa chọn 0", "type": "oa.query.hide", "payload": '/ask_fee{"procedure_code": "1.000"}'
    }
    json.dumps(messages)  # plain JSON


def test_buttons_without_text_and_odd_replies():
    only_buttons = to_zalo({"buttons": [{"title": "Có", "payload": "/affirm"}]})
    assert only_buttons[0]["text"] == CHOOSE
    assert to_zalo({"text": "   "}) == []
    assert to_zalo({"custom": {"x": 1}}) == []
    long_payload = to_zalo({"text": "t", "buttons": [{"title": "Chọn", "payload": "p" * 5000}]})
    assert long_payload[0]["attachment"]["payload"]["buttons"][0]["payload"] == "Chọn"
    image = to_zalo({"text": "Ảnh mẫu", "image": "https://example.gov.vn/a.png"})
    assert image == [{"text": "Ảnh mẫu\nhttps://example.gov.vn/a.png"}]
