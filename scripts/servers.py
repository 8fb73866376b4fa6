"""Start the action server and the Rasa server on free loopback ports.

Used by the end-to-end tests and the dialogue benchmark; `make run` uses
scripts/run.sh with the fixed ports instead. Both point Rasa at the action
server the same way: the project's endpoints.yml reads ACTION_SERVER_URL.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import requests

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODEL = PROJECT_ROOT / "models" / "current.tar.gz"
RASA = Path(sys.executable).parent / "rasa"


class ServerError(RuntimeError):
    pass


@dataclass
class Assistant:
    url: str
    actions_url: str
    rasa_pid: int
    actions_pid: int
    work: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, processes: List[subprocess.Popen], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise ServerError(f"server exited early with code {process.returncode}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise ServerError(f"{url} did not come up in {timeout} s")


@contextlib.contextmanager
def running_assistant(
    database_url: str, work: Path, model: Path = MODEL, env: Optional[Dict[str, str]] = None, timeout: float = 240.0
) -> Iterator[Assistant]:
    """Both servers over `database_url` (already migrated and imported); logs in `work`.

    The servers run in development mode (APP_ENV=development: demo secrets
    accepted) unless `env` says otherwise; `env` is added last to the environment.
    The failure deadlines are generous (REPLY_TIMEOUT 30 s, ACTION_SERVER_TIMEOUT
    20 s) so that a busy test machine gets real answers; a test of those
    deadlines sets them in `env`.
    """
    if not model.exists():
        raise ServerError("No trained model: run `make model` (make test and make run do it for you).")
    environment = dict(os.environ)
    environment.update(
        DATABASE_URL=database_url,
        PYTHONPATH=str(PROJECT_ROOT),
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        APP_ENV="development",
        REPLY_TIMEOUT="30",
        ACTION_SERVER_TIMEOUT="20",
    )
    rasa_port, actions_port = free_port(), free_port()
    environment.update(
        RASA_PORT=str(rasa_port),
        ACTIONS_PORT=str(actions_port),
        ACTION_SERVER_URL=f"http://127.0.0.1:{actions_port}/webhook",
    )
    environment.update(env or {})
    endpoints = PROJECT_ROOT / "endpoints.yml"
    logs = [open(work / "actions.log", "wb"), open(work / "rasa.log", "wb")]
    processes = [
        subprocess.Popen(
            [str(RASA), "run", "actions", "--actions", "actions", "--port", str(actions_port)],
            cwd=PROJECT_ROOT, env={**environment, "SANIC_HOST": "127.0.0.1"},  # loopback only stdout=logs[0], stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [str(RASA), "run", "--model", str(model), "--enable-api", "--interface", "127.0.0.1",
             "--port", str(rasa_port), "--endpoints", str(endpoints),
             "--credentials", str(PROJECT_ROOT / "credentials.yml")],
            cwd=work, env=environment, stdout=logs[1], stderr=subprocess.STDOUT,
        ),
    ]
    try:
        try:
            _wait(f"http://127.0.0.1:{actions_port}/health", processes, timeout)
            _wait(f"http://127.0.0.1:{rasa_port}/status", processes, timeout)
        except ServerError as exc:
            tails = [(work / name).read_text(errors="replace")[-2000:] for name in ("actions.log", "rasa.log")]
            raise ServerError(f"{exc}\n--- actions.log\n{tails[0]}\n--- rasa.log\n{tails[1]}") from None
        yield Assistant(
            url=f"http://127.0.0.1:{rasa_port}",
            actions_url=f"http://127.0.0.1:{actions_port}",
            rasa_pid=processes[1].pid,
            actions_pid=processes[0].pid,
            work=work,
        )
    finally:
        # Rasa first, so that what it is still finishing can call the action server.
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()
