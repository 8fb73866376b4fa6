"""Scripted multi-turn conversations over REST, against the running servers."""
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.e2e

CONVERSATIONS = yaml.safe_load((Path(__file__).parent / "conversations.yml").read_text(encoding="utf-8"))


def test_there_are_at_least_fifty_conversations():
    assert len(CONVERSATIONS) >= 50
    assert len({c["name"] for c in CONVERSATIONS}) == len(CONVERSATIONS)


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=[c["name"] for c in CONVERSATIONS])
def test_conversation(post, conversation):
    sender = "e2e-" + str(abs(hash(conversation["name"])))
    replies = []
    for number, turn in enumerate(conversation["turns"], start=1):
        if "tap" in turn:
            offered = [b for r in replies for b in r.get("buttons") or []]
            chosen = [b for b in offered if b["title"].startswith(turn["tap"])]
            assert chosen, f"turn {number}: no button '{turn['tap']}' in {[b['title'] for b in offered]}"
            message = chosen[0]["payload"]
        elif "say_repeat" in turn:
            message = turn["say_repeat"]["text"] * turn["say_repeat"]["times"]
        else:
            message = turn["say"]
        replies = post(message, sender)
        assert replies, f"turn {number}: no reply to {message[:80]!r}"
        text = "\n".join(r.get("text") or "" for r in replies)
        for fragment in turn.get("expect", []):
            assert fragment in text, f"turn {number}: {fragment!r} not in reply:\n{text}"
        for fragment in turn.get("absent", []):
            assert fragment not in text, f"turn {number}: {fragment!r} in reply:\n{text}"
        titles = [b["title"] for r in replies for b in r.get("buttons") or []]
        for fragment in turn.get("buttons", []):
            assert any(t.startswith(fragment) for t in titles), f"turn {number}: no button {fragment!r} in {titles}"
        for reply in replies:
            assert len(reply.get("text") or "") <= 2000
            assert len(reply.get("buttons") or []) <= 5
