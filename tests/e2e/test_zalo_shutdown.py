"""Stopping the server lets Zalo replies already on their way finish."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest
import requests

from scripts.servers import running_assistant
from tests.conftest import CURATED_DIR, PROJECT_ROOT
from tests.fakes.zalo_api import FakeZalo, environment, event, sign

pytestmark = pytest.mark.e2e


def test_a_reply_in_progress_is_delivered_when_the_server_stops(tmp_path):
    url = f"sqlite:///{tmp_path / 'catalogue.db'}"
    subprocess.run([sys.executable, "-m", "procedures_kb", "--database-url", url, "import", str(CURATED_DIR),
                    "--no-progress"], cwd=PROJECT_ROOT, check=True, capture_output=True)
    fake = FakeZalo().start()
    try:
        with running_assistant(url, tmp_path, env=environment(fake)) as assistant:
            fake.delay = 4.0  # Zalo takes its time; the server is asked to stop meanwhile
            raw, headers = sign(event("zalo-stopping", "lệ phí làm hộ chiếu"))
            response = requests.post(f"{assistant.url}/webhooks/zalo/webhook", data=raw, headers=headers, timeout=30)
            assert response.json() == {"status": "accepted"}
            time.sleep(0.5)  # the answer is ready and on its way to Zalo
            assert fake.messages_to("zalo-stopping") == []
        (reply,) = fake.messages_to("zalo-stopping")
        assert "(mã 1.001456)" in reply["text"]
    finally:
        fake.stop()
