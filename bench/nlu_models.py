"""Train and load the NLU models compared by the evaluation and the benchmarks."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Tuple

from procedures_kb.paths import PROJECT_ROOT

CONFIGS = {
    "project": PROJECT_ROOT / "config.yml",
    "baseline": PROJECT_ROOT / "bench" / "baseline_config.yml",
}
EVAL_MODELS = PROJECT_ROOT / "models" / "eval"
RASA = Path(sys.executable).parent / "rasa"


def environment() -> Dict[str, str]:
    env = dict(os.environ)
    # No training cache: the measured time is a full training.
    env.update(PYTHONPATH=str(PROJECT_ROOT), RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2",
               RASA_MAX_CACHE_SIZE="0")
    return env


def train(name: str) -> Tuple[Path, float]:
    """Train one NLU model on bot/data/nlu/; return its path and the wall-clock seconds."""
    EVAL_MODELS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [str(RASA), "train", "nlu", "--nlu", "bot/data/nlu", "--config", str(CONFIGS[name]),
         "--domain", "bot/domain", "--out", str(EVAL_MODELS), "--fixed-model-name", name],
        cwd=PROJECT_ROOT, env=environment(), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    return EVAL_MODELS / f"{name}.tar.gz", time.perf_counter() - started


def parse_all(model: Path, texts: List[str]) -> List[dict]:
    """Parse texts in-process with a loaded model."""
    import logging

    from rasa.core.agent import Agent

    logging.getLogger("rasa").setLevel(logging.WARNING)
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    agent = Agent.load(str(model))

    async def run() -> List[dict]:
        return [await agent.parse_message(text) for text in texts]

    return asyncio.run(run())
