"""Where the catalogue's own files are (no settings here: see settings.py)."""
from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CURATED_DIR = Path(__file__).resolve().parent / "data" / "curated"
