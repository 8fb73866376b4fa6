"""Talk to the running assistant from a terminal, over the REST channel."""
from __future__ import annotations

import argparse
import uuid

import requests


def main() -> None:
    parser = argparse.ArgumentParser(description="Trò chuyện với trợ lý qua kênh REST")
    parser.add_argument("--port", type=int, default=5005)
    args = parser.parse_args()
    url = f"http://127.0.0.1:{args.port}/webhooks/rest/webhook"
    sender = f"terminal-{uuid.uuid4().hex[:8]}"
    print("Gõ câu hỏi (Ctrl-D để thoát).")
    while True:
        try:
            text = input("Bạn: ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if not text:
            continue
        try:
            replies = requests.post(url, json={"sender": sender, "message": text}, timeout=30).json()
        except requests.RequestException as exc:
            print(f"(Không kết nối được trợ lý: {type(exc).__name__})")
            continue
        for reply in replies:
            print("Trợ lý:", reply.get("text", ""))
            for button in reply.get("buttons") or []:
                print("   [", button.get("title"), "]")


if __name__ == "__main__":
    main()
