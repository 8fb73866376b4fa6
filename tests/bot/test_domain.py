"""The domain's responses and the actions that send them agree.

`rasa data validate` warns about every response that no rule or story uses,
which includes the fixed texts the custom actions send by name; it cannot
see the actions. This test checks both directions exactly: every response an
action sends exists in bot/domain, and every response in bot/domain is sent
by a rule, a story or an action (a typo in a name would otherwise send nothing).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import PROJECT_ROOT

# Every response name written in the actions' code: `response="utter_x"` or a table of names.
SENT_BY_ACTION_RE = re.compile(r"""["'](utter_[a-z0-9_]+)["']""")


def _yaml_files(folder: Path):
    return sorted(folder.rglob("*.yml"))


def _domain() -> dict:
    merged = {"responses": {}, "actions": []}
    for path in _yaml_files(PROJECT_ROOT / "bot" / "domain"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        merged["responses"].update(data.get("responses") or {})
        merged["actions"].extend(data.get("actions") or [])
    return merged


def _sent_by_actions() -> dict:
    sent = {}
    for path in sorted((PROJECT_ROOT / "actions").glob("*.py")):
        for name in SENT_BY_ACTION_RE.findall(path.read_text(encoding="utf-8")):
            sent.setdefault(name, path.name)
    return sent


def _used_in_rules_and_stories() -> set:
    used = set()
    for path in _yaml_files(PROJECT_ROOT / "bot" / "data") + _yaml_files(PROJECT_ROOT / "tests" / "stories"):
        used.update(re.findall(r"action:\s*(utter_[a-z0-9_]+)", path.read_text(encoding="utf-8")))
    return used


def test_every_response_an_action_sends_is_in_the_domain():
    responses = _domain()["responses"]
    missing = {name: where for name, where in _sent_by_actions().items() if name not in responses}
    assert missing == {}


def test_every_response_in_the_domain_is_sent_by_something():
    sent = set(_sent_by_actions()) | _used_in_rules_and_stories()
    assert sorted(set(_domain()["responses"]) - sent) == []


@pytest.mark.parametrize("name", sorted(_sent_by_actions()))
def test_responses_sent_by_actions_have_text(name):
    variants = _domain()["responses"][name]
    assert variants and all((variant.get("text") or "").strip() for variant in variants)
