"""What is left of a log line once everything that could be personal is taken out.

`redact(text)` decodes \\uXXXX escapes first (JSON bodies arrive escaped), then
replaces, in this order (with "hidden" or "####"):

- JSON-like structures (`{...}`, `[...]` holding quotes or colons): `{hidden}`, `[hidden]`;
- quoted strings that are not plain identifiers (action names, URLs and
  intent names stay; message texts, digits, names go): `'hidden'`;
- dossier codes (`000.00.07.H29-240315-0012`, `G22.99-251225-020175`, however separated): `[dossier code]`;
- runs of four or more digits (phones, verification digits), except a port
  after a colon and a procedure code's number after a dot: `####`;
- words with Vietnamese (non-ASCII) letters and masked names (`V**`): `[hidden]`.

`clean_exception(exc_type, exc, tb)` is the traceback text with each
exception's message redacted (chained causes included).
"""
from __future__ import annotations

import json
import re
import traceback
from types import TracebackType
from typing import Any, List, Optional, Type

MAX_CHARS = 20_000
HIDDEN = "hidden"

_ESCAPE_RE = re.compile(r"\\+u([dD][89abAB][0-9a-fA-F]{2})\\+u([dD][c-fC-F][0-9a-fA-F]{2})|\\+u([0-9a-fA-F]{4})")
_STRUCTURE_RE = re.compile(r"\{[^{}]*\}|\[[^\[\]]*\]")
_QUOTED_RE = re.compile(r"(?<![A-Za-z])'([^'\n]*)'|\"([^\"\n]*)\"")
_IDENTIFIER_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-/:@]{0,120}")
_SEP = r"[\s.\-_/]*"
# The forms dossiers.codes reads: 000.00.07.H29-240315-0012, 38.98.H29-210519-0013, G22.99-251225-020175.
_CODE_RE = re.compile(
    r"(?:(?:\d{3}" + _SEP + r")?\d{2}" + _SEP + r"\d{2}" + _SEP + r")?[A-Za-z]\d{2}(?:" + _SEP + r"\d{2}){0,3}"
    + _SEP + r"\d{6}" + _SEP + r"\d{4,8}"
)
_NON_ASCII_RE = re.compile(r"\S*[^\x00-\x7f\s]\S*(?:\s+\S*[^\x00-\x7f\s]\S*)*")
_MASKED_RE = re.compile(r"\b\w\*+")


def _decode_escapes(text: str) -> str:
    def one(match: re.Match) -> str:
        if match.group(3):
            code = int(match.group(3), 16)
            return "?" if 0xD800 <= code <= 0xDFFF else chr(code)
        high, low = int(match.group(1), 16), int(match.group(2), 16)
        return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))

    return _ESCAPE_RE.sub(one, text)


def _structures(text: str) -> str:
    """Innermost brackets first, outwards: any bracket holding a quote or a colon goes."""
    for _ in range(64):
        changed = _STRUCTURE_RE.sub(_structure, text)
        if changed == text:
            break
        text = changed
    return text.replace("\x01", "{" + HIDDEN + "}").replace("\x02", "[" + HIDDEN + "]")


def _structure(match: re.Match) -> str:
    body = match.group(0)
    inner = body[1:-1]
    if not any(ch in inner for ch in "\"':\x01\x02"):
        return body.replace("{", "\x03").replace("}", "\x04").replace("[", "\x05").replace("]", "\x06")
    return "\x01" if body[0] == "{" else "\x02"


def _quoted(match: re.Match) -> str:
    single, double = match.group(1), match.group(2)
    content = single if single is not None else double
    if _IDENTIFIER_RE.fullmatch(content) or not content:
        return match.group(0)
    return "'" + HIDDEN + "'" if single is not None else '"' + HIDDEN + '"'


def _digits(text: str) -> str:
    # A port (":5005") and a procedure code's number ("1.001193") stay; any other run of four or more digits goes.
    def one(match: re.Match) -> str:
        before, run = text[match.start() - 1:match.start()], match.group(0)
        if (before == ":" and len(run) <= 5) or (before == "." and len(run) <= 6):
            return run
        return "####"

    return re.sub(r"(?<!\d)\d{4,}(?!\d)", one, text)


def redact(text: Any) -> str:
    """`text` (any object, as str) with everything that could be personal replaced."""
    if not isinstance(text, str):
        text = str(text)
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS] + " [cut]"
    text = _decode_escapes(text)
    text = _structures(text)
    text = text.replace("\x03", "{").replace("\x04", "}").replace("\x05", "[").replace("\x06", "]")
    text = _QUOTED_RE.sub(_quoted, text)
    text = _CODE_RE.sub("[dossier code]", text)
    text = _digits(text)
    text = _MASKED_RE.sub("[" + HIDDEN + "]", text)
    text = _NON_ASCII_RE.sub("[" + HIDDEN + "]", text)
    return text


def redact_json_line(text: str) -> Optional[str]:
    """A structured (JSON object) log line with its keys and plain values kept, redacted; None if not one."""
    stripped = text.strip()
    if not (stripped.startswith("{") and stripped.endswith("}")):
        return None
    try:
        data = json.loads(stripped)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    cleaned = {}
    for key, value in data.items():
        if isinstance(value, bool) or value is None or isinstance(value, (int, float)):
            cleaned[str(key)] = value
        elif isinstance(value, str):
            cleaned[str(key)] = redact(value)
        else:
            cleaned[str(key)] = HIDDEN
    return json.dumps(cleaned, ensure_ascii=False)


def clean_exception(
    exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
) -> str:
    """The traceback as Python prints it, but every exception's message redacted."""
    if exc is None:
        return ""
    chain: List[BaseException] = []
    seen = set()
    current: Optional[BaseException] = exc
    while current is not None and id(current) not in seen and len(chain) < 10:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    parts: List[str] = []
    for index, item in enumerate(reversed(chain)):
        if index:
            parts.append("\nThe above exception led to the following one:\n\n")
        frames = traceback.extract_tb(item.__traceback__)
        if frames:
            parts.append("Traceback (most recent call last):\n")
            parts.extend(traceback.format_list(frames))
        try:
            message = str(item)
        except Exception:  # a broken __str__ must not break logging
            message = ""
        name = type(item).__module__ + "." + type(item).__qualname__
        parts.append(f"{name}: {redact(message)}\n" if message else f"{name}\n")
    return "".join(parts).rstrip("\n")
