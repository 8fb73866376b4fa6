"""Dossier status look-up through the action with 1,000,000 dossiers, on SQLite and PostgreSQL.

For each backend: a fresh database, the curated catalogue, one million
generated dossiers (about four status changes each), then look-ups of random
existing codes through `action_dossier_status` (code parsing, the SQL source,
due-date arithmetic in working days, the reply text), and verified detail
look-ups (phone check, history).

Baseline, same run, same database: fetching the same row by code with a raw
DB-API cursor, the least any look-up can cost. Reported as ratios.
"""
from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path
from typing import Dict, List

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import text

from actions.dossiers import ActionDossierStatus
from actions.runtime import set_dossier_service
from bench.catalogue_bench import _percentile
from bench.databases import with_postgres
from dossiers import seed
from dossiers.service import DossierService
from dossiers.sources import SqlDossierSource
from procedures_kb.importer import import_path
from procedures_kb.paths import CURATED_DIR
from storage import migrate
from storage.engine import make_engine, make_session_factory

TARGET_P95_MS = 20.0


def _summary(values: List[float]) -> Dict[str, float]:
    return {"n": len(values), "p50_ms": round(_percentile(values, 50), 3), "p95_ms": round(_percentile(values, 95), 3)}


def _tracker(message: str, slots: Dict[str, object], entities: List[dict]) -> Tracker:
    return Tracker("bench", slots, {"text": message, "intent": {"name": "check_dossier_status"}, "entities": entities},
                   [], False, None, {}, None)


def _measure(url: str, count: int, lookups: int) -> Dict[str, object]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    with make_session_factory(engine)() as session:
        import_path(session, CURATED_DIR)
    started = time.perf_counter()
    key = b"bench-dossier-hash-key"
    written = seed.generate(engine, count, key, seed=11, batch=10_000)
    seed_s = time.perf_counter() - started
    with engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM dossiers")).scalar_one()
        ids = random.Random(5).sample(range(1, total + 1), lookups)
        codes = [conn.execute(text("SELECT code FROM dossiers WHERE id = :i"), {"i": i}).scalar_one() for i in ids]
    service = DossierService(SqlDossierSource(engine, key), engine, key)
    set_dossier_service(service)
    action = ActionDossierStatus()

    def status(code: str) -> None:
        dispatcher = CollectingDispatcher()
        action.act(dispatcher, _tracker(f"tra cứu hồ sơ {code}", {}, [{"entity": "dossier_code", "value": code}]), {})
        assert dispatcher.messages[0]["text"].startswith(f"Hồ sơ {code}")

    def details(code: str) -> None:
        digits = seed.demo_phone(code)[-4:]
        dispatcher = CollectingDispatcher()
        slots = {"dossier_step": "phone_digits", "dossier_code": code}
        action.act(dispatcher, _tracker(digits, slots, [{"entity": "phone_last_digits", "value": digits}]), {})
        assert dispatcher.messages[0]["text"].startswith("Thông tin chi tiết"), dispatcher.messages[0]["text"]

    raw = engine.raw_connection()
    cursor = raw.cursor()
    marker = "?" if engine.dialect.name == "sqlite" else "%s"

    def baseline(code: str) -> None:
        cursor.execute(f"SELECT * FROM dossiers WHERE code = {marker}", (code,))
        assert cursor.fetchone() is not None

    results: Dict[str, List[float]] = {"status": [], "details": [], "baseline": []}
    for name, function in (("baseline", baseline), ("status", status), ("details", details)):
        for code in codes[:50]:
            function(code)  # warm-up
        for code in codes:
            begin = time.perf_counter()
            function(code)
            results[name].append((time.perf_counter() - begin) * 1000)
    cursor.close()
    raw.close()
    set_dossier_service(None)
    engine.dispose()
    out = {key: _summary(values) for key, values in results.items()}
    out["dossiers"] = total
    out["seeded"] = written
    out["seed_s"] = round(seed_s, 1)
    out["status_p95_ratio_to_baseline"] = round(out["status"]["p95_ms"] / out["baseline"]["p95_ms"], 1)
    out["target_p95_20ms_met"] = out["status"]["p95_ms"] <= TARGET_P95_MS
    return out


def run(count: int = 1_000_000, lookups: int = 2000) -> Dict[str, object]:
    results: Dict[str, object] = {"lookups": lookups}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = _measure(f"sqlite:///{Path(tmp) / 'dossiers.db'}", count, lookups)
    results["postgresql"] = with_postgres("tthc_dossiers", lambda url: _measure(url, count, lookups))
    return results


def markdown(results: Dict[str, object]) -> str:
    lines = [
        f"# Dossier status look-up ({results['measured_at']})",
        "",
        f"Machine: {results['machine']}. {results['lookups']} look-ups of random existing codes per backend, "
        "through `action_dossier_status` (status) and the verified details path (phone check + history).",
        "Baseline (same run, same database): the row fetched by code with a raw DB-API cursor.",
        "",
        "| backend | dossiers | seeding s | status p50 ms | status p95 ms | details p95 ms | baseline p95 ms | status p95 ratio | p95 ≤ 20 ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for backend in ("sqlite", "postgresql"):
        f = results[backend]
        if "error" in f:
            lines.append(f"| {backend} | {f['error']} | | | | | | | |")
            continue
        lines.append(
            f"| {backend} | {f['dossiers']:,} | {f['seed_s']} | {f['status']['p50_ms']} | {f['status']['p95_ms']} | "
            f"{f['details']['p95_ms']} | {f['baseline']['p95_ms']} | {f['status_p95_ratio_to_baseline']}× | "
            f"{'yes' if f['target_p95_20ms_met'] else 'NO'} |"
        )
    return "\n".join(lines) + "\n"
