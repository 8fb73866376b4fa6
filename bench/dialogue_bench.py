"""REST turn latency with the whole national catalogue, and answers checked against it.

For each backend (SQLite, PostgreSQL) a fresh database gets the curated and
the national catalogue, both servers start over it, and conversations from
the labelled retrieval questions are played over REST: the question, then
"còn lệ phí thì sao?" and "mất bao lâu?". Every turn goes through the NLU,
the policies, the action server, the search index and the database.

Baseline, measured in the same run against the same servers: a small-talk
turn ("xin chào") that Rasa answers from the domain without the action
server or the database. The ratio says what the catalogue path adds.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Dict, List

import requests
import yaml

from bench.catalogue_bench import QUESTIONS, _percentile
from bench.databases import with_postgres
from procedures_kb.importer import import_path
from procedures_kb.paths import CURATED_DIR
from procedures_kb.service import ProcedureService
from scripts.servers import Assistant, running_assistant
from storage import migrate
from storage.engine import make_engine, make_session_factory
from tests.actions import answer_check

FOLLOW_UPS = ["còn lệ phí thì sao?", "mất bao lâu?"]
TARGET_P95_MS = 100.0


def _prepare(url: str, national: Path) -> None:
    engine = make_engine(url)
    migrate.upgrade(engine)
    with make_session_factory(engine)() as session:
        import_path(session, CURATED_DIR)
        import_path(session, national)
    engine.dispose()


def _turn(assistant: Assistant, sender: str, message: str) -> (float, List[dict]):
    """One REST turn as a trusted integration (REST_API_TOKEN: senders of its own); ms and replies."""
    started = time.perf_counter()
    response = requests.post(f"{assistant.url}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                             headers=assistant.rest_headers, timeout=30)
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed, response.json()


def _summary(values: List[float]) -> Dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": round(_percentile(values, 50), 1),
        "p95_ms": round(_percentile(values, 95), 1),
        "max_ms": round(max(values), 1),
    }


def _measure(assistant: Assistant, questions: List[dict], tag: str) -> Dict[str, object]:
    for i in range(10):  # warm-up: first parses and first queries are slower
        _turn(assistant, f"warm-{tag}-{i}", questions[i % len(questions)]["question"])
        _turn(assistant, f"warm-{tag}-{i}", "xin chào")
    procedure_turns: List[float] = []
    small_talk: List[float] = []
    named = 0
    for number, item in enumerate(questions):
        sender = f"bench-{tag}-{number}"
        elapsed, replies = _turn(assistant, sender, item["question"])
        procedure_turns.append(elapsed)
        text = "\n".join(r.get("text") or "" for r in replies)
        named += f"(mã {item['code']})" in text
        for follow_up in FOLLOW_UPS:
            procedure_turns.append(_turn(assistant, sender, follow_up)[0])
        small_talk.append(_turn(assistant, f"{sender}-hello", "xin chào")[0])
    ours, baseline = _summary(procedure_turns), _summary(small_talk)
    return {
        "procedure_turns": ours,
        "small_talk_baseline": baseline,
        "p95_ratio_to_baseline": round(ours["p95_ms"] / baseline["p95_ms"], 2),
        "first_answer_names_expected_code": round(named / len(questions), 3),
        "target_p95_100ms_met": ours["p95_ms"] <= TARGET_P95_MS,
    }


def run(national: Path) -> Dict[str, object]:
    questions = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]
    results: Dict[str, object] = {"questions": len(questions), "turns_per_question": 1 + len(FOLLOW_UPS)}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)

        def measure(url: str, tag: str) -> Dict[str, object]:
            _prepare(url, national)
            folder = work / tag
            folder.mkdir()
            with running_assistant(url, folder) as assistant:
                return _measure(assistant, questions, tag)

        sqlite_url = f"sqlite:///{work / 'dialogue.db'}"
        results["sqlite"] = measure(sqlite_url, "sqlite")
        results["postgresql"] = with_postgres("tthc_dialogue", lambda url: measure(url, "postgresql"))

        service = ProcedureService.from_url(sqlite_url)
        checks = answer_check.run(service, national, size=30)
        service.engine.dispose()
    results["answer_check"] = {
        "procedures": len(checks),
        "matching": sum(c.ok for c in checks),
        "match_rate": round(sum(c.ok for c in checks) / len(checks), 3),
        "fees_checked": sum(len(c.expected_fees) for c in checks),
        "times_checked": sum(len(c.expected_times) for c in checks),
        "documents_checked": sum(c.expected_documents for c in checks),
        "mismatches": {c.code: c.problems for c in checks if not c.ok},
        "sample_seed": answer_check.SAMPLE_SEED,
    }
    return results


def markdown(results: Dict[str, object]) -> str:
    lines = [
        f"# Dialogue: REST turns over the national catalogue ({results['measured_at']})",
        "",
        f"Machine: {results['machine']}. {results['questions']} labelled questions × "
        f"{results['turns_per_question']} turns (question, \"còn lệ phí thì sao?\", \"mất bao lâu?\") per backend.",
        "Baseline (same run, same servers): a small-talk turn answered from the domain, no action server, no database.",
        "",
        "| backend | turns | p50 ms | p95 ms | max ms | baseline p50 ms | baseline p95 ms | p95 ratio | p95 ≤ 100 ms | first answer names the expected code |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for backend in ("sqlite", "postgresql"):
        figures = results[backend]
        if "error" in figures:
            lines.append(f"| {backend} | {figures['error']} | | | | | | | | |")
            continue
        ours, base = figures["procedure_turns"], figures["small_talk_baseline"]
        lines.append(
            f"| {backend} | {ours['n']} | {ours['p50_ms']} | {ours['p95_ms']} | {ours['max_ms']} | "
            f"{base['p50_ms']} | {base['p95_ms']} | {figures['p95_ratio_to_baseline']}× | "
            f"{'yes' if figures['target_p95_100ms_met'] else 'NO'} | {figures['first_answer_names_expected_code']} |"
        )
    check = results["answer_check"]
    lines += [
        "",
        f"## Answers checked against the raw national records (sample of {check['procedures']}, seed {check['sample_seed']})",
        "",
        f"Matching: {check['matching']}/{check['procedures']} ({check['match_rate'] * 100:.0f} %); "
        f"checked {check['fees_checked']} fee amounts, {check['times_checked']} processing times, "
        f"{check['documents_checked']} documents.",
        "",
    ]
    for code, problems in check["mismatches"].items():
        lines.append(f"- {code}: {'; '.join(problems)}")
    return "\n".join(lines) + "\n"
