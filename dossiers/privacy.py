"""Applicant data stored so that it does not read as personal data.

- Phone numbers are kept only as keyed hashes (HMAC-SHA256 with a server
  secret and a per-dossier salt): one of the whole number
  and one of its last four digits, which is what citizens give to verify.
  Without the server secret the four digits cannot be brute-forced from a
  copy of the database.
- Names are kept masked: "Nguyễn Văn An" → "Nguyễn V** A*".

The server secret (`key`, bytes) is always passed in: it is
`Settings.hash_key` (DOSSIER_HASH_KEY), which the wiring modules hand down.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass

_DIGITS_RE = re.compile(r"\d")


def _require(key: bytes) -> bytes:
    if not isinstance(key, bytes) or not key:
        raise ValueError("thiếu khóa bí mật để băm (DOSSIER_HASH_KEY)")
    return key


def ascii_digits(text: str) -> str:
    """The decimal digits of `text`, whatever their script, as ASCII: "１２３４", "١٢٣٤", "1 2 3 4" → "1234"."""
    if not isinstance(text, str):
        return ""
    return "".join(str(unicodedata.decimal(ch)) for ch in _DIGITS_RE.findall(text[:1000]))


def _digits(phone: str) -> str:
    return ascii_digits(phone or "")


def keyed_hash(value: str, salt: str, key: bytes) -> str:
    return hmac.new(_require(key), f"{salt}:{value}".encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class PhoneHashes:
    salt: str
    full: str
    tail: str


def hash_phone(phone: str, key: bytes, salt: str = None) -> PhoneHashes:
    """Keyed hashes of the whole number and of its last four digits. Raises ValueError under 4 digits."""
    digits = _digits(phone)
    if len(digits) < 4:
        raise ValueError("số điện thoại phải có ít nhất 4 chữ số")
    salt = salt or secrets.token_hex(8)
    return PhoneHashes(salt=salt, full=keyed_hash(digits, salt, key), tail=keyed_hash(digits[-4:], salt, key))


def tail_matches(last_digits: str, salt: str, tail_hash: str, key: bytes) -> bool:
    """Whether four digits are the ones hashed (with the same salt and key) in `tail_hash`."""
    digits = _digits(last_digits)
    if len(digits) != 4:
        return False
    return hmac.compare_digest(keyed_hash(digits, salt, key), tail_hash)


def mask_name(name: str) -> str:
    """Keep the family name, then only the first letter of each other part."""
    parts = (name or "").split()
    if not parts:
        return ""
    masked = [parts[0]] + [part[0] + "*" * (len(part) - 1) for part in parts[1:]]
    return " ".join(masked)


def lookup_key(kind: str, value: str, key: bytes) -> str:
    """What the look-up counters keep of a dossier code or a client (`kind`: "code", "client"): a keyed hash, 32 hex digits."""
    return hmac.new(_require(key), f"{kind}:{value or ''}".encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def conversation_key(conversation_id: str, key: bytes) -> str:
    """What the attempt log keeps of a conversation: a keyed hash (32 hex digits), not the channel's user id."""
    return hmac.new(_require(key), (conversation_id or "").encode("utf-8"), hashlib.sha256).hexdigest()[:32]
