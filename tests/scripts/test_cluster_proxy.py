"""The cluster's nginx: only the public paths pass, a dead Rasa server's requests go to the next one.

Runs Debian's nginx (`make nginx`) with the configuration scripts/cluster.py
writes, in front of two stand-in servers: one that is down, one that answers.
"""
from __future__ import annotations

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


@pytest.fixture
def proxy(tmp_path):
    live = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=live.serve_forever, daemon=True).start()
    dead_port, port = free_port(), free_port()  # nothing listens on dead_port
    work = tmp_path / "nginx"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / sub).mkdir(parents=True)
    conf = work / "nginx.conf"
    conf.write_text(nginx_conf(work, tmp_path, port, free_port(), [dead_port, live.server_address[1]],
                               [live.server_address[1]]), encoding="utf-8")
    nginx = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(work), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            requests.get(f"http://127.0.0.1:{port}/health", timeout=1)
            break
        except requests.RequestException:
            assert nginx.poll() is None and time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    nginx.terminate()
    nginx.wait(timeout=10)
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
    port = free_port()
    work = tmp_path / "nginx"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / sub).mkdir(parents=True)
    conf = work / "nginx.conf"
    conf.write_text(nginx_conf(work, tmp_path, port, free_port(), [free_port(), free_port()], [free_port()],
                               "18001096"), encoding="utf-8")
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
        answer = requests.post(f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                               json={"sender": "a", "message": "b"}, timeout=20)
        assert answer.status_code == 503 and answer.headers["content-type"].startswith("application/json")
        message = answer.json()["error"]
        assert "thử lại sau ít phút" in message and "18001096" in message
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
