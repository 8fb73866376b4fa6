"""Load: many citizens at once through nginx, against 1 and 2 Rasa servers on the production stores.

Each citizen plays five REST turns, one after the other: a question, a
follow-up, their dossier code, the last 4 digits of their phone, thanks
(codes and digits of the demo dossiers, `python -m dossiers samples`). All
citizens start together. Measured per setting: turns/s (turns / wall time),
p50/p95/p99 latency, errors (a non-200, a connection lost after the retries,
an empty reply, a code or digits turn without its dossier), crossed replies (a
reply naming another citizen's dossier code) and the Rasa servers' event-loop
blocked time (their loop probe, GET /webhooks/ops/loop, read directly on
loopback before and after).

Baseline in the same run: Rasa's own SQL tracker store and Redis lock store
(`type: SQL` / `type: redis`), the stores the project used before, on the same
PostgreSQL and Redis, one server.

`run()` starts the clusters itself (scripts/cluster.py); `load()` plays the
citizens against any base URL (the replica test uses it with fewer citizens).
"""
from __future__ import annotations

import asyncio
import re
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import aiohttp
import requests
from sqlalchemy import create_engine, text

from bench.catalogue_bench import _percentile
from dossiers import seed
from scripts.cluster import PROJECT_ROOT, Cluster, drop_database, running_cluster
from storage.engine import make_engine

CITIZENS = 200
FEW_CITIZENS = 10
QUESTION = "đăng ký khai sinh cần giấy tờ gì"
FOLLOW_UP = "còn lệ phí thì sao?"
THANKS = "cảm ơn"
CODE_RE = re.compile(r"\d{3}\.\d{2}\.\d{2}\.H\d{2}-\d{6}-\d{4}")
RETRIES = 3  # on a lost connection, like a citizen's app would
TIMEOUT_S = 60
PROBE_INTERVAL = "0.01"
TARGETS = {"turns_per_s_one_server": 55.0, "p95_ms_at_10_citizens": 300.0}

STOCK_ENDPOINTS = """\
action_endpoint:
  url: ${ACTION_SERVER_URL}
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


def identity(run: str, number: int) -> Tuple[str, Dict[str, str]]:
    """The sender id and extra headers of citizen `number` of a run.

    The one place to adapt when the REST channel wants signed conversation
    ids or a token: return what the channel expects.
    """
    return f"load-{run}-{number}", {}


@dataclass
class Citizen:
    sender: str
    headers: Dict[str, str]
    code: str
    digits: str
    latencies_ms: List[float] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    crossed: int = 0
    retries: int = 0


def _script(citizen: Citizen) -> List[Tuple[str, str]]:
    """(message, what the reply must show) of the five turns."""
    return [
        (QUESTION, ""),
        (FOLLOW_UP, ""),
        (f"tra cứu hồ sơ {citizen.code}", citizen.code),
        (citizen.digits, "đã xác minh"),
        (THANKS, ""),
    ]


async def _turn(session: aiohttp.ClientSession, url: str, citizen: Citizen, message: str) -> Optional[str]:
    """One turn; the replies' text, or None after an error (recorded)."""
    payload = {"sender": citizen.sender, "message": message}
    for attempt in range(RETRIES + 1):
        try:
            async with session.post(url, json=payload, headers=citizen.headers) as response:
                body = await response.json(content_type=None)
                if response.status != 200:
                    citizen.errors.append(f"HTTP {response.status}")
                    return None
                return "\n".join(str(r.get("text") or "") for r in body if isinstance(r, dict))
        except (aiohttp.ClientConnectionError, aiohttp.ServerDisconnectedError) as exc:
            if attempt == RETRIES:
                citizen.errors.append(type(exc).__name__)
                return None
            citizen.retries += 1
            await asyncio.sleep(0.2 * (attempt + 1))
        except (asyncio.TimeoutError, aiohttp.ClientError, ValueError) as exc:
            citizen.errors.append(type(exc).__name__)
            return None
    return None


async def _citizen(session: aiohttp.ClientSession, url: str, citizen: Citizen, codes: set) -> None:
    for message, expected in _script(citizen):
        started = time.perf_counter()
        text = await _turn(session, url, citizen, message)
        citizen.latencies_ms.append((time.perf_counter() - started) * 1000)
        if text is None:
            continue
        if not text.strip():
            citizen.errors.append("empty reply")
        elif expected and expected not in text:
            citizen.errors.append(f"reply without {'its code' if expected == citizen.code else expected!r}")
        if any(code != citizen.code for code in CODE_RE.findall(text) if code in codes):
            citizen.crossed += 1


async def _play(base: str, citizens: Sequence[Citizen]) -> float:
    url = f"{base}/webhooks/rest/webhook"
    codes = {c.code for c in citizens}
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(_citizen(session, url, c, codes) for c in citizens))
        return time.perf_counter() - started


def citizens_for(dossiers: Sequence[Tuple[str, str]], count: int, run: Optional[str] = None) -> List[Citizen]:
    """`count` citizens, each with a dossier (code, digits) of its own while there are enough."""
    run = run or uuid.uuid4().hex[:6]
    people = []
    for number in range(count):
        sender, headers = identity(run, number)
        code, digits = dossiers[number % len(dossiers)]
        people.append(Citizen(sender, headers, code, digits))
    return people


def load(base: str, citizens: Sequence[Citizen]) -> Dict[str, object]:
    """Play the citizens against `base` (the proxy); the figures of the run."""
    wall = asyncio.run(_play(base, citizens))
    latencies = [ms for c in citizens for ms in c.latencies_ms]
    turns = len(latencies)
    errors = [e for c in citizens for e in c.errors]
    return {
        "citizens": len(citizens),
        "turns": turns,
        "wall_s": round(wall, 2),
        "turns_per_s": round(turns / wall, 1) if wall else 0.0,
        "p50_ms": round(_percentile(latencies, 50), 1),
        "p95_ms": round(_percentile(latencies, 95), 1),
        "p99_ms": round(_percentile(latencies, 99), 1),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:10],
        "crossed": sum(c.crossed for c in citizens),
        "client_retries": sum(c.retries for c in citizens),
    }


def demo_dossiers(database_url: str, count: int) -> List[Tuple[str, str]]:
    """(code, last 4 phone digits) of `count` seeded demo dossiers."""
    engine = make_engine(database_url)
    try:
        return [(code, digits) for code, _, _, digits in seed.samples(engine, count)]
    finally:
        engine.dispose()


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


def _setting(cluster: Cluster, dossiers: List[Tuple[str, str]], citizens: int) -> Dict[str, object]:
    load(cluster.url, citizens_for(dossiers, 20))  # warm-up: first parses and queries are slower
    before = _probe(cluster)
    figures = load(cluster.url, citizens_for(dossiers, citizens))
    figures.update(_blocked(before, _probe(cluster)))
    return figures


def run(citizens: int = CITIZENS, actions: int = 1) -> Dict[str, object]:
    """Baseline (Rasa's stores, 1 server), then the production stores with 1 and 2 servers."""
    tag = uuid.uuid4().hex[:6]
    database_url = f"postgresql://postgres@127.0.0.1:5432/tthc_load_{tag}"
    env = {"LOOP_PROBE_INTERVAL": PROBE_INTERVAL, "APP_ENV": "development"}
    results: Dict[str, object] = {"citizens": citizens, "turns_per_citizen": 5, "action_servers": actions}
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
                                         endpoints=stock if baseline else
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
        "no_errors": all(results[n]["errors"] == 0 for n, _, _ in settings),
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
        "(question, follow-up, dossier code, phone digits, thanks), all starting together, over REST through "
        f"nginx; PostgreSQL (catalogue, conversations), Redis (locks); {results['action_servers']} action server(s). "
        "Each setting after a 20-citizen warm-up.",
        "",
        "| setting | citizens | turns/s | p50 ms | p95 ms | p99 ms | errors | crossed | client retries | "
        "loop blocked % |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, key in rows:
        r = results.get(key)
        if not r:
            continue
        lines.append(
            f"| {label} | {r['citizens']} | {r['turns_per_s']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | "
            f"{r['errors']} | {r['crossed']} | {r['client_retries']} | {r['loop_blocked_pct']} |"
        )
    lines += [
        "",
        "Loop blocked %: the largest share of wall time a Rasa server's event loop was late to its 10 ms probe "
        "during the run (bot/loop_probe.py).",
        "",
        f"Conversations table (PostgreSQL, with indexes) after the 1-server run: {results['tracker_size_5_turns']}.",
        "",
        f"Targets: {results['targets']}",
        "",
    ]
    return "\n".join(lines)
