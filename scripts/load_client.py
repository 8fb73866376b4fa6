"""Citizens at once over REST: the load client of the load benchmark and of the replica test.

Each citizen plays five turns, one after the other: a question, a follow-up,
their dossier code, the last 4 digits of their phone, thanks (codes and digits
of the demo dossiers, `python -m dossiers samples`), pausing between two turns
(reading the reply, typing the next); each asks the server for its
conversation id first, as the chat page does. All citizens are in
conversation at once, but, like real people, not in lockstep: each starts at
a random moment within the first THINK_S seconds and pauses a random 0.5–1.5
× THINK_S between turns (mean THINK_S), from a generator seeded by its number
(the same run every time). `load()` gives turns/s (turns / wall time), p50/p95/p99 latency,
errors (a non-200, a connection lost after the retries, an empty reply, a
code or digits turn without its dossier) and crossed replies (a reply naming
another citizen's dossier code). A lost connection is retried, as a
citizen's app would.
"""
from __future__ import annotations

import asyncio
import random
import re
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import aiohttp

from dossiers import seed
from storage.engine import make_engine

QUESTION = "đăng ký khai sinh cần giấy tờ gì"
FOLLOW_UP = "còn lệ phí thì sao?"
THANKS = "cảm ơn"
CODE_RE = re.compile(r"\d{3}\.\d{2}\.\d{2}\.H\d{2}-\d{6}-\d{4}")
RETRIES = 3
THINK_S = 1.0  # a citizen reads the reply and types the next message: the pause between two turns
TIMEOUT_S = 60


def percentile(values: Sequence[float], pct: float) -> float:
    """The nearest-rank percentile of `values` (0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))]


@dataclass
class Citizen:
    sender: str
    headers: Dict[str, str]
    code: str
    digits: str
    latencies_ms: List[float] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    samples: List[str] = field(default_factory=list)  # "message → reply" of turns that went wrong
    crossed: int = 0
    retries: int = 0
    pauses: random.Random = field(default_factory=random.Random)  # seeded per citizen by citizens_for


def _script(citizen: Citizen) -> List[Tuple[str, str]]:
    """(message, what the reply must show) of the five turns."""
    return [
        (QUESTION, ""),
        (FOLLOW_UP, ""),
        (f"tra cứu hồ sơ {citizen.code}", citizen.code),
        (citizen.digits, "đã xác minh"),
        (THANKS, ""),
    ]


async def _post(session: aiohttp.ClientSession, url: str, citizen: Citizen,
                payload: Optional[dict] = None) -> Optional[Tuple[int, object]]:
    """POST as the citizen: (status, decoded JSON body), or None after an error (recorded).

    A lost connection is retried RETRIES times (as a citizen's app would, counted in `retries`);
    a timeout is an error at once; a body that is not JSON comes back as None.
    """
    for attempt in range(RETRIES + 1):
        try:
            async with session.post(url, json=payload, headers=citizen.headers) as response:
                try:
                    return response.status, await response.json(content_type=None)
                except ValueError:  # not JSON: a proxy's error page (e.g. nginx's 504); the status says it
                    return response.status, None
        except (aiohttp.ClientConnectionError, aiohttp.ServerDisconnectedError) as exc:
            if attempt == RETRIES:
                citizen.errors.append(type(exc).__name__)
                return None
            citizen.retries += 1
            await asyncio.sleep(0.2 * (attempt + 1))
        except (asyncio.TimeoutError, aiohttp.ClientError) as exc:
            citizen.errors.append(type(exc).__name__)
            return None
    return None


async def _turn(session: aiohttp.ClientSession, url: str, citizen: Citizen, message: str) -> Optional[str]:
    """One turn; the replies' text, or None after an error (recorded)."""
    answer = await _post(session, url, citizen, {"sender": citizen.sender, "message": message})
    if answer is None:
        return None
    status, body = answer
    if status != 200 or not isinstance(body, list):
        citizen.errors.append(f"HTTP {status}" if status != 200 else "HTTP 200 without a JSON list")
        return None
    return "\n".join(str(r.get("text") or "") for r in body if isinstance(r, dict))


async def _open(session: aiohttp.ClientSession, base: str, citizen: Citizen) -> bool:
    """Ask the server for the citizen's conversation id, as the chat page does (a signed sender); False on error."""
    answer = await _post(session, f"{base}/webhooks/rest/conversations", citizen)
    if answer is None:
        return False
    status, body = answer
    sender = body.get("sender") if isinstance(body, dict) else None
    if status != 200 or not isinstance(sender, str):
        citizen.errors.append(f"conversation HTTP {status}")
        return False
    citizen.sender = sender
    return True


async def _citizen(session: aiohttp.ClientSession, base: str, citizen: Citizen, codes: set) -> None:
    await asyncio.sleep(citizen.pauses.uniform(0, THINK_S))  # arrives some time in the first THINK_S
    if not citizen.sender and not await _open(session, base, citizen):
        return
    url = f"{base}/webhooks/rest/webhook"
    for number, (message, expected) in enumerate(_script(citizen)):
        if number:
            await asyncio.sleep(citizen.pauses.uniform(0.5, 1.5) * THINK_S)
        started = time.perf_counter()
        text = await _turn(session, url, citizen, message)
        citizen.latencies_ms.append((time.perf_counter() - started) * 1000)
        if text is None:
            continue
        if not text.strip():
            citizen.errors.append("empty reply")
        elif expected and expected not in text:
            citizen.errors.append(f"reply without {'its code' if expected == citizen.code else expected!r}")
            citizen.samples.append(f"{message!r} → {text[:200]!r}")
        if any(code != citizen.code for code in CODE_RE.findall(text) if code in codes):
            citizen.crossed += 1


async def _play(base: str, citizens: Sequence[Citizen]) -> float:
    codes = {c.code for c in citizens}
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(_citizen(session, base, c, codes) for c in citizens))
        return time.perf_counter() - started


def citizens_for(dossiers: Sequence[Tuple[str, str]], count: int) -> List[Citizen]:
    """`count` citizens, each with a dossier (code, digits) of its own while there are enough.

    Each asks the server for its conversation id (a signed sender) before its first turn, and
    comes from an address of its own (10.x.y.z in X-Forwarded-For, as a front proxy would say;
    the servers read it only when told to trust that proxy, SANIC_PROXIES_COUNT).
    """
    return [
        Citizen("", {"X-Forwarded-For": f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"},
                *dossiers[number % len(dossiers)], pauses=random.Random(number))
        for number in range(count)
    ]


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
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:10],
        "error_samples": [s for c in citizens for s in c.samples][:5],
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
