"""The cluster's nginx: only the public paths pass, a dead Rasa server's requests go to the next one.

Runs Debian's nginx (`make nginx`) with the configuration scripts/cluster.py
writes, in front of two stand-in servers: one that is down, one that answers.
"""
from __future__ import annotations

import contextlib
import http.server
import shutil
import subprocess
import threading
import time

import pytest
import requests

from scripts.cluster import NGINX, nginx_conf
from scripts.servers import free_port

pytestmark = pytest.mark.skipif(not shutil.which("nginx") and not shutil.which(NGINX), reason="nginx not installed")


class _Echo(http.server.BaseHTTPRequestHandler):
    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = f"{self.path}|{self.headers.get('X-Forwarded-For', '')}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def _nginx(tmp_path, rasa_ports, action_ports, hotline="1900 1234"):
    """nginx with scripts/cluster.py's configuration in front of `rasa_ports`; yields its base URL."""
    port = free_port()
    work = tmp_path / "nginx"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / sub).mkdir(parents=True)
    conf = work / "nginx.conf"
    conf.write_text(nginx_conf(work, tmp_path, port, free_port(), rasa_ports, action_ports, hotline),
                    encoding="utf-8")
    nginx = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(work), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                requests.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except requests.RequestException:
                assert nginx.poll() is None and time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)


@pytest.fixture
def proxy(tmp_path):
    live = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=live.serve_forever, daemon=True).start()
    dead_port = free_port()  # nothing listens on it
    with _nginx(tmp_path, [dead_port, live.server_address[1]], [live.server_address[1]]) as url:
        yield url
    live.shutdown()


def test_citizens_requests_reach_a_live_server_even_when_one_is_down(proxy):
    for _ in range(4):  # least_conn tries both; the dead one's requests are passed on, POSTs included
        answer = requests.post(f"{proxy}/webhooks/rest/webhook", json={"sender": "a", "message": "b"}, timeout=10)
        assert answer.status_code == 200 and answer.text.startswith("/webhooks/rest/webhook|127.0.0.1")


def test_only_the_public_paths_pass(proxy):
    assert requests.get(f"{proxy}/webhooks/webchat/", timeout=10).status_code == 200
    for path in ("/webhooks/ops/loop", "/conversations/a/tracker", "/model", "/status", "/"):
        assert requests.get(f"{proxy}{path}", timeout=10).status_code == 404, path
        assert requests.get(f"{proxy}{path}", timeout=10).json() == {"error": "Không tìm thấy."}, path


def test_with_every_rasa_server_down_citizens_get_a_vietnamese_503_with_the_hotline(tmp_path):
    """The fault (second new-user check): nginx's English "502 Bad Gateway" page while every Rasa
    server was restarting."""
    with _nginx(tmp_path, [free_port(), free_port()], [free_port()], "18001096") as url:
        answer = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": "a", "message": "b"}, timeout=20)
    assert answer.status_code == 503 and answer.headers["content-type"].startswith("application/json")
    message = answer.json()["error"]
    assert "thử lại sau ít phút" in message and "18001096" in message


def test_a_busy_port_is_named_before_anything_starts(tmp_path):
    """The fault (third new-user check): a second cluster on a busy port said "ready" (the old nginx
    answered its health check), then stopped."""
    import socket

    from scripts.cluster import ServerError, running_cluster

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(ServerError, match=f"Cổng {busy.getsockname()[1]} đang bận"):
            # No model is needed: the port is checked first (unit tests run before training).
            with running_cluster(port=busy.getsockname()[1], logs=tmp_path, model=tmp_path / "no-model.tar.gz"):
                pass


def test_servers_die_with_a_killed_watcher(tmp_path):
    """The fault (third new-user check): `kill -9` of the cluster's watcher left every server running
    with no watchdog. Its children get SIGTERM when it dies (PR_SET_PDEATHSIG)."""
    import os
    import signal
    import sys

    watcher = subprocess.Popen(
        [sys.executable, "-c",
         "import subprocess, sys, time\n"
         "from scripts.cluster import _die_with_parent_hook\n"
         "child = subprocess.Popen(['sleep', '120'], start_new_session=True, preexec_fn=_die_with_parent_hook())\n"
         "print(child.pid, flush=True)\n"
         "time.sleep(120)\n"],
        stdout=subprocess.PIPE, text=True)
    child = int(watcher.stdout.readline())
    os.kill(watcher.pid, signal.SIGKILL)
    watcher.wait(timeout=10)
    deadline = time.monotonic() + 10
    while True:
        try:
            os.kill(child, 0)
            with open(f"/proc/{child}/stat") as stat:  # a zombie waiting for init counts as gone
                if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                    break
        except (ProcessLookupError, FileNotFoundError):
            break
        assert time.monotonic() < deadline, "the server outlived its watcher"
        time.sleep(0.1)
