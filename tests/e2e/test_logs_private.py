"""Neither server's log carries anything personal, even with debug logging and a failing action.

A whole conversation runs against the real servers (debug logging on both):
a question naming the citizen, a dossier look-up with its code and the
phone digits, the verified details, feedback, an action that fails with the
whole tracker in its exception, a handoff, the officer's reply and the
citizen's message to the officer. Then both logs are read, \\uXXXX escapes
decoded, and every personal value used must be absent.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
import requests

from scripts.servers import ServerError, running_assistant
from tests.e2e.conftest import DOSSIER_HASH_KEY, OFFICER_TOKEN
from tests.e2e.failing_actions import FAIL_MARKER

pytestmark = pytest.mark.e2e

# Generated, never real.
CITIZEN_NAME = "Phạm Thị Hồng Nhung"
CITIZEN_PHONE = "0987 650 321"
OFFICER_REPLY = "Chào chị Nhung, hồ sơ của chị đang chờ ký, chiều thứ Năm chị qua nhận nhé."
TO_OFFICER = "Dạ em cảm ơn, số của em là 0987 650 321 ạ"


def _decoded(text: str) -> str:
    """The log with JSON's \\uXXXX escapes (single or doubled backslashes, surrogate pairs) decoded."""
    def pair(match):
        high, low = int(match.group(1), 16), int(match.group(2), 16)
        return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))

    text = re.sub(r"\\+u([dD][89abAB][0-9a-fA-F]{2})\\+u([dD][c-fC-F][0-9a-fA-F]{2})", pair, text)
    return re.sub(r"\\+u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


@pytest.fixture(scope="module")
def logged_assistant(e2e_database, tmp_path_factory):
    _, database_url = e2e_database
    work = tmp_path_factory.mktemp("logs")
    env = {"OFFICER_API_TOKEN": OFFICER_TOKEN, "APP_ENV": "production", "DOSSIER_HASH_KEY": DOSSIER_HASH_KEY}
    try:
        with running_assistant(database_url, work, env=env, actions_package="tests.e2e.failing_actions",
                               debug=True) as running:
            yield running
    except ServerError as exc:
        pytest.fail(str(exc))


def _details_lines(replies):
    """The personal lines of the verified details (masked name, result, place, note), without their labels."""
    values = []
    for reply in replies:
        for line in (reply.get("text") or "").splitlines():
            for label in ("Người nộp: ", "Kết quả: ", "Nơi nhận kết quả: ", "Ghi chú của cán bộ: "):
                if line.startswith(label) and len(line) > len(label) + 3:
                    values.append(line[len(label):])
    return values


def test_a_whole_conversation_leaves_nothing_personal_in_the_logs(logged_assistant, dossier_samples):
    year = str(dt.date.today().year)
    code, _, _, digits = next(s for s in dossier_samples if s[3] not in year and s[3] != "0000")
    sender = logged_assistant.new_sender("rest")
    url = logged_assistant.url

    def say(message):
        response = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                                 timeout=60)
        assert response.status_code == 200, response.text[:300]
        return response.json()

    question = f"tôi là {CITIZEN_NAME}, đăng ký khai sinh cho con cần giấy tờ gì"
    typed_code = code.lower().replace(".", " ")
    sent = [question, "hồ sơ của tôi đến đâu rồi", typed_code, digits]
    replies = [say(message) for message in sent]
    details = _details_lines(replies[-1])
    assert details, replies[-1]  # the digits were right: the details were shown
    say('/feedback{"feedback_value": "helpful"}')

    failing = f"{FAIL_MARKER} đăng ký khai sinh cần giấy tờ gì, {CITIZEN_NAME} {CITIZEN_PHONE}"
    say(failing)

    say("cho tôi gặp cán bộ")
    headers = {"Authorization": f"Bearer {OFFICER_TOKEN}"}
    tickets = requests.get(f"{url}/webhooks/officer/tickets", headers=headers, timeout=30).json()["tickets"]
    ticket = next(t for t in tickets if t["conversation_id"] == sender)
    answer = requests.post(f"{url}/webhooks/officer/tickets/{ticket['id']}/reply", headers=headers, timeout=30,
                           json={"officer": "Cán bộ Lan", "text": OFFICER_REPLY})
    assert answer.status_code == 200, answer.text[:300]
    say(TO_OFFICER)

    logs = {name: _decoded((logged_assistant.work / name).read_text(encoding="utf-8", errors="replace"))
            for name in ("rasa.log", "actions.log")}
    # The failure happened, and both logs say so without its contents.
    assert re.search(r"action action_\w+ failed: \w+", logs["rasa.log"])  # bot/channels/failures.py's line
    assert "failed: RuntimeError" in logs["actions.log"]

    personal = [CITIZEN_NAME, "Hồng Nhung", CITIZEN_PHONE, CITIZEN_PHONE.replace(" ", ""), code, typed_code,
                question, failing, OFFICER_REPLY, TO_OFFICER, "hồ sơ của tôi đến đâu rồi"] + details
    for name, text in logs.items():
        folded = text.casefold()
        for value in personal:
            assert value.casefold() not in folded, f"{name} holds {value!r}"
        assert not re.search(rf"(?<!\d){digits}(?!\d)", text), f"{name} holds the phone digits"
