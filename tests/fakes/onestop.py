"""A fake one-stop look-up API on loopback, recording what it receives.

It serves dossiers from a dict in the field names of http_source.FIELD_MAP,
needs the bearer token, checks the last four phone digits for details, and
can be told to misbehave: "slow", "error", "garbage", "wrong_types".
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List
from urllib.parse import parse_qs, urlparse


class FakeOneStop:
    def __init__(self, dossiers: Dict[str, dict], digits: Dict[str, str], token: str = "secret"):
        self.dossiers = dossiers
        self.digits = digits
        self.token = token
        self.mode = "normal"
        self.requests: List[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                url = urlparse(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                fake.requests.append({"path": url.path, "params": params, "auth": self.headers.get("Authorization")})
                if fake.mode == "slow":
                    time.sleep(5)
                if fake.mode == "error":
                    return self._send(500, {"error": "internal"})
                if fake.mode == "garbage":
                    return self._raw(200, b"<html>Bao tri he thong</html>")
                if self.headers.get("Authorization") != f"Bearer {fake.token}":
                    return self._send(401, {"error": "unauthorized"})
                record = fake.dossiers.get(params.get("maHoSo", ""))
                if record is None:
                    return self._send(200, {"data": None})
                if fake.mode == "wrong_types":
                    return self._send(200, {"data": {**record, "trangThai": {"x": 1}}})
                if url.path.endswith("/chi-tiet"):
                    if params.get("soDienThoai4") != fake.digits.get(params["maHoSo"]):
                        return self._send(403, {"error": "xac minh that bai"})
                return self._send(200, {"data": record})

            def _send(self, status, body):
                self._raw(status, json.dumps(body, ensure_ascii=False).encode("utf-8"))

            def _raw(self, status, payload):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeOneStop":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
