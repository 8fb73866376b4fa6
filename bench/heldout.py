"""The frozen held-out set of issue 12 and how a first reply is judged against it.

The set (tests/nlu/heldout/catalogue_questions.yml) was written by an
annotator who did not tune the assistant, then frozen: its SHA-256 is
FROZEN_SHA256 below, and `load_items` refuses a file that differs, so a
result always says which set it measured. Never train on it, never read it
while tuning.

An item is one conversation of 1–3 turns; every turn is labelled with the
intents it carries (two for a compound message), the procedure codes whose
answer would be right ([] when no procedure is meant), and `expect: ask`
when the right first reply is a question ("which one?") rather than an answer.

A reply is read the way a citizen reads it (`read_reply`): an answer starts
with its title and "(mã X.XXXXXX)" (procedures_kb.formatting.head); the
procedures offered are the codes of its buttons, in order.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import yaml

from procedures_kb.paths import PROJECT_ROOT

HELDOUT = PROJECT_ROOT / "tests" / "nlu" / "heldout" / "catalogue_questions.yml"
FROZEN_SHA256 = "e7fd7d1ac7a3f0e68f139c094ce55cd71c779f46a0dac512b85a0ceef5b507a5"  # frozen 2026-12-01

_HEAD_RE = re.compile(r"\(mã (\d\.\d{6})\)")
_PAYLOAD_CODE_RE = re.compile(r'"procedure_code"\s*:\s*"(\d\.\d{6})"')


class SetChanged(RuntimeError):
    """The held-out file is not the frozen one."""


@dataclass(frozen=True)
class Turn:
    text: str
    intents: List[str]
    codes: List[str]
    expect: str = "answer"  # "answer" or "ask"


@dataclass(frozen=True)
class Item:
    id: str
    tags: List[str]
    turns: List[Turn]


@dataclass
class Reply:
    """What the first reply to a turn did: answered one procedure, asked among some, or neither."""

    kind: str  # "answer", "ask" or "other"
    code: Optional[str] = None  # the procedure answered
    offered: List[str] = field(default_factory=list)  # codes of the buttons, in order, without `code`

    def ranked(self) -> List[str]:
        """The procedures the reply puts before the citizen, first the one it answered."""
        return ([self.code] if self.code else []) + self.offered


def sha256(path: Path = HELDOUT) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_items(path: Path = HELDOUT, frozen: Optional[str] = None) -> List[Item]:
    """The items of the set; raises SetChanged when the file's hash is not `frozen` (FROZEN_SHA256)."""
    expected = FROZEN_SHA256 if frozen is None else frozen
    if expected and sha256(path) != expected:
        raise SetChanged(f"{path} differs from the frozen held-out set (sha256 {expected[:12]}…)")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = []
    for raw in data["items"]:
        turns = [
            Turn(str(t["text"]), list(t.get("intents") or []), [str(c) for c in t.get("codes") or []],
                 str(t.get("expect") or raw.get("expect") or "answer"))
            for t in raw["turns"]
        ]
        items.append(Item(str(raw["id"]), list(raw.get("tags") or []), turns))
    return items


def read_reply(messages: Sequence[dict]) -> Reply:
    """Read the bot messages of one turn (Rasa REST output: text, buttons)."""
    answered: Optional[str] = None
    offered: List[str] = []
    asked = False
    for message in messages:
        text = str(message.get("text") or "")
        first_line = text.split("\n", 1)[0]
        match = _HEAD_RE.search(first_line)
        if match and answered is None:
            answered = match.group(1)
        if "thủ tục nào" in text and not match:
            asked = True
        for button in message.get("buttons") or []:
            for code in _PAYLOAD_CODE_RE.findall(str(button.get("payload") or "")):
                if code != answered and code not in offered:
                    offered.append(code)
    if answered:
        return Reply("answer", answered, offered)
    return Reply("ask" if asked and offered else "other", None, offered)


def judge(turn: Turn, reply: Reply) -> Dict[str, Optional[bool]]:
    """top1 / top3 (None for a turn that names no procedure) and wrong (an answer on a code not acceptable).

    top1: the reply answers an acceptable procedure, or, when the set expects a
    question, asks with an acceptable procedure among its first four options.
    top3: an acceptable procedure among the first three the reply shows.
    """
    acceptable = set(turn.codes)
    wrong = reply.kind == "answer" and reply.code not in acceptable
    if not acceptable:
        return {"top1": None, "top3": None, "wrong": wrong}
    if turn.expect == "ask":
        top1 = (reply.kind == "ask" and bool(acceptable & set(reply.offered[:4]))) or (
            reply.kind == "answer" and reply.code in acceptable)
    else:
        top1 = reply.kind == "answer" and reply.code in acceptable
    top3 = bool(acceptable & set(reply.ranked()[:3]))
    return {"top1": top1, "top3": top3, "wrong": wrong}


def judge_ranking(turn: Turn, codes: Sequence[str]) -> Dict[str, Optional[bool]]:
    """The same judgement for a plain ranking (a baseline that always answers its first hit)."""
    acceptable = set(turn.codes)
    if not acceptable:
        return {"top1": None, "top3": None, "wrong": None}
    return {"top1": bool(codes) and codes[0] in acceptable, "top3": bool(acceptable & set(codes[:3])),
            "wrong": bool(codes) and codes[0] not in acceptable}


def describe(reply: Reply) -> str:
    return json.dumps({"kind": reply.kind, "code": reply.code, "offered": reply.offered[:4]}, ensure_ascii=False)
