"""`make eval-nlu`: train, evaluate on tests/nlu/test_set.yml, compare with the baseline.

Prints and writes (bench/results/nlu_eval.json, .md) intent accuracy and
macro-F1 overall and per tag, and procedure top-1 / top-3 when the NLU output
(the procedure mention if one was found, else the message) is given to the
catalogue search, for the project's pipeline and for Rasa's default pipeline
trained on the same data in the same run.
"""
from __future__ import annotations

import json
import sys
import tempfile
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List

import yaml
from sklearn.metrics import f1_score

from bench import nlu_models
from procedures_kb.importer import import_path
from procedures_kb.paths import CURATED_DIR, PROJECT_ROOT
from procedures_kb.search import SearchIndex
from storage import migrate
from storage.engine import make_engine, make_session_factory
from vietnamese.folding import fold

TEST_SET = PROJECT_ROOT / "tests" / "nlu" / "test_set.yml"
NATIONAL = PROJECT_ROOT.parent / "shared" / "catalogue" / "national_catalogue.jsonl.gz"
RESULTS = PROJECT_ROOT / "bench" / "results"
TARGETS = {"accented": 0.95, "unaccented": 0.92, "abbreviated": 0.90}


def load_test_set() -> List[dict]:
    return yaml.safe_load(TEST_SET.read_text(encoding="utf-8"))["examples"]


def training_texts() -> set:
    """Folded text of every NLU training example under bot/data/ (hand-written and generated)."""
    texts = set()
    for file in sorted((PROJECT_ROOT / "bot" / "data").rglob("*.yml")):
        for block in (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in block.get("examples", "").splitlines():
                if line.strip().startswith("- "):
                    texts.add(fold(line.strip()[2:]))
    return texts


def search_index() -> SearchIndex:
    with tempfile.TemporaryDirectory() as work:
        engine = make_engine(f"sqlite:///{Path(work) / 'eval.db'}")
        migrate.upgrade(engine)
        with make_session_factory(engine)() as session:
            import_path(session, CURATED_DIR)
            if NATIONAL.exists():
                import_path(session, NATIONAL)
            index = SearchIndex.from_session(session)
        engine.dispose()
    return index


def score(examples: List[dict], parses: List[dict], index: SearchIndex) -> Dict[str, dict]:
    by_tag: Dict[str, dict] = defaultdict(lambda: {"gold": [], "pred": [], "proc": [0, 0, 0]})
    for example, parse in zip(examples, parses):
        predicted = (parse.get("intent") or {}).get("name")
        mentions = [e["value"] for e in parse.get("entities", []) if e.get("entity") == "procedure"]
        query = mentions[0] if mentions else parse.get("normalized_text") or example["text"]
        codes = [hit.code for hit in index.search(query, limit=3)] if example.get("code") else []
        for tag in example["tags"] + ["all"]:
            bucket = by_tag[tag]
            bucket["gold"].append(example["intent"])
            bucket["pred"].append(predicted)
            if example.get("code"):
                bucket["proc"][0] += 1
                bucket["proc"][1] += codes[:1] == [example["code"]]
                bucket["proc"][2] += example["code"] in codes
    report = {}
    for tag, bucket in sorted(by_tag.items()):
        gold, pred = bucket["gold"], bucket["pred"]
        n_proc, top1, top3 = bucket["proc"]
        report[tag] = {
            "n": len(gold),
            "accuracy": round(sum(g == p for g, p in zip(gold, pred)) / len(gold), 3),
            "macro_f1": round(f1_score(gold, pred, average="macro", zero_division=0), 3),
            "procedure_n": n_proc,
            "procedure_top1": round(top1 / n_proc, 3) if n_proc else None,
            "procedure_top3": round(top3 / n_proc, 3) if n_proc else None,
        }
    return report


def errors(examples: List[dict], parses: List[dict]) -> List[dict]:
    return [
        {"text": e["text"], "expected": e["intent"], "got": (p.get("intent") or {}).get("name")}
        for e, p in zip(examples, parses)
        if (p.get("intent") or {}).get("name") != e["intent"]
    ]


def markdown(results: dict) -> str:
    ours, base = results["project"]["scores"], results["baseline"]["scores"]
    lines = [
        f"# NLU evaluation ({results['measured_at']})",
        "",
        f"Test set: {results['test_examples']} hand-written utterances (tests/nlu/test_set.yml), "
        f"none of them in the training data ({results['training_examples']} examples).",
        f"Training time: project {results['project']['train_s']} s, baseline {results['baseline']['train_s']} s.",
        "",
        "| tag | n | accuracy | macro-F1 | baseline acc. | baseline F1 | acc. ratio | procedure top-1 / top-3 | baseline top-1 / top-3 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for tag in ours:
        o, b = ours[tag], base[tag]
        ratio = round(o["accuracy"] / b["accuracy"], 2) if b["accuracy"] else None
        lines.append(
            f"| {tag} | {o['n']} | {o['accuracy']} | {o['macro_f1']} | {b['accuracy']} | {b['macro_f1']} | "
            f"{ratio}× | {o['procedure_top1']} / {o['procedure_top3']} | {b['procedure_top1']} / {b['procedure_top3']} |"
        )
    lines += ["", "Targets: " + ", ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in results["targets"].items()), ""]
    return "\n".join(lines)


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["project", "baseline"], help="evaluate one model (quick iteration; writes nothing)")
    args = parser.parse_args()
    examples = load_test_set()
    overlap = [e["text"] for e in examples if fold(e["text"]) in training_texts()]
    if overlap:
        print(f"Test utterances found in the training data: {overlap[:5]}", file=sys.stderr)
        return 1
    index = search_index()
    texts = [e["text"] for e in examples]
    results: dict = {"test_examples": len(examples), "training_examples": len(training_texts())}
    for name in [args.only] if args.only else ["project", "baseline"]:
        model, seconds = nlu_models.train(name)
        parses = nlu_models.parse_all(model, texts)
        results[name] = {"train_s": round(seconds, 1), "scores": score(examples, parses, index), "errors": errors(examples, parses)}
    if args.only:
        for tag, figures in results[args.only]["scores"].items():
            print(tag, figures)
        for error in results[args.only]["errors"]:
            print("  ", error["expected"], "->", error["got"], "|", error["text"][:90])
        return 0
    ours, base = results["project"]["scores"], results["baseline"]["scores"]
    results["targets"] = {f"{tag} ≥ {goal}": ours[tag]["accuracy"] >= goal for tag, goal in TARGETS.items()}
    results["targets"]["unaccented within 4 points of accented"] = ours["accented"]["accuracy"] - ours["unaccented"]["accuracy"] <= 0.04
    results["targets"]["better than baseline on every tag"] = all(ours[t]["accuracy"] > base[t]["accuracy"] for t in ours)
    results["measured_at"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "nlu_eval.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    (RESULTS / "nlu_eval.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
