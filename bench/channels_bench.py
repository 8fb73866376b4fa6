"""Channel overhead: a Zalo event answered in the background vs the same question over REST.

For each backend (SQLite, PostgreSQL) a fresh database gets the curated and
the national catalogue, both servers start over it with the Zalo channel
pointed at the fake Zalo API on loopback, and each labelled retrieval
question is asked twice, by two new users:

- REST (the baseline, same run, same servers): POST /webhooks/rest/webhook
  until the reply is back;
- Zalo: a signed `user_send_text` event to /webhooks/zalo/webhook. Measured:
  the webhook's acknowledgement (what Zalo waits for), and the time until the
  first message of the answer reaches the fake Zalo API.

Ratios to the REST baseline say what the channel adds (signature check,
de-duplication write, background processing, the HTTP call to Zalo) and how
much sooner Zalo gets its 200 than a full turn would take.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Dict, List

import requests
import yaml

from bench.catalogue_bench import QUESTIONS
from bench.databases import with_postgres
from bench.dialogue_bench import _prepare, _summary
from scripts.servers import Assistant, running_assistant
from tests.fakes import zalo_api as fake_zalo

WARM_UP = 10


def _zalo_turn(base: str, fake: fake_zalo.FakeZalo, user: str, question: str) -> (float, float, str):
    raw, headers = fake_zalo.sign(fake_zalo.event(user, question))
    started = time.perf_counter()
    response = requests.post(f"{base}/webhooks/zalo/webhook", data=raw, headers=headers, timeout=30)
    acknowledged = time.perf_counter()
    response.raise_for_status()
    if response.json().get("status") != "accepted":
        raise RuntimeError(f"event not accepted: {response.text}")
    arrived = fake.first_arrival(user)
    if arrived is None:
        raise RuntimeError("no reply reached the fake Zalo API")
    return (acknowledged - started) * 1000, (arrived - started) * 1000, fake.messages_to(user)[0]["text"]


def _rest_turn(assistant: Assistant, sender: str, question: str) -> (float, str):
    """One REST turn as a trusted integration (REST_API_TOKEN); ms and the first reply's text."""
    started = time.perf_counter()
    response = requests.post(f"{assistant.url}/webhooks/rest/webhook", json={"sender": sender, "message": question},
                             headers=assistant.rest_headers, timeout=30)
    response.raise_for_status()
    elapsed = (time.perf_counter() - started) * 1000
    if not response.json():
        raise RuntimeError("REST turn without a reply")
    return elapsed, response.json()[0].get("text") or ""


def _measure(assistant: Assistant, fake: fake_zalo.FakeZalo, questions: List[str], tag: str) -> Dict[str, object]:
    base = assistant.url
    for n in range(WARM_UP):
        _rest_turn(assistant, f"warm-rest-{tag}-{n}", questions[n])
        _zalo_turn(base, fake, f"warm-zalo-{tag}-{n}", questions[n])
    rest: List[float] = []
    ack: List[float] = []
    delivered: List[float] = []
    named = {"rest": 0, "zalo": 0}  # first reply names a procedure code: the answer is real
    for n, question in enumerate(questions):
        elapsed, text = _rest_turn(assistant, f"rest-{tag}-{n}", question)
        rest.append(elapsed)
        named["rest"] += "(mã " in text
        a, d, text = _zalo_turn(base, fake, f"zalo-{tag}-{n}", question)
        ack.append(a)
        delivered.append(d)
        named["zalo"] += "(mã " in text
    rest_s, ack_s, delivered_s = _summary(rest), _summary(ack), _summary(delivered)
    return {
        "rest_turn_baseline": rest_s,
        "zalo_webhook_ack": ack_s,
        "zalo_first_reply_delivered": delivered_s,
        "ack_p95_ratio_to_rest": round(ack_s["p95_ms"] / rest_s["p95_ms"], 2),
        "delivered_p95_ratio_to_rest": round(delivered_s["p95_ms"] / rest_s["p95_ms"], 2),
        "refused_by_fake_zalo": len(fake.refused),
        "first_reply_names_a_code": named,
    }


def run(national: Path) -> Dict[str, object]:
    questions = [q["question"] for q in yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]]
    results: Dict[str, object] = {"questions": len(questions)}
    fake = fake_zalo.FakeZalo().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)

            def measure(url: str, tag: str) -> Dict[str, object]:
                _prepare(url, national)
                folder = work / tag
                folder.mkdir()
                with running_assistant(url, folder, env=fake_zalo.environment(fake)) as assistant:
                    return _measure(assistant, fake, questions, tag)

            results["sqlite"] = measure(f"sqlite:///{work / 'channels.db'}", "sqlite")
            results["postgresql"] = with_postgres("tthc_channels", lambda url: measure(url, "postgresql"))
    finally:
        fake.stop()
    return results


def markdown(results: Dict[str, object]) -> str:
    lines = [
        f"# Channels: Zalo webhook vs REST over the national catalogue ({results['measured_at']})",
        "",
        f"Machine: {results['machine']}. {results['questions']} labelled questions per backend, each asked by a new "
        "user over REST (baseline, same run, same servers) and as a signed Zalo event; replies go to the fake "
        "Zalo API on loopback.",
        "",
        "| backend | REST turn p50 / p95 ms | Zalo ack p50 / p95 ms | ack p95 ÷ REST p95 | "
        "Zalo first reply delivered p50 / p95 ms | delivered p95 ÷ REST p95 | messages the fake refused | "
        "first reply names a code (REST / Zalo) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for backend in ("sqlite", "postgresql"):
        figures = results[backend]
        if "error" in figures:
            lines.append(f"| {backend} | {figures['error']} | | | | | | |")
            continue
        rest, ack, sent = (figures["rest_turn_baseline"], figures["zalo_webhook_ack"],
                           figures["zalo_first_reply_delivered"])
        lines.append(
            f"| {backend} | {rest['p50_ms']} / {rest['p95_ms']} | {ack['p50_ms']} / {ack['p95_ms']} | "
            f"{figures['ack_p95_ratio_to_rest']}× | {sent['p50_ms']} / {sent['p95_ms']} | "
            f"{figures['delivered_p95_ratio_to_rest']}× | {figures['refused_by_fake_zalo']} | "
            f"{figures['first_reply_names_a_code']['rest']} / {figures['first_reply_names_a_code']['zalo']} |"
        )
    lines += [
        "",
        "Ack: until Zalo gets its 200 (signature, app id, age, de-duplication insert). Delivered: from the event's "
        "POST until the first part of the answer reaches the Zalo API. The REST turn also reads the officer-reply "
        "queue before answering; the Zalo path reads it after sending.",
    ]
    return "\n".join(lines) + "\n"
