"""Issue 12's measure: the frozen held-out set played against the whole assistant, with baselines.

With the curated and the whole national catalogue imported (a fresh SQLite
database), both servers start on the trained model (models/current.tar.gz)
and every held-out conversation is played over REST, turn by turn, in a
conversation of its own; every turn is also parsed by /model/parse. Reported
per tag (bench/results/heldout.json, .md):

- intent accuracy: the parsed intent is one of the turn's labels;
- first-reply top-1, top-3 and confidently-wrong rate (bench.heldout.judge);
- "answered a procedure when none was meant" (English, office hours ...);
- /model/parse and REST turn latency p50 / p95 (ms);

and, measured in the same run on the same turns, without context:
- BM25 over the official names (rank_bm25.BM25Okapi, folded words): its first hit as the answer;
- Rasa's default pipeline (bench/baseline_config.yml) trained on the same data:
  its intent, and the catalogue search over its procedure mention (or the text).

Targets (issue 12): formal top-1 ≥ BM25 + 5 points; messy top-1 ≥ 0.92; top-3
≥ 0.98; confidently wrong ≤ 2%; intent ≥ 0.95 on every tag; parse p95 ≤ 30 ms
and REST turn p95 ≤ 100 ms.
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

import requests

from bench import heldout, nlu_models
from bench.heldout import Item
from procedures_kb.importer import import_path
from procedures_kb.paths import CURATED_DIR, PROJECT_ROOT
from procedures_kb.search import SearchIndex
from storage import migrate
from storage.engine import make_engine, make_session_factory
from vietnamese.folding import fold, fold_words

NATIONAL = PROJECT_ROOT.parent / "shared" / "catalogue" / "national_catalogue.jsonl.gz"
RESULTS = PROJECT_ROOT / "bench" / "results"
TARGETS = {"messy_top1": 0.92, "top3": 0.98, "wrong": 0.02, "intent": 0.95, "parse_p95_ms": 30.0,
           "turn_p95_ms": 100.0, "formal_margin_over_bm25": 0.05}


def prepare_database(url: str) -> List[tuple]:
    """Migrate, import curated + national; (code, name) of every procedure."""
    from procedures_kb import repository

    engine = make_engine(url)
    migrate.upgrade(engine)
    with make_session_factory(engine)() as session:
        import_path(session, CURATED_DIR)
        import_path(session, NATIONAL)
        rows = [(row.code, row.name) for row in repository.search_rows(session)]
    engine.dispose()
    return rows


def bm25_ranker(procedures: Sequence[tuple]) -> Callable[[str], List[str]]:
    """Plain BM25 over the folded words of the official names: text → codes, best first."""
    from rank_bm25 import BM25Okapi

    codes = [code for code, _ in procedures]
    model = BM25Okapi([fold_words(name) or ["_"] for _, name in procedures])

    def rank(text: str, limit: int = 5) -> List[str]:
        scores = model.get_scores(fold_words(text[:2000]))
        best = sorted(range(len(codes)), key=lambda i: -scores[i])[:limit]
        return [codes[i] for i in best if scores[i] > 0]

    return rank


def _turns(items: Sequence[Item]):
    for item in items:
        for number, turn in enumerate(item.turns):
            yield item, number, turn


def play_project(items: Sequence[Item], database_url: str, work: Path) -> List[dict]:
    """Every turn through the running assistant: parsed intent, the first reply read, latencies."""
    from scripts.servers import running_assistant

    results = []
    with running_assistant(database_url, work) as assistant, requests.Session() as http:
        parse_url = f"{assistant.url}/model/parse"
        for item in items:
            sender = f"heldout-{item.id}-{time.time_ns()}"
            for number, turn in enumerate(item.turns):
                started = time.perf_counter()
                parsed = http.post(parse_url, params={"token": assistant.rasa_api_token},
                                   json={"text": turn.text}, timeout=60).json()
                parse_ms = (time.perf_counter() - started) * 1000
                started = time.perf_counter()
                response = http.post(f"{assistant.url}/webhooks/rest/webhook", headers=assistant.rest_headers,
                                     json={"sender": sender, "message": turn.text}, timeout=60)
                turn_ms = (time.perf_counter() - started) * 1000
                messages = response.json() if response.status_code == 200 else []
                reply = heldout.read_reply(messages)
                results.append({
                    "id": item.id, "turn": number, "intent": (parsed.get("intent") or {}).get("name"),
                    "reply": reply, "parse_ms": parse_ms, "turn_ms": turn_ms, "status": response.status_code,
                    "first_text": str((messages[0] if messages else {}).get("text") or "")[:160],
                })
    return results


def parse_with(model: Path, items: Sequence[Item], index: SearchIndex) -> List[dict]:
    """A trained NLU model's intent and the search over its procedure mention (or the text), per turn."""
    texts = [turn.text for _, _, turn in _turns(items)]
    parses = nlu_models.parse_all(model, texts)
    results = []
    for text, parse in zip(texts, parses):
        mentions = [e["value"] for e in parse.get("entities", []) if e.get("entity") == "procedure"]
        query = mentions[0] if mentions else text
        results.append({"intent": (parse.get("intent") or {}).get("name"),
                        "codes": [hit.code for hit in index.search(query, limit=3)]})
    return results


def _rate(values: List[Optional[bool]]) -> Optional[float]:
    counted = [v for v in values if v is not None]
    return round(sum(counted) / len(counted), 3) if counted else None


def _percentile(values: List[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))], 1)


def score(items: Sequence[Item], project: List[dict], bm25: List[List[str]],
          default: Optional[List[dict]]) -> Dict[str, dict]:
    """Per tag (and "all"): the project's, BM25's and the default pipeline's figures over the tag's turns."""
    buckets: Dict[str, Dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for index, (item, _, turn) in enumerate(_turns(items)):
        ours = heldout.judge(turn, project[index]["reply"])
        theirs = heldout.judge_ranking(turn, bm25[index])
        for tag in item.tags + ["all"]:
            bucket = buckets[tag]
            bucket["intent"].append(project[index]["intent"] in turn.intents)
            bucket["top1"].append(ours["top1"])
            bucket["top3"].append(ours["top3"])
            bucket["wrong"].append(ours["wrong"] if turn.codes else None)
            bucket["answered_none_meant"].append(ours["wrong"] if not turn.codes else None)
            bucket["bm25_top1"].append(theirs["top1"])
            bucket["bm25_top3"].append(theirs["top3"])
            bucket["bm25_wrong"].append(theirs["wrong"])
            if default is not None:
                bucket["default_intent"].append(default[index]["intent"] in turn.intents)
                mine = heldout.judge_ranking(turn, default[index]["codes"])
                bucket["default_top1"].append(mine["top1"])
                bucket["default_top3"].append(mine["top3"])
    report = {}
    for tag, bucket in sorted(buckets.items()):
        report[tag] = {"turns": len(bucket["intent"]),
                       "with_procedure": sum(v is not None for v in bucket["top1"])}
        report[tag].update({name: _rate(values) for name, values in bucket.items()})
    return report


def targets(report: Dict[str, dict], latency: Dict[str, float]) -> Dict[str, bool]:
    formal, messy, everything = report.get("formal", {}), report.get("messy", {}), report["all"]
    checks = {
        "formal top-1 ≥ BM25 + 5 points": (formal.get("top1") or 0) >= (formal.get("bm25_top1") or 0)
        + TARGETS["formal_margin_over_bm25"],
        f"messy top-1 ≥ {TARGETS['messy_top1']}": (messy.get("top1") or 0) >= TARGETS["messy_top1"],
        f"top-3 ≥ {TARGETS['top3']}": (everything.get("top3") or 0) >= TARGETS["top3"],
        f"confidently wrong ≤ {TARGETS['wrong']:.0%}": (everything.get("wrong") or 0) <= TARGETS["wrong"],
        f"intent ≥ {TARGETS['intent']} on every tag": all((r.get("intent") or 0) >= TARGETS["intent"]
                                                         for r in report.values()),
        f"/model/parse p95 ≤ {TARGETS['parse_p95_ms']:.0f} ms": latency["parse_p95_ms"] <= TARGETS["parse_p95_ms"],
        f"REST turn p95 ≤ {TARGETS['turn_p95_ms']:.0f} ms": latency["turn_p95_ms"] <= TARGETS["turn_p95_ms"],
    }
    return checks


def markdown(results: dict) -> str:
    report = results["scores"]
    lines = [
        f"# Held-out evaluation over the whole catalogue ({results['measured_at']})",
        "",
        f"Set: tests/nlu/heldout/catalogue_questions.yml, {results['items']} conversations, {results['turns']} turns "
        f"(sha256 {results['sha256'][:12]}…, frozen). Catalogue: {results['procedures']} procedures "
        "(curated + national). Every turn through the running assistant (REST), in order, one conversation per item.",
        "",
        "| tag | turns | with procedure | intent | top-1 | top-3 | confidently wrong | answered when none meant "
        "| BM25 top-1 / top-3 / wrong | default pipeline intent | default top-1 / top-3 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for tag, r in report.items():
        lines.append(
            f"| {tag} | {r['turns']} | {r['with_procedure']} | {r['intent']} | {r['top1']} | {r['top3']} | {r['wrong']} "
            f"| {r['answered_none_meant']} | {r['bm25_top1']} / {r['bm25_top3']} / {r['bm25_wrong']} "
            f"| {r.get('default_intent')} | {r.get('default_top1')} / {r.get('default_top3')} |"
        )
    latency = results["latency"]
    lines += [
        "",
        f"Latency (ms, one client, sequential): /model/parse p50 {latency['parse_p50_ms']}, p95 {latency['parse_p95_ms']}; "
        f"REST turn p50 {latency['turn_p50_ms']}, p95 {latency['turn_p95_ms']}.",
        "",
        "Targets: " + "; ".join(f"{name} {'met' if ok else 'NOT met'}" for name, ok in results["targets"].items()),
        "",
        "top-1: the first reply answers a right procedure (or, where the set expects a question, asks with a right one "
        "among its first four options). top-3: a right procedure among the first three the reply shows (answer, then "
        "buttons). Confidently wrong: an answer on a procedure not labelled right, over turns that name one. "
        "Baselines answer their first hit, without the conversation's context.",
        "",
    ]
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None, default_model: Optional[Path] = None) -> int:
    """Play the set, write bench/results/heldout.{json,md}; 0, or 1 when the set is not the frozen one."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-default", action="store_true", help="skip Rasa's default pipeline (no training)")
    parser.add_argument("--default-model", type=Path, help="Rasa's default pipeline already trained (make eval-nlu)")
    args = parser.parse_args(argv)
    default_model = default_model or args.default_model
    try:
        items = heldout.load_items()
    except heldout.SetChanged as exc:
        print(exc, file=sys.stderr)
        return 1
    from bench.eval_nlu import training_texts

    trained = training_texts()
    overlap = sum(fold(turn.text) in trained for _, _, turn in _turns(items))
    if overlap:  # the set must stay unseen: say how many, never which
        print(f"{overlap} held-out turns are in the training data (bot/data/): remove them from the training data.",
              file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as work:
        url = f"sqlite:///{Path(work) / 'heldout.db'}"
        procedures = prepare_database(url)
        engine = make_engine(url)
        with make_session_factory(engine)() as session:
            index = SearchIndex.from_session(session)
        engine.dispose()
        project = play_project(items, url, Path(work))
    rank = bm25_ranker(procedures)
    bm25 = [rank(turn.text) for _, _, turn in _turns(items)]
    default = None
    if not args.no_default:
        model = default_model or nlu_models.train("baseline")[0]
        default = parse_with(model, items, index)
    latency = {
        "parse_p50_ms": _percentile([r["parse_ms"] for r in project], 50),
        "parse_p95_ms": _percentile([r["parse_ms"] for r in project], 95),
        "turn_p50_ms": _percentile([r["turn_ms"] for r in project], 50),
        "turn_p95_ms": _percentile([r["turn_ms"] for r in project], 95),
    }
    report = score(items, project, bm25, default)
    results = {
        "measured_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "sha256": heldout.sha256(), "items": len(items), "turns": len(project), "procedures": len(procedures),
        "scores": report, "latency": latency, "targets": targets(report, latency),
        "errors": [
            {"id": r["id"], "turn": r["turn"], "intent": r["intent"], "reply": heldout.describe(r["reply"]),
             "http": r["status"]}
            for r in project if r["status"] != 200
        ],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "heldout.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    (RESULTS / "heldout.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
