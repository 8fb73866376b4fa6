"""A fake Zalo OA API on loopback that records what it receives.

It behaves like the parts of Zalo the channel uses, including what Zalo
refuses, so a test can tell that nothing refusable was sent:

- POST /v3.0/oa/message/cs: needs the `access_token` header; a token that is
  not the current one gets error -216 (expired), or `expired_code` (Zalo
  also answers -220 for it); `rate_limit = n` answers the next n messages
  with -32 (rate limit); `refuse_users[user_id] = code` refuses every message
  to that user for good (e.g. -213 not a follower); a text over 2,000
  characters, an empty text, more than 5 buttons or a button that is not
  `oa.query.hide` with a title and payload gets error -201 and is recorded
  in `refused`;
- POST /v4/oa/access_token: needs the app's `secret_key` header and the
  current refresh token (single use), issues a new pair;
- `outage = n` answers the next n calls with 503; `down = True` answers all.

`sign()` builds a signed webhook event the way Zalo does.

To try the Zalo channel without an OA: `python -m tests.fakes.zalo_api --port 8070`
prints the settings to export and then every message the assistant sends.
"""
from __future__ import annotations

import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import parse_qs

APP_ID = "4310012345678901234"
OA_SECRET = "oa-secret-for-tests"
APP_SECRET = "app-secret-for-tests"
FIRST_ACCESS = "access-0"
FIRST_REFRESH = "refresh-0"


class FakeZalo:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)  # notified on every accepted message
        self.reset()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                with fake.lock:
                    if fake.down or fake.outage > 0:
                        fake.outage = max(0, fake.outage - 1)
                        fake.failed_calls += 1
                        return self._send(503, {"error": "service unavailable"})
                if self.path == "/v3.0/oa/message/cs":
                    time.sleep(fake.delay)
                    return self._send(200, fake._message(self.headers.get("access_token"), raw))
                if self.path == "/v4/oa/access_token":
                    form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8")).items()}
                    return self._send(200, fake._refresh(self.headers.get("secret_key"), form))
                return self._send(404, {"error": "not found"})

            def _send(self, status: int, body: dict) -> None:
                payload = json.dumps(body).encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def reset(self) -> None:
        with self.lock:
            self.sent: List[Dict[str, Any]] = []  # accepted messages: user_id, message, token
            self.refused: List[Dict[str, Any]] = []  # messages Zalo would refuse
            self.refreshes: List[Dict[str, str]] = []
            self.current_access = FIRST_ACCESS
            self.current_refresh = FIRST_REFRESH
            self.issued = 0
            self.outage = 0
            self.down = False
            self.failed_calls = 0
            self.delay = 0.0
            self.expired_code = -216
            self.rate_limit = 0
            self.refuse_users: Dict[str, int] = {}
            self.calls = 0  # every call to the message API, answered or refused

    def clear(self) -> None:
        """Forget what was received; keep the tokens (the assistant holds them)."""
        with self.lock:
            self.sent, self.refused, self.refreshes = [], [], []
            self.outage, self.down, self.failed_calls, self.delay = 0, False, 0, 0.0
            self.expired_code, self.rate_limit, self.refuse_users, self.calls = -216, 0, {}, 0

    def start(self) -> "FakeZalo":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- behaviour ---------------------------------------------------------------
    def _message(self, token: Optional[str], raw: bytes) -> dict:
        try:
            body = json.loads(raw)
        except ValueError:
            return {"error": -201, "message": "invalid json"}
        with self.lock:
            self.calls += 1
            if token != self.current_access:
                return {"error": self.expired_code, "message": "Access token is invalid or expired"}
            if self.rate_limit > 0:
                self.rate_limit -= 1
                return {"error": -32, "message": "Exceeded the request limit"}
            user_id = (body.get("recipient") or {}).get("user_id") if isinstance(body, dict) else None
            if user_id in self.refuse_users:
                return {"error": self.refuse_users[user_id], "message": "User has not followed the OA"}
            problem = _problem(body)
            if problem:
                self.refused.append({"body": body, "problem": problem})
                return {"error": -201, "message": problem}
            self.sent.append({"user_id": body["recipient"]["user_id"], "message": body["message"], "token": token,
                              "received_at": time.perf_counter()})
            self.arrived.notify_all()
            return {"error": 0, "message": "Success", "data": {"message_id": f"m{len(self.sent)}"}}

    def _refresh(self, secret: Optional[str], form: Dict[str, str]) -> dict:
        with self.lock:
            self.refreshes.append(dict(form))
            if secret != APP_SECRET or form.get("app_id") != APP_ID or form.get("grant_type") != "refresh_token":
                return {"error": -14014, "message": "invalid app"}
            if form.get("refresh_token") != self.current_refresh:
                return {"error": -14020, "message": "invalid refresh token"}
            self.issued += 1
            self.current_access = f"access-{self.issued}"
            self.current_refresh = f"refresh-{self.issued}"
            return {"access_token": self.current_access, "refresh_token": self.current_refresh, "expires_in": "90000"}

    def expire_access_token(self) -> None:
        """The token the assistant holds stops working, as after 25 hours."""
        with self.lock:
            self.current_access = "expired-by-zalo"

    # --- reading what was sent ------------------------------------------------------
    def messages_to(self, user_id: str) -> List[Dict[str, Any]]:
        with self.lock:
            return [item["message"] for item in self.sent if item["user_id"] == user_id]

    def first_arrival(self, user_id: str, timeout: float = 30.0) -> Optional[float]:
        """perf_counter() time at which the first message for the user arrived, waiting for it."""
        def first():
            return next((item["received_at"] for item in self.sent if item["user_id"] == user_id), None)

        with self.arrived:
            self.arrived.wait_for(lambda: first() is not None, timeout)
            return first()

    def wait_for(self, condition: Callable[[], bool], timeout: float = 60.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.1)
        return condition()

    def wait_messages(self, user_id: str, count: int = 1, timeout: float = 60.0, quiet: float = 1.0):
        """At least `count` messages for the user, after `quiet` seconds without new ones."""
        self.wait_for(lambda: len(self.messages_to(user_id)) >= count, timeout)
        seen, still = len(self.messages_to(user_id)), time.monotonic()
        while time.monotonic() - still < quiet:
            time.sleep(0.1)
            if len(self.messages_to(user_id)) != seen:
                seen, still = len(self.messages_to(user_id)), time.monotonic()
        return self.messages_to(user_id)


def _problem(body: Any) -> Optional[str]:
    if not isinstance(body, dict) or not isinstance(body.get("recipient"), dict):
        return "no recipient"
    if not body["recipient"].get("user_id"):
        return "no user_id"
    message = body.get("message")
    if not isinstance(message, dict):
        return "no message"
    text = message.get("text")
    if not isinstance(text, str) or not text.strip():
        return "empty text"
    if len(text) > 2000:
        return "text over 2000 characters"
    attachment = message.get("attachment")
    if attachment is not None:
        buttons = (attachment.get("payload") or {}).get("buttons")
        if attachment.get("type") != "template" or not isinstance(buttons, list) or not buttons:
            return "bad attachment"
        if len(buttons) > 5:
            return "more than 5 buttons"
        for button in buttons:
            if button.get("type") != "oa.query.hide" or not button.get("title") or not button.get("payload"):
                return "bad button"
            if len(button["title"]) > 100:
                return "button title too long"
    return None


def event(user_id: str, text: Optional[str] = None, name: str = "user_send_text", msg_id: Optional[str] = None,
          timestamp: Optional[int] = None, app_id: str = APP_ID) -> Dict[str, Any]:
    body: Dict[str, Any] = {
        "event_name": name,
        "app_id": app_id,
        "sender": {"id": user_id},
        "recipient": {"id": "oa-579745863508352884"},
        "timestamp": str(timestamp if timestamp is not None else int(time.time() * 1000)),
    }
    message: Dict[str, Any] = {"msg_id": msg_id or f"msg-{time.time_ns()}"}
    if text is not None:
        message["text"] = text
    if name == "user_send_sticker":
        message["attachments"] = [{"type": "sticker", "payload": {"id": "bfe458bf64fa8da4d4eb", "url": "https://zalo.me/s"}}]
    if name == "user_send_image":
        message["attachments"] = [{"type": "image", "payload": {"url": "https://photo.zalo.me/x.jpg"}}]
    body["message"] = message
    return body


def sign(body: Dict[str, Any], secret: str = OA_SECRET) -> Tuple[bytes, Dict[str, str]]:
    """The raw body and headers Zalo would send for this event."""
    raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
    digest = hashlib.sha256(
        body["app_id"].encode() + raw + str(body["timestamp"]).encode() + secret.encode()
    ).hexdigest()
    return raw, {"Content-Type": "application/json", "X-ZEvent-Signature": f"mac={digest}"}


def environment(fake: FakeZalo) -> Dict[str, str]:
    """What the assistant's process needs to talk to this fake."""
    return {
        "ZALO_APP_ID": APP_ID,
        "ZALO_OA_SECRET_KEY": OA_SECRET,
        "ZALO_APP_SECRET_KEY": APP_SECRET,
        "ZALO_ACCESS_TOKEN": FIRST_ACCESS,
        "ZALO_REFRESH_TOKEN": FIRST_REFRESH,
        "ZALO_API_URL": fake.url,
        "ZALO_OAUTH_URL": fake.url,
        "ZALO_TIMEOUT": "5",
    }


def main() -> None:
    """Serve the fake on a fixed port and print what the assistant sends (to try the channel locally)."""
    import argparse

    parser = argparse.ArgumentParser(description="Fake Zalo OA API for trying the Zalo channel locally.")
    parser.add_argument("--port", type=int, default=8070)
    port = parser.parse_args().port
    fake = FakeZalo()
    fake.server.server_close()
    fake.server = ThreadingHTTPServer(("127.0.0.1", port), fake.server.RequestHandlerClass)
    fake.url = f"http://127.0.0.1:{port}"
    print(f"Fake Zalo API on {fake.url}; start the assistant with:")
    for key, value in environment(fake).items():
        print(f"  export {key}={value}", flush=True)
    fake.thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    fake.start()
    shown = 0
    try:
        while True:
            time.sleep(0.3)
            with fake.lock:
                new, shown = fake.sent[shown:], len(fake.sent)
            for item in new:
                message = item["message"]
                print(f"\n-> {item['user_id']}:\n{message['text']}", flush=True)
                for button in (message.get("attachment") or {}).get("payload", {}).get("buttons", []):
                    print(f"   [{button['title']}]  payload: {button['payload']}", flush=True)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
