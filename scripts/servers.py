"""Start the action server and the Rasa server on free loopback ports.

Used by the end-to-end tests and the dialogue benchmark; `make run` uses
scripts/run.sh with the fixed ports instead. Both point Rasa at the action
server the same way: the project's endpoints.yml reads ACTION_SERVER_URL and
ACTION_SERVER_TOKEN. Every run gets its own tokens (RASA_API_TOKEN for the
HTTP API, ACTION_SERVER_TOKEN, REST_API_TOKEN for trusted REST callers such
as the tests and benchmarks) and CONVERSATION_SECRET, unless `env` gives them.
"""
from __future__ import annotations

import contextlib
import os
import secrets
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
    rasa_api_token: str = ""  # Rasa's HTTP API: ?token=...
    action_server_token: str = ""  # the action server: ?token=...
    rest_api_token: str = ""  # trusted REST caller: Authorization: Bearer ...

    @property
    def rest_headers(self) -> Dict[str, str]:
        """Headers of a trusted REST caller (any sender of its own, outside other channels' namespaces)."""
        return {"Authorization": f"Bearer {self.rest_api_token}"}

    def new_sender(self, channel: str = "rest") -> str:
        """A sender issued by the server for `channel` (rest or webchat), as a citizen's client gets one."""
        response = requests.post(f"{self.url}/webhooks/{channel}/conversations", timeout=30)
        response.raise_for_status()
        return response.json()["sender"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, processes: List[subprocess.Popen], timeout: float, params: Optional[dict] = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise ServerError(f"server exited early with code {process.returncode}")
        try:
            if requests.get(url, params=params, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise ServerError(f"{url} did not come up in {timeout} s")


@contextlib.contextmanager
def running_assistant(
    database_url: str, work: Path, model: Path = MODEL, env: Optional[Dict[str, str]] = None, timeout: float = 240.0,
    actions_package: str = "actions", debug: bool = False,
) -> Iterator[Assistant]:
    """Both servers over `database_url` (already migrated and imported); logs in `work`
    (actions.log, rasa.log).

    `actions_package` is the package the action server loads (tests load one
    that adds to the project's actions); `debug` runs both with debug logging.

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
        RASA_API_TOKEN=secrets.token_urlsafe(24),
        ACTION_SERVER_TOKEN=secrets.token_urlsafe(24),
        REST_API_TOKEN=secrets.token_urlsafe(24),
        CONVERSATION_SECRET=secrets.token_urlsafe(32),
    )
    environment.pop("SANIC_HOST", None)  # the action server's default: loopback
    environment.update(env or {})
    endpoints = PROJECT_ROOT / "endpoints.yml"
    logs = [open(work / "actions.log", "wb"), open(work / "rasa.log", "wb")]
    processes = [
        subprocess.Popen(
            [str(RASA), "run", "actions", "--actions", actions_package, "--port", str(actions_port)]
            + (["--debug"] if debug else []),
            cwd=PROJECT_ROOT, env=environment, stdout=logs[0], stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [str(RASA), "run", "--model", str(model), "--enable-api", f"--auth-token={environment['RASA_API_TOKEN']}",
             "--interface", "127.0.0.1", "--port", str(rasa_port), "--endpoints", str(endpoints),
             "--credentials", str(PROJECT_ROOT / "credentials.yml")] + (["--debug"] if debug else []),
            cwd=work, env=environment, stdout=logs[1], stderr=subprocess.STDOUT,
        ),
    ]
    try:
        try:
            _wait(f"http://127.0.0.1:{actions_port}/health", processes, timeout)
            _wait(f"http://127.0.0.1:{rasa_port}/status", processes, timeout,
                  params={"token": environment["RASA_API_TOKEN"]})
        except ServerError as exc:
            tails = [(work / name).read_text(errors="replace")[-2000:] for name in ("actions.log", "rasa.log")]
            raise ServerError(f"{exc}\n--- actions.log\n{tails[0]}\n--- rasa.log\n{tails[1]}") from None
        yield Assistant(
            url=f"http://127.0.0.1:{rasa_port}",
            actions_url=f"http://127.0.0.1:{actions_port}",
            rasa_pid=processes[1].pid,
            actions_pid=processes[0].pid,
            work=work,
            rasa_api_token=environment["RASA_API_TOKEN"],
            action_server_token=environment["ACTION_SERVER_TOKEN"],
            rest_api_token=environment["REST_API_TOKEN"],
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
