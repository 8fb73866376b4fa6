"""Talk to the running assistant from a terminal, over the REST channel.

The server issues the conversation's sender first (POST /webhooks/rest/conversations),
as it does for every citizen's client. Buttons are numbered; type the number to tap one.
"""
from __future__ import annotations

import argparse
from typing import Dict, List

import requests


def show(replies: List[Dict]) -> List[Dict]:
    """Print the replies; the buttons offered, in the order they are numbered."""
    offered: List[Dict] = []
    for reply in replies:
        sender = "Cán bộ" if reply.get("from") == "officer" else "Trợ lý"
        print(f"{sender}:", reply.get("text", ""))
        for button in reply.get("buttons") or []:
            offered.append(button)
            print(f"   [{len(offered)}] {button.get('title')}")
    return offered


def main() -> None:
    parser = argparse.ArgumentParser(description="Trò chuyện với trợ lý qua kênh REST")
    parser.add_argument("--port", type=int, default=5005)
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}/webhooks/rest"
    url = f"{base}/webhook"
    try:
        sender = requests.post(f"{base}/conversations", timeout=30).json()["sender"]
    except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
        print(f"(Không kết nối được trợ lý: {type(exc).__name__})")
        raise SystemExit(1) from None
    print("Gõ câu hỏi; gõ số để chọn nút (Ctrl-D để thoát).")
    offered: List[Dict] = []
    while True:
        try:
            text = input("Bạn: ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if not text:
            continue
        if text.isdigit() and 1 <= int(text) <= len(offered):
            text = offered[int(text) - 1]["payload"]
        try:
            response = requests.post(url, json={"sender": sender, "message": text}, timeout=30)
            replies = response.json()
        except (requests.RequestException, ValueError) as exc:
            print(f"(Không kết nối được trợ lý: {type(exc).__name__})")
            continue
        if not response.ok:
            print(f"(Trợ lý từ chối tin nhắn: {replies.get('error') if isinstance(replies, dict) else response.status_code})")
            continue
        offered = show(replies)


if __name__ == "__main__":
    main()
