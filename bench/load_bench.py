"""Load: many citizens at once through nginx, against 1 and 2 Rasa servers on the production stores.

The citizens are scripts/load_client.py's: five REST turns each (question,
follow-up, dossier code, phone digits, thanks), all starting together.
Measured per setting: turns/s, p50/p95/p99 latency, errors, crossed replies
(load_client) and the Rasa servers' event-loop blocked time (their loop
probe, GET /webhooks/ops/loop, read directly on loopback before and after).

Baseline in the same run: Rasa's own SQL tracker store and Redis lock store
(`type: SQL` / `type: redis`), the stores the project used before, on the same
PostgreSQL and Redis, one server.

`run()` starts the clusters itself (scripts/cluster.py).
"""
from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import requests
from sqlalchemy import create_engine, text

from scripts.cluster import PROJECT_ROOT, Cluster, drop_database, running_cluster
from scripts.load_client import citizens_for, demo_dossiers, load

NATIONAL = PROJECT_ROOT.parent / "shared" / "catalogue" / "national_catalogue.jsonl.gz"
CITIZENS = 200
FEW_CITIZENS = 10
PROBE_INTERVAL = "0.01"
TARGETS = {"turns_per_s_one_server": 55.0, "p95_ms_at_10_citizens": 300.0}

STOCK_ENDPOINTS = """\
action_endpoint:
  url: ${ACTION_SERVER_URL}
  token: ${ACTION_SERVER_TOKEN}
tracker_store:
  type: SQL
  dialect: postgresql
  url: ${TRACKER_DB_HOST}
  port: ${TRACKER_DB_PORT}
  db: ${TRACKER_DB_NAME}
  login_db: postgres
  username: ${TRACKER_DB_USER}
  password: ${TRACKER_DB_PASSWORD}
lock_store:
  type: redis
  url: ${REDIS_HOST}
  port: ${REDIS_PORT}
  db: 1
"""


def _probe(cluster: Cluster) -> List[Dict[str, float]]:
    reports = []
    for replica in cluster.rasa:
        try:
            reports.append(requests.get(f"{replica.url}/webhooks/ops/loop", timeout=5).json())
        except (requests.RequestException, ValueError):
            reports.append({})
    return reports


def _blocked(before: List[Dict[str, float]], after: List[Dict[str, float]]) -> Dict[str, object]:
    """The share of wall time each server's loop was blocked between two probe readings."""
    shares = []
    for first, last in zip(before, after):
        if first and last and last["wall_s"] > first["wall_s"]:
            shares.append(round((last["blocked_s"] - first["blocked_s"]) / (last["wall_s"] - first["wall_s"]), 3))
    return {"loop_blocked_share": shares, "loop_blocked_pct": round(100 * max(shares), 1) if shares else None}


def tracker_bytes(tracker_url: str) -> Dict[str, float]:
    """Size on disk of the conversations table (rows, indexes, TOAST) per conversation and per event."""
    engine = create_engine(tracker_url, future=True)
    try:
        with engine.connect() as conn:
            size = conn.execute(text("SELECT pg_total_relation_size('events')")).scalar_one()
            conversations, events = conn.execute(text("SELECT count(DISTINCT sender_id), count(*) FROM events")).one()
    finally:
        engine.dispose()
    return {
        "conversations": conversations,
        "events_per_conversation": round(events / max(1, conversations), 1),
        "bytes_per_conversation": round(size / max(1, conversations)),
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu(cluster: Cluster) -> Dict[str, float]:
    return {
        "rasa": sum(cpu_seconds(r.process.pid) for r in cluster.rasa),
        "actions": sum(cpu_seconds(r.process.pid) for r in cluster.actions),
    }


def _setting(cluster: Cluster, dossiers: List[Tuple[str, str]], citizens: int) -> Dict[str, object]:
    load(cluster.url, citizens_for(dossiers, 20))  # warm-up: first parses and queries are slower
    before, cpu_before = _probe(cluster), _cpu(cluster)
    figures = load(cluster.url, citizens_for(dossiers, citizens))
    cpu_after = _cpu(cluster)
    figures.update(_blocked(before, _probe(cluster)))
    # CPU per turn does not depend on what else runs on the machine: it says what an idle one would do.
    for part in ("rasa", "actions"):
        figures[f"{part}_cpu_ms_per_turn"] = round(1000 * (cpu_after[part] - cpu_before[part]) / figures["turns"], 1)
    return figures


def run(citizens: int = CITIZENS, actions: int = 1, national: Optional[Path] = NATIONAL) -> Dict[str, object]:
    """Baseline (Rasa's stores, 1 server), then the production stores with 1 and 2 servers.

    The catalogue is the curated one plus the whole national one (`national`, as deployed) when
    the file is there; the results say which.
    """
    tag = uuid.uuid4().hex[:6]
    database_url = f"postgresql://postgres@127.0.0.1:5432/tthc_load_{tag}"
    # Citizens come from many addresses: the load client names one per citizen in X-Forwarded-For, as the
    # city's front proxy would, and the Rasa servers trust two proxies (that front proxy, then nginx), so the
    # per-client look-up limits see 200 clients, not one loopback address.
    env = {"LOOP_PROBE_INTERVAL": PROBE_INTERVAL, "APP_ENV": "development", "SANIC_PROXIES_COUNT": "2"}
    national = national if national is not None and national.exists() else None
    results: Dict[str, object] = {"citizens": citizens, "turns_per_citizen": 5, "action_servers": actions,
                                  "catalogue": "curated + national" if national else "curated only"}
    settings = [("baseline_rasa_stores_1_server", 1, True), ("production_1_server", 1, False),
                ("production_2_servers", 2, False)]
    with tempfile.TemporaryDirectory() as tmp:
        stock = Path(tmp) / "endpoints.stock.yml"
        stock.write_text(STOCK_ENDPOINTS, encoding="utf-8")
        try:
            for name, servers, baseline in settings:
                tracker_url = f"postgresql://postgres@127.0.0.1:5432/tthc_load_tracker_{tag}_{name[:4]}{servers}"
                try:
                    with running_cluster(servers, actions, database_url=database_url, tracker_url=tracker_url,
                                         logs=PROJECT_ROOT / "var" / "log" / "cluster" / f"bench-{name}", env=env,
                                         national=national, endpoints=stock if baseline else
                                         PROJECT_ROOT / "endpoints.production.yml") as cluster:
                        dossiers = demo_dossiers(database_url, citizens)
                        results[name] = _setting(cluster, dossiers, citizens)
                        if name == "production_1_server":
                            results["tracker_size_5_turns"] = tracker_bytes(tracker_url)
                            results["production_1_server_10_citizens"] = _setting(cluster, dossiers, FEW_CITIZENS)
                finally:
                    drop_database(tracker_url)
        finally:
            drop_database(database_url)
    one, two = results["production_1_server"], results["production_2_servers"]
    results["targets"] = {
        # The targets are the project's layout's; the baseline (Rasa's stores) is reported, not judged.
        "no_errors": all(results[n]["errors"] == 0 for n, _, baseline in settings if not baseline)
        and results["production_1_server_10_citizens"]["errors"] == 0,
        "no_crossed": all(results[n]["crossed"] == 0 for n, _, _ in settings),
        "turns_per_s_one_server_ge_55": one["turns_per_s"] >= TARGETS["turns_per_s_one_server"],
        "second_server_adds_throughput": two["turns_per_s"] > one["turns_per_s"] and two["p95_ms"] <= one["p95_ms"],
        "p95_at_10_citizens_le_300ms":
            results["production_1_server_10_citizens"]["p95_ms"] <= TARGETS["p95_ms_at_10_citizens"],
    }
    return results


def markdown(results: Dict[str, object]) -> str:
    rows = [
        ("Baseline: Rasa's SQL + Redis stores, 1 server", "baseline_rasa_stores_1_server"),
        ("Production stores, 1 server", "production_1_server"),
        ("Production stores, 2 servers", "production_2_servers"),
        ("Production stores, 1 server, 10 citizens", "production_1_server_10_citizens"),
    ]
    lines = [
        f"# Load: citizens at once through nginx ({results['measured_at']})",
        "",
        f"Machine: {results['machine']}. {results['citizens']} citizens × {results['turns_per_citizen']} turns "
        "(question, follow-up, dossier code, phone digits, thanks) over REST through "
        f"nginx; PostgreSQL (catalogue: {results['catalogue']}; conversations), Redis (locks); "
        f"{results['action_servers']} action server(s). Each setting after a 20-citizen warm-up. Citizens arrive at "
        "random moments within the first second and pause 0.5–1.5 s between turns (scripts/load_client.py), all "
        "in conversation at once.",
        "",
        "| setting | citizens | turns/s | p50 ms | p95 ms | p99 ms | errors | crossed | client retries | "
        "loop blocked % | Rasa CPU ms/turn | actions CPU ms/turn |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, key in rows:
        r = results.get(key)
        if not r:
            continue
        lines.append(
            f"| {label} | {r['citizens']} | {r['turns_per_s']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | "
            f"{r['errors']} | {r['crossed']} | {r['client_retries']} | {r['loop_blocked_pct']} | "
            f"{r.get('rasa_cpu_ms_per_turn')} | {r.get('actions_cpu_ms_per_turn')} |"
        )
    lines += [
        "",
        "Loop blocked %: the largest share of wall time a Rasa server's event loop was late to its 10 ms probe "
        "during the run (bot/loop_probe.py); it counts the model's own inference, which Rasa runs on the loop, "
        "so a saturated server shows near 100 %. CPU ms/turn: CPU time the Rasa servers (action servers) used "
        "per turn during the run, independent of what else the machine was running.",
        "",
        f"Conversations table (PostgreSQL, with indexes) after the 1-server run: {results['tracker_size_5_turns']}.",
        "",
        "Errors by kind: " + "; ".join(
            f"{label}: {results[key].get('error_kinds') or 'none'}" for label, key in rows if results.get(key)) + ". "
        "An HTTP 504 is nginx giving up on a Rasa server that did not answer in time; a reply without its code or "
        "'đã xác minh' is a turn that passed REPLY_TIMEOUT (the citizen was told the answer will follow).",
        "",
        f"Targets (the project's stores; the baseline is reported, not judged): {results['targets']}",
        "",
    ]
    return "\n".join(lines)
