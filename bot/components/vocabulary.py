"""The curated catalogue entries the NLU components learn their vocabulary from."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator

PROJECT_ROOT = Path(__file__).resolve().parents[2]
logger = logging.getLogger(__name__)


def curated_entries(paths: Iterable[str]) -> Iterator[Dict[str, Any]]:
    """Raw entries of the curated catalogue files under `paths` (relative to the project)."""
    from procedures_kb.curated_format import curated_files, read_curated

    for raw_path in paths:
        path = Path(raw_path)
        if not path.is_absolute():
            path = PROJECT_ROOT / path
        if not path.exists():
            logger.warning("vocabulary path %s not found", path)
            continue
        for file in curated_files(path):
            for _, entry in read_curated(file):
                yield entry
