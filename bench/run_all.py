"""`make bench`: run the benchmarks and write bench/results/."""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path

from bench import (
    answers_bench,
    catalogue_bench,
    channels_bench,
    dialogue_bench,
    dossier_bench,
    load_bench,
    nlu_server_bench,
)

RESULTS = Path(__file__).resolve().parent / "results"


def _markdown(results: dict) -> str:
    imp, search = results["import"], results["search"]
    lines = [
        f"# Catalogue benchmarks ({results['measured_at']})",
        "",
        f"Machine: {results['machine']}",
        "",
        "## Import of the national catalogue (2,642 procedures)",
        f"Baseline (read + JSON-decode only): {imp['read_and_decode_only_s']} s",
        "",
        "| backend | first import s | re-import s | ratio to baseline | ≤ 60 s | methods+documents coverage |",
        "|---|---|---|---|---|---|",
    ]
    for backend in ("sqlite", "postgresql"):
        f = imp[backend]
        if "error" in f:
            lines.append(f"| {backend} | {f['error']} | | | | |")
            continue
        lines.append(
            f"| {backend} | {f['first_import_s']} | {f['reimport_s']} | {f['ratio_to_read_only']}× | "
            f"{'yes' if f['target_60s_met'] else 'NO'} | {f['coverage']['with_methods_and_documents_pct']}% |"
        )
    lat = search["latency_ms"]
    lines += [
        "",
        f"## Search over {search['procedures_indexed']} procedures ({search['questions']} labelled questions)",
        "",
        "| | p50 ms | p95 ms |",
        "|---|---|---|",
        f"| search | {lat['search']['p50']} | {lat['search']['p95']} |",
        f"| keyword baseline | {lat['keyword_baseline']['p50']} | {lat['keyword_baseline']['p95']} |",
        "",
        f"p95 ratio to baseline: {lat['p95_ratio_to_baseline']}×; target p95 ≤ 20 ms met: {lat['target_p95_20ms_met']}",
        "",
        "| tag | n | top-1 | top-3 | baseline top-1 | baseline top-3 |",
        "|---|---|---|---|---|---|",
    ]
    ours, base = search["quality"]["search"], search["quality"]["keyword_baseline"]
    for tag in ours:
        lines.append(
            f"| {tag} | {ours[tag]['n']} | {ours[tag]['top1']} | {ours[tag]['top3']} | "
            f"{base[tag]['top1']} | {base[tag]['top3']} |"
        )
    lines += ["", f"Targets met: {search['targets_met']}", ""]
    return "\n".join(lines)


def _nlu_markdown(results: dict) -> str:
    ours, base = results["project"], results["baseline"]
    rows = [
        ("/model/parse p50 ms", "parse_p50_ms"),
        ("/model/parse p95 ms", "parse_p95_ms"),
        ("server memory (RSS) MB", "server_rss_mb"),
        ("server start-up s", "startup_s"),
        ("NLU training s (no cache)", "nlu_train_s"),
    ]
    lines = [
        f"# NLU speed and memory ({results['measured_at']})",
        "",
        f"Machine: {results['machine']}. Requests: {ours['requests']} parses of the NLU test set.",
        "",
        "| | project pipeline | Rasa default pipeline |",
        "|---|---|---|",
    ]
    lines += [f"| {label} | {ours[key]} | {base[key]} |" for label, key in rows]
    lines += [
        f"| full training (NLU + dialogue) s | {ours['full_train_s']} | |",
        "",
        f"Ratios to baseline: {results['ratios_to_baseline']}",
        "",
        f"Targets met: {results['targets_met']}",
        "",
    ]
    return "\n".join(lines)


def _stamp() -> dict:
    return {
        "measured_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }


def _national_found(national: Path) -> bool:
    if not national.exists():
        print(f"Không tìm thấy danh mục quốc gia: {national}", file=sys.stderr)
    return national.exists()


def _write(name: str, results: dict, markdown) -> None:
    (RESULTS / f"{name}.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    (RESULTS / f"{name}.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--national", default="../shared/catalogue/national_catalogue.jsonl.gz")
    parser.add_argument("--only", choices=["catalogue", "nlu", "dialogue", "dossiers", "channels", "answers", "load"])
    parser.add_argument("--dossiers", type=int, default=1_000_000, help="dossiers in the look-up benchmark")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    national = Path(args.national)
    if args.only in (None, "load"):
        _write("load", {**load_bench.run(), **_stamp()}, load_bench.markdown)
        if args.only == "load":
            return 0
    if args.only in (None, "dossiers"):
        dossiers = {**dossier_bench.run(args.dossiers), **_stamp()}
        _write("dossiers", dossiers, dossier_bench.markdown)
        if args.only == "dossiers":
            return 0
    if args.only in (None, "answers"):
        if not _national_found(national):
            return 1
        _write("answers", {**answers_bench.run(national), **_stamp()}, answers_bench.markdown)
        if args.only == "answers":
            return 0
    if args.only in (None, "dialogue"):
        if not _national_found(national):
            return 1
        dialogue = {**dialogue_bench.run(national), **_stamp()}
        _write("dialogue", dialogue, dialogue_bench.markdown)
        if args.only == "dialogue":
            return 0
    if args.only in (None, "channels"):
        if not _national_found(national):
            return 1
        channels = {**channels_bench.run(national), **_stamp()}
        _write("channels", channels, channels_bench.markdown)
        if args.only == "channels":
            return 0
    if args.only != "catalogue":
        nlu = {**nlu_server_bench.run(), **_stamp()}
        _write("nlu_server", nlu, _nlu_markdown)
        if args.only == "nlu":
            return 0
    if not _national_found(national):
        return 1
    _write("catalogue", {**catalogue_bench.run(national), **_stamp()}, _markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
