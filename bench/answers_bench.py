"""Answer quality over every national record: the renderer before issue 13 beside the current one.

A fresh SQLite database gets the curated and the national catalogue; every
national code is read once with ProcedureService.get and the same Procedure
object is rendered by both renderers: "before", bench/baseline_answers.py
(the pre-issue-13 renderer, frozen), and "after", actions/answers.py as it is
now. The answers are measured against the raw JSON records with the measures
of tests/actions/answer_metrics.py (their own regular expressions, not the
importer's parser):

  a) documents answer lists an application form first (records that have one; target ≥ 95 %);
  b) fee answers saying "miễn phí" for a channel whose record states a VND amount (target 0);
  c) time answers with neither a unit nor an explanation (target 0);
  d) expired reductions shown as current (end date before today in Vietnam; target 0);
  e) first-bubble length in characters (median, 95th percentile) of the documents, fee, time
     and overview answers;
  f) the answers-vs-records check of tests/actions/answer_check.py on 300 sampled procedures
     (target: all match).
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

from actions import answers
from bench import baseline_answers
from bench.catalogue_bench import _percentile
from procedures_kb.importer import import_path
from procedures_kb.paths import CURATED_DIR
from procedures_kb.service import ProcedureService
from storage import migrate
from storage.engine import make_engine, make_session_factory
from tests.actions import answer_check, answer_metrics

RENDERERS = {"before": baseline_answers, "after": answers}
KINDS = ("documents", "fee", "time", "overview")
CHECK_SIZE = 300
TARGET_FORM_FIRST = 0.95
EXAMPLES = 15  # codes kept per failing measure, to look at


def _render(renderer, procedure) -> Dict[str, str]:
    return {
        "documents": renderer.documents_view(procedure).text,
        "fee": renderer.fee_answer(procedure),
        "time": renderer.time_answer(procedure),
        "overview": renderer.overview_answer(procedure),
    }


class _Tally:
    """Records that qualify for a measure, and those that fail it."""

    def __init__(self):
        self.qualifying = 0
        self.failing: List[str] = []

    def add(self, code: str, qualifies: bool, fails: bool) -> None:
        self.qualifying += qualifies
        if qualifies and fails:
            self.failing.append(code)


def measure(renderer, pairs: List[Tuple[dict, object]], today) -> Dict[str, object]:
    """The measures a)–e) of one renderer over (raw record, Procedure) pairs."""
    tallies = {
        name: _Tally()
        for name in ("form_first", "free_despite_fee", "free_in_overview", "time_without_unit", "expired_shown", "expired_in_overview")
    }
    lengths: Dict[str, List[int]] = {kind: [] for kind in KINDS}
    errors: Dict[str, str] = {}
    started = time.perf_counter()
    for record, procedure in pairs:
        code = record["ma_thu_tuc"]
        try:
            texts = _render(renderer, procedure)
        except Exception as exc:  # counted and shown: a renderer that fails on a record is a finding
            errors[code] = f"{type(exc).__name__}: {exc}"[:200]
            continue
        for kind in KINDS:
            lengths[kind].append(len(texts[kind]))
        has_form = answer_metrics.has_application_form(record)
        tallies["form_first"].add(code, has_form, not answer_metrics.lists_form_first(texts["documents"]))
        charged = answer_metrics.states_fee(record)
        tallies["free_despite_fee"].add(code, charged, answer_metrics.says_free_despite_fee(record, texts["fee"]))
        tallies["free_in_overview"].add(code, charged, answer_metrics.says_free_despite_fee(record, texts["overview"]))
        tallies["time_without_unit"].add(code, True, answer_metrics.time_without_unit(record, texts["time"]))
        expired = bool(answer_metrics.expired_reductions(record, today))
        tallies["expired_shown"].add(code, expired, answer_metrics.expired_reduction_shown(record, texts["fee"], today))
        tallies["expired_in_overview"].add(
            code, expired, answer_metrics.expired_reduction_shown(record, texts["overview"], today)
        )
    render_s = time.perf_counter() - started
    form = tallies["form_first"]
    form_first = form.qualifying - len(form.failing)

    def counted(name: str, overview: Optional[str] = None) -> Dict[str, object]:
        tally = tallies[name]
        result = {"qualifying_records": tally.qualifying, "count": len(tally.failing), "examples": tally.failing[:EXAMPLES]}
        if overview:
            result["in_overview"] = len(tallies[overview].failing)
        return result

    return {
        "rendered": len(pairs) - len(errors),
        "render_errors": len(errors),
        "render_error_examples": dict(list(errors.items())[:EXAMPLES]),
        "render_ms_per_procedure": round(render_s * 1000 / max(1, len(pairs)), 3),
        "form_first": {
            "records_with_form": form.qualifying,
            "form_first": form_first,
            "share": round(form_first / form.qualifying, 3) if form.qualifying else None,
            "examples": form.failing[:EXAMPLES],
        },
        "free_despite_fee": counted("free_despite_fee", "free_in_overview"),
        "time_without_unit": {
            **counted("time_without_unit"),
            "records_with_time_without_unit": sum(answer_metrics.has_time_without_unit(r) for r, _ in pairs),
        },
        "expired_reduction_shown": counted("expired_shown", "expired_in_overview"),
        "first_bubble_chars": {
            kind: {
                "median": round(statistics.median(values), 1) if values else None,
                "p95": _percentile(values, 95) if values else None,
                "max": max(values) if values else None,
            }
            for kind, values in lengths.items()
        },
    }


def check_answers(service: ProcedureService, national: Path, renderer) -> Dict[str, object]:
    """f) tests/actions/answer_check.py on CHECK_SIZE sampled procedures."""
    try:
        checks = answer_check.run(service, national, size=CHECK_SIZE, renderer=renderer)
    except Exception as exc:  # reported, not hidden
        return {"error": f"{type(exc).__name__}: {exc}"[:300]}
    matching = sum(c.ok for c in checks)
    return {
        "procedures": len(checks),
        "matching": matching,
        "match_rate": round(matching / len(checks), 3) if checks else None,
        "fees_checked": sum(len(c.expected_fees) for c in checks),
        "times_checked": sum(len(c.expected_times) for c in checks),
        "documents_checked": sum(c.expected_documents for c in checks),
        "mismatches": {c.code: c.problems for c in checks if not c.ok},
        "sample_seed": answer_check.SAMPLE_SEED,
    }


def _ratio(after, before) -> Optional[float]:
    if after is None or before is None:
        return None
    if before == 0:
        return None if after else 1.0
    return round(after / before, 3)


RATIOS: Dict[str, Callable[[dict], object]] = {
    "form_first_share": lambda r: r["form_first"]["share"],
    "free_despite_fee": lambda r: r["free_despite_fee"]["count"],
    "time_without_unit": lambda r: r["time_without_unit"]["count"],
    "expired_reduction_shown": lambda r: r["expired_reduction_shown"]["count"],
    **{f"{kind}_median_chars": (lambda r, k=kind: r["first_bubble_chars"][k]["median"]) for kind in KINDS},
    **{f"{kind}_p95_chars": (lambda r, k=kind: r["first_bubble_chars"][k]["p95"]) for kind in KINDS},
    "answer_check_match_rate": lambda r: r["answer_check"].get("match_rate"),
}


def targets_met(result: Dict[str, object]) -> Dict[str, bool]:
    share = result["form_first"]["share"]
    return {
        "form_first_95pct": share is not None and share >= TARGET_FORM_FIRST,
        "free_despite_fee_0": result["free_despite_fee"]["count"] == 0,
        "time_without_unit_0": result["time_without_unit"]["count"] == 0,
        "expired_reduction_shown_0": result["expired_reduction_shown"]["count"] == 0,
        "answer_check_100pct": result["answer_check"].get("match_rate") == 1.0,
    }


def run(national: Path) -> Dict[str, object]:
    started = time.perf_counter()
    today = answer_metrics.today_in_vietnam()
    records = list(answer_check.read_records(national))
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'answers.db'}")
        migrate.upgrade(engine)
        with make_session_factory(engine)() as session:
            import_path(session, CURATED_DIR)
            import_path(session, national)
        setup_s = time.perf_counter() - started
        service = ProcedureService(engine)
        pairs, missing = [], []
        for record in records:
            procedure = service.get(record["ma_thu_tuc"])
            if procedure is None:
                missing.append(record["ma_thu_tuc"])
            else:
                pairs.append((record, procedure))
        renderers = {}
        for name, renderer in RENDERERS.items():
            renderers[name] = measure(renderer, pairs, today)
            check_started = time.perf_counter()
            renderers[name]["answer_check"] = check_answers(service, national, renderer)
            renderers[name]["answer_check_s"] = round(time.perf_counter() - check_started, 2)
        engine.dispose()
    return {
        "records": len(records),
        "procedures_read": len(pairs),
        "missing_in_database": missing[:EXAMPLES],
        "today_in_vietnam": today.isoformat(),
        "renderers": renderers,
        "ratios_after_to_before": {
            name: _ratio(value(renderers["after"]), value(renderers["before"])) for name, value in RATIOS.items()
        },
        "targets_met_after": targets_met(renderers["after"]),
        "targets_met_before": targets_met(renderers["before"]),
        "setup_s": round(setup_s, 2),
        "total_s": round(time.perf_counter() - started, 2),
    }


def _row(label: str, before, after, ratio, target: str = "") -> str:
    return f"| {label} | {before} | {after} | {'' if ratio is None else f'{ratio}×'} | {target} |"


def markdown(results: Dict[str, object]) -> str:
    before, after = results["renderers"]["before"], results["renderers"]["after"]
    ratios = results["ratios_after_to_before"]
    both = (before, after)

    def figures(get) -> List[object]:
        return [get(r) for r in both]

    lines = [
        f"# Answers checked against every national record ({results['measured_at']})",
        "",
        f"Machine: {results['machine']}. Records: {results['records']} "
        f"({results['procedures_read']} read from the database); today in Vietnam: {results['today_in_vietnam']}.",
        "Before: the pre-issue-13 renderer (bench/baseline_answers.py, frozen). After: actions/answers.py now.",
        "Both render the same Procedure objects; the measures read the raw JSON records (tests/actions/answer_metrics.py).",
        "",
        "| measure | before | after | after/before | target |",
        "|---|---|---|---|---|",
    ]
    form = figures(lambda r: f"{r['form_first']['share']} ({r['form_first']['form_first']}/{r['form_first']['records_with_form']})")
    lines.append(_row("a) documents answer lists the application form first (share)", *form, ratios["form_first_share"], "≥ 0.95"))
    fee = figures(lambda r: f"{r['free_despite_fee']['count']} (overview: {r['free_despite_fee']['in_overview']})")
    lines.append(_row("b) fee answers saying \"miễn phí\" where the record states a fee", *fee, ratios["free_despite_fee"], "0"))
    unit = figures(lambda r: r["time_without_unit"]["count"])
    lines.append(_row("c) time answers with neither unit nor explanation", *unit, ratios["time_without_unit"], "0"))
    expired = figures(lambda r: f"{r['expired_reduction_shown']['count']} (overview: {r['expired_reduction_shown']['in_overview']})")
    lines.append(_row("d) expired reductions shown as current", *expired, ratios["expired_reduction_shown"], "0"))
    for kind in KINDS:
        for stat in ("median", "p95"):
            values = figures(lambda r, k=kind, s=stat: r["first_bubble_chars"][k][s])
            lines.append(_row(f"e) {kind} answer, first bubble, {stat} characters", *values, ratios[f"{kind}_{stat}_chars"]))
    checked = figures(
        lambda r: f"{r['answer_check'].get('match_rate')} ({r['answer_check'].get('matching')}/{r['answer_check'].get('procedures')})"
    )
    lines.append(_row(f"f) answers-vs-records check, {CHECK_SIZE} sampled procedures (match rate)", *checked, ratios["answer_check_match_rate"], "1.0"))
    lines += [
        "",
        f"Qualifying records: {after['form_first']['records_with_form']} have an application form among their documents; "
        f"{after['free_despite_fee']['qualifying_records']} state a VND fee; "
        f"{after['time_without_unit']['records_with_time_without_unit']} have a time without a unit; "
        f"{after['expired_reduction_shown']['qualifying_records']} have a reduction that has ended.",
        f"Render errors: before {before['render_errors']}, after {after['render_errors']}. "
        f"Rendering: before {before['render_ms_per_procedure']} ms, after {after['render_ms_per_procedure']} ms per procedure "
        f"(four answers). Setup (migrate + imports) {results['setup_s']} s; whole run {results['total_s']} s.",
        "",
        f"Targets met after: {results['targets_met_after']}",
        "",
        "## Examples that fail (after)",
        "",
        f"- a) form not first: {', '.join(after['form_first']['examples']) or '—'}",
        f"- b) \"miễn phí\" despite a fee: {', '.join(after['free_despite_fee']['examples']) or '—'}",
        f"- c) time without unit or explanation: {', '.join(after['time_without_unit']['examples']) or '—'}",
        f"- d) expired reduction shown: {', '.join(after['expired_reduction_shown']['examples']) or '—'}",
        f"- f) mismatches: {', '.join(after['answer_check'].get('mismatches', {})) or '—'}",
        "",
    ]
    return "\n".join(lines)
