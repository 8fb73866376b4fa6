"""`make run` (scripts/run.sh) keeps the assistant up: a killed action server is started again.

The fault: run.sh stopped everything when one server ended, so a crash of
the action server (or the OOM killer) silenced the assistant until someone
restarted it by hand. Now each server runs under a supervisor: killing the
action server with SIGKILL leaves Rasa running, a new action server answers
within seconds, and the next question gets an answer from it.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
import requests

from scripts.servers import free_port
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.e2e

READY = "Trợ lý đã sẵn sàng"


def _pids(pattern: str) -> set:
    found = subprocess.run(["pgrep", "-f", "--", pattern], capture_output=True, text=True).stdout.split()
    return {int(pid) for pid in found}


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


def _healthy(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def test_make_run_starts_a_killed_action_server_again(e2e_database, tmp_path):
    _, database_url = e2e_database
    rasa_port, actions_port = free_port(), free_port()
    env = {key: value for key, value in os.environ.items()
           if key not in {"ACTION_SERVER_URL", "SANIC_HOST", "APP_ENV"}}
    env.update(DATABASE_URL=database_url, RASA_PORT=str(rasa_port), ACTIONS_PORT=str(actions_port),
               REPLY_TIMEOUT="30", ACTION_SERVER_TIMEOUT="20")
    output = open(tmp_path / "run.out", "w+", encoding="utf-8")
    script = subprocess.Popen(["bash", "scripts/run.sh"], cwd=PROJECT_ROOT, env=env, stdout=output,
                              stderr=subprocess.STDOUT, start_new_session=True)
    actions_pattern = f"rasa run actions --actions actions --port {actions_port}"
    rasa_pattern = f"--port {rasa_port} --endpoints"
    try:
        _wait(lambda: READY in (tmp_path / "run.out").read_text(encoding="utf-8") or script.poll() is not None,
              300, "make run to be ready")
        assert script.poll() is None, (tmp_path / "run.out").read_text(encoding="utf-8")[-2000:]
        first, rasa = _pids(actions_pattern), _pids(rasa_pattern)
        assert len(first) == 1 and len(rasa) == 1

        os.kill(first.pop(), signal.SIGKILL)
        _wait(lambda: _pids(actions_pattern) and _healthy(f"http://127.0.0.1:{actions_port}/health"), 120,
              "a new action server")
        assert _pids(rasa_pattern) == rasa and script.poll() is None  # Rasa and make run went on

        base = f"http://127.0.0.1:{rasa_port}/webhooks/rest"
        sender = requests.post(f"{base}/conversations", timeout=10).json()["sender"]
        replies = requests.post(f"{base}/webhook", json={"sender": sender, "message": "đăng ký khai sinh cần giấy tờ gì"},
                                timeout=60).json()
        text = "\n".join(r.get("text") or "" for r in replies)
        assert "1.001193" in text and "sự cố" not in text  # answered by the new action server
        assert "đang khởi động lại" in (tmp_path / "run.out").read_text(encoding="utf-8")
        _wait(lambda: "máy chủ actions đã chạy lại." in (tmp_path / "run.out").read_text(encoding="utf-8"), 30,
              "make run to say the action server answers again")
    finally:
        os.kill(script.pid, signal.SIGTERM)  # as an operator stops it (Ctrl-C is handled the same way)
        try:
            script.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(script.pid, signal.SIGKILL)
        output.close()
    _wait(lambda: not _pids(actions_pattern) and not _pids(rasa_pattern), 30, "both servers to stop")
    said = (tmp_path / "run.out").read_text(encoding="utf-8")
    assert script.returncode == 0 and "Đã dừng." in said  # a clean stop, not "make: *** Error"
    assert "Killed" not in said  # no shell job-control noise in the operator's terminal
