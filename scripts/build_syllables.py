"""Write vietnamese/data/syllables.txt: the syllables the project's own texts use.

Read from the curated catalogue (procedures_kb/data/curated), the Rasa
domain and training data (bot/domain, bot/data, generated examples
included): every word that is a valid Vietnamese syllable
(vietnamese.syllables.parse), lower case, NFC, one a line, sorted. The
normaliser decodes Telex and VNI keystrokes only into syllables of this list
(vietnamese.keystrokes). The national catalogue is not read: its text is not
the project's to copy, even as a word list.

    .venv/bin/python -m scripts.build_syllables          (write the file)
    .venv/bin/python -m scripts.build_syllables --check  (exit 1 when it is out of date)
"""
from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path
from typing import Iterable, List

from vietnamese.syllables import SYLLABLES_FILE, is_syllable
from vietnamese.words import WORD_RE

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("procedures_kb/data/curated", "bot/domain", "bot/data")


def source_files(root: Path = ROOT) -> List[Path]:
    return sorted(path for source in SOURCES for path in (root / source).rglob("*.yml"))


def syllables(paths: Iterable[Path]) -> List[str]:
    found = set()
    for path in paths:
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8").lower())
        found.update(word for word in WORD_RE.findall(text) if word.isalpha() and is_syllable(word))
    return sorted(found)


def render(words: List[str]) -> str:
    return "\n".join(words) + "\n"


def main(argv: List[str] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether the file is up to date")
    args = parser.parse_args(argv)
    text = render(syllables(source_files()))
    current = SYLLABLES_FILE.read_text(encoding="utf-8") if SYLLABLES_FILE.exists() else ""
    if args.check:
        if text != current:
            print("vietnamese/data/syllables.txt is out of date: run python -m scripts.build_syllables")
            return 1
        return 0
    SYLLABLES_FILE.write_text(text, encoding="utf-8")
    print(f"{SYLLABLES_FILE.relative_to(ROOT)}: {len(text.split())} syllables")
    return 0


if __name__ == "__main__":
    sys.exit(main())
