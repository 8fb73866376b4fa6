"""Conversations outlive the Rasa server: a restart keeps an officer's pause and a pending look-up.

The fault: with Rasa's in-memory tracker store a restart forgot both, so the
bot answered a citizen an officer was serving, and the phone digits of a
pending dossier look-up were taken for a new message. The servers here run
the project's endpoints.yml as `make run` does: conversations in
var/tracker.db under the folder the Rasa server runs in (here: tmp_path, kept
between the two starts).
"""
import pytest
import requests

from scripts.servers import ServerError, running_assistant
from tests.e2e.conftest import DOSSIER_HASH_KEY, OFFICER_TOKEN

pytestmark = pytest.mark.e2e


def _say(base, sender, message):
    response = requests.post(f"{base}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60)
    assert response.status_code == 200, response.text[:300]
    return "\n".join(r.get("text") or "" for r in response.json())


def test_a_paused_conversation_and_a_pending_look_up_survive_a_restart(e2e_database, dossier_samples, tmp_path):
    _, database_url = e2e_database
    code, _, _, digits = dossier_samples[4]
    # The same secret across the restart, as a deployment keeps it: the citizens' senders stay valid.
    env = {"APP_ENV": "production", "DOSSIER_HASH_KEY": DOSSIER_HASH_KEY, "OFFICER_API_TOKEN": OFFICER_TOKEN,
           "CONVERSATION_SECRET": "durable-test-conversation-secret-0123456789"}
    try:
        with running_assistant(database_url, tmp_path, env=env) as before:
            paused, looking = before.new_sender(), before.new_sender()
            assert "yêu cầu hỗ trợ số" in _say(before.url, paused, "cho tôi gặp cán bộ")
            assert "Bạn cho tôi mã hồ sơ" in _say(before.url, looking, "hồ sơ của tôi đến đâu rồi")
            assert "4 số cuối" in _say(before.url, looking, code)
        assert (tmp_path / "var" / "tracker.db").exists()
        with running_assistant(database_url, tmp_path, env=env) as after:
            waiting = _say(after.url, paused, "xin chào, tôi vẫn đang chờ")
            assert "đã được chuyển cho cán bộ" in waiting  # still the officer's, the bot stays out
            details = _say(after.url, looking, digits)
            assert "Thông tin chi tiết (đã xác minh)" in details and "Người nộp:" in details
    except ServerError as exc:
        pytest.fail(str(exc))
