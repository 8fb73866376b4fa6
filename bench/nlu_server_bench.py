"""NLU speed and memory: full training time, /model/parse latency, server memory.

The project's model and Rasa's default pipeline are both trained (no cache)
and served in this run; every figure is reported beside the baseline's.
"""
from __future__ import annotations

import secrets
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Dict, List

import requests
import yaml

from bench import nlu_models
from procedures_kb.paths import PROJECT_ROOT

TEST_SET = PROJECT_ROOT / "tests" / "nlu" / "test_set.yml"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    pids = [pid]
    try:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)


def _percentile(values: List[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def serve_and_measure(model: Path, texts: List[str], repeats: int = 3) -> Dict[str, float]:
    port = _free_port()
    token = secrets.token_urlsafe(24)  # the HTTP API is never served without a token
    with tempfile.TemporaryDirectory() as work:
        process = subprocess.Popen(
            [str(nlu_models.RASA), "run", "--model", str(model), "--enable-api", f"--auth-token={token}",
             "--interface", "127.0.0.1", "--port", str(port)],
            cwd=work, env=nlu_models.environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            started = time.perf_counter()
            while time.perf_counter() - started < 300:
                try:
                    if requests.get(f"{url}/status", params={"token": token}, timeout=2).ok:
                        break
                except requests.RequestException:
                    time.sleep(1)
            startup = time.perf_counter() - started
            session = requests.Session()
            session.params = {"token": token}
            for text in texts[:20]:
                session.post(f"{url}/model/parse", json={"text": text}, timeout=30)
            latencies = []
            for _ in range(repeats):
                for text in texts:
                    t0 = time.perf_counter()
                    response = session.post(f"{url}/model/parse", json={"text": text}, timeout=30)
                    latencies.append((time.perf_counter() - t0) * 1000)
                    response.raise_for_status()
            memory = _rss_mb(process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    return {
        "startup_s": round(startup, 1),
        "parse_p50_ms": round(statistics.median(latencies), 2),
        "parse_p95_ms": round(_percentile(latencies, 95), 2),
        "requests": len(latencies),
        "server_rss_mb": memory,
    }


def run() -> Dict[str, object]:
    texts = [e["text"] for e in yaml.safe_load(TEST_SET.read_text(encoding="utf-8"))["examples"]]
    results: Dict[str, object] = {}
    for name in ("project", "baseline"):
        model, seconds = nlu_models.train(name)
        figures = serve_and_measure(model, texts)
        figures["nlu_train_s"] = round(seconds, 1)
        results[name] = figures
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [str(nlu_models.RASA), "train", "--domain", "bot/domain", "--data", "bot/data",
             "--config", "config.yml", "--out", out, "--fixed-model-name", "full"],
            cwd=PROJECT_ROOT, env=nlu_models.environment(), check=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    results["project"]["full_train_s"] = round(time.perf_counter() - started, 1)
    ours, base = results["project"], results["baseline"]
    results["ratios_to_baseline"] = {
        "parse_p95": round(ours["parse_p95_ms"] / base["parse_p95_ms"], 2),
        "server_rss": round(ours["server_rss_mb"] / base["server_rss_mb"], 2),
        "nlu_train": round(ours["nlu_train_s"] / base["nlu_train_s"], 2),
    }
    results["targets_met"] = {
        "parse p95 ≤ 30 ms": ours["parse_p95_ms"] <= 30,
        "full training ≤ 300 s": ours["full_train_s"] <= 300,
        "server memory ≤ 1.5 GB": ours["server_rss_mb"] <= 1536,
    }
    return results
