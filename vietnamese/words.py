"""What counts as a word: runs of Latin letters (with Vietnamese marks) and digits."""
from __future__ import annotations

import re
from typing import Any, List

# A word as the NLU sees it: letters a-z, the precomposed Latin letters with
# marks (U+00C0–U+1EF9, which covers every Vietnamese letter in NFC) and digits.
WORD_RE = re.compile(r"[0-9A-Za-zÀ-ỹĐđ]+")


def words(text: str) -> List[str]:
    """The words of `text` as written (case and marks kept), in order."""
    return WORD_RE.findall(text)


def has_content(text: Any) -> bool:
    """True when `text` is a string with at least one letter or digit.

    An empty message, or one of only emoji, punctuation or spaces, has
    nothing to read: the NLU answers it with a fallback and the actions do
    not search for it.
    """
    return isinstance(text, str) and WORD_RE.search(text) is not None
