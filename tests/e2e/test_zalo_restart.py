"""Killing the Rasa server (SIGKILL) loses no Zalo reply and sends none twice:
replies and an officer's reply queued while Zalo was away, and an event
recorded but not processed, all go out once after the restart. A reply Zalo
refuses for good is shown to officers."""
from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time

import pytest
import requests

from bot.channels.zalo import events
from bot.channels.zalo.store import ChannelStore
from scripts.servers import running_assistant
from storage.engine import make_engine
from storage.outbox import OutboxMessage
from tests.conftest import CURATED_DIR, PROJECT_ROOT
from tests.fakes.zalo_api import FakeZalo, environment, event, sign

pytestmark = pytest.mark.e2e

TOKEN = "restart-officer-token"


def rows_for(store, user_id):
    with store.sessions() as session:
        return [(r.status, (r.payload or {}).get("text")) for r in
                session.query(OutboxMessage).filter(OutboxMessage.recipient == user_id).order_by(OutboxMessage.id)]


def test_replies_queued_and_events_recorded_before_a_kill_go_out_once_after_the_restart(tmp_path):
    url = f"sqlite:///{tmp_path / 'catalogue.db'}"
    subprocess.run([sys.executable, "-m", "procedures_kb", "--database-url", url, "import", str(CURATED_DIR),
                    "--no-progress"], cwd=PROJECT_ROOT, check=True, capture_output=True)
    fake = FakeZalo().start()
    env = {**environment(fake), "OFFICER_API_TOKEN": TOKEN}
    engine = make_engine(url)
    store = ChannelStore(engine)
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()

    def officer(base, method, path, **kwargs):
        return requests.request(method, f"{base}/webhooks/officer{path}", timeout=30,
                                headers={"Authorization": f"Bearer {TOKEN}"}, **kwargs)

    try:
        with running_assistant(url, tmp_path / "first", env=env) as first:
            fake.down = True  # Zalo is away: everything waits in the outbox
            raw, headers = sign(event("zalo-kept", "cho tôi gặp cán bộ"))
            start = time.monotonic()
            response = requests.post(f"{first.url}/webhooks/zalo/webhook", data=raw, headers=headers, timeout=30)
            assert response.json() == {"status": "accepted"} and time.monotonic() - start < 2
            assert fake.wait_for(lambda: rows_for(store, "zalo:zalo-kept"), timeout=60)
            bot_rows = rows_for(store, "zalo:zalo-kept")
            (ticket,) = officer(first.url, "GET", "/tickets").json()["tickets"]
            reply = officer(first.url, "POST", f"/tickets/{ticket['id']}/reply",
                            json={"officer": "Cán bộ Hà", "text": "Chào bạn, tôi đang xem hồ sơ."})
            assert reply.ok and not reply.json()["messages"][-1]["delivered"]
            os.kill(first.rasa_pid, signal.SIGKILL)
            time.sleep(0.5)
        assert fake.sent == []
        # The webhook had recorded this one and answered 200 when the process died (its lease is over).
        recorded = events.parse(event("zalo-recorded", "lệ phí làm hộ chiếu"))
        assert store.record_event("zalo", recorded.event_id, dataclasses.asdict(recorded), lease=-1)

        fake.down = False
        with running_assistant(url, tmp_path / "second", env=env) as second:
            kept = fake.wait_messages("zalo-kept", len(bot_rows) + 1, timeout=90, quiet=3)
            assert [m["text"] for m in kept] == [text for _, text in bot_rows] + ["Chào bạn, tôi đang xem hồ sơ."]
            (answer,) = fake.wait_messages("zalo-recorded", 1, timeout=90, quiet=3)
            assert "(mã 1.001456)" in answer["text"]
            lines = officer(second.url, "GET", f"/tickets/{ticket['id']}").json()["messages"]
            assert [m["delivered"] for m in lines if m["author"] == "officer"] == [True]

            fake.refuse_users["zalo-kept"] = -213  # the citizen stopped following the OA
            refused = officer(second.url, "POST", f"/tickets/{ticket['id']}/reply",
                              json={"officer": "Cán bộ Hà", "text": "Bạn còn cần hỗ trợ không?"})
            last = refused.json()["messages"][-1]
            assert (last["delivered"], last["delivery_error"]) == (False, "-213")
            failed = officer(second.url, "GET", "/outbox?status=failed").json()["outbox"]
            assert [(f["conversation_id"], f["last_error"]) for f in failed] == [("zalo:zalo-kept", "-213")]
        assert len(fake.messages_to("zalo-kept")) == len(bot_rows) + 1
    finally:
        engine.dispose()
        fake.stop()
