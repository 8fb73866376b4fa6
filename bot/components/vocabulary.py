"""The curated catalogue entries the NLU components learn their vocabulary from."""
from __future__ import annotations

import hashlib
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


def vocabulary_fingerprint(paths: Iterable[str]) -> str:
    """SHA-256 over the curated files under `paths` (names and contents): a component that learns from them
    returns it from `fingerprint_addon`, so that Rasa retrains it when an everyday name changes instead of
    restoring it from its training cache."""
    from procedures_kb.curated_format import curated_files

    digest = hashlib.sha256()
    for raw_path in paths:
        path = Path(raw_path)
        if not path.is_absolute():
            path = PROJECT_ROOT / path
        if path.exists():
            for file in curated_files(path):
                digest.update(file.name.encode("utf-8"))
                digest.update(file.read_bytes())
    return digest.hexdigest()
