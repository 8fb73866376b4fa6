"""Start the action server and the Rasa server on free loopback ports."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import CURATED_DIR, PROJECT_ROOT

MODEL = PROJECT_ROOT / "models" / "current.tar.gz"
RASA = Path(sys.executable).parent / "rasa"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, processes, timeout: float = 240.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"server exited early with code {process.returncode}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise RuntimeError(f"{url} did not come up in {timeout} s")


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    """Base URL of a running assistant over a fresh SQLite catalogue."""
    if not MODEL.exists():
        pytest.fail("No trained model: run `make model` (make test does it for you).")
    work = tmp_path_factory.mktemp("e2e")
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{work / 'catalogue.db'}",
        PYTHONPATH=str(PROJECT_ROOT),
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
    )
    subprocess.run(
        [sys.executable, "-m", "procedures_kb", "import", str(CURATED_DIR), "--no-progress"],
        cwd=PROJECT_ROOT, env=env, check=True, capture_output=True,
    )
    rasa_port, actions_port = _free_port(), _free_port()
    endpoints = work / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n')
    logs = [open(work / "actions.log", "wb"), open(work / "rasa.log", "wb")]
    processes = [
        subprocess.Popen(
            [str(RASA), "run", "actions", "--actions", "actions", "--port", str(actions_port)],
            cwd=PROJECT_ROOT, env=env, stdout=logs[0], stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [str(RASA), "run", "--model", str(MODEL), "--enable-api", "--interface", "127.0.0.1",
             "--port", str(rasa_port), "--endpoints", str(endpoints),
             "--credentials", str(PROJECT_ROOT / "credentials.yml")],
            cwd=work, env=env, stdout=logs[1], stderr=subprocess.STDOUT,
        ),
    ]
    try:
        _wait(f"http://127.0.0.1:{actions_port}/health", processes)
        _wait(f"http://127.0.0.1:{rasa_port}/status", processes)
        yield f"http://127.0.0.1:{rasa_port}"
    except RuntimeError as exc:
        tail = (work / "rasa.log").read_text(errors="replace")[-2000:]
        pytest.fail(f"{exc}\n{tail}")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()


@pytest.fixture
def say(assistant):
    def _say(message, sender="e2e-user"):
        response = requests.post(
            f"{assistant}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
        )
        assert response.status_code == 200, response.text[:500]
        return [reply.get("text", "") for reply in response.json()]

    return _say
