"""Applicant data stored so that it does not read as personal data.

- Phone numbers are kept only as keyed hashes (HMAC-SHA256 with a server
  secret, DOSSIER_HASH_KEY, and a per-dossier salt): one of the whole number
  and one of its last four digits, which is what citizens give to verify.
  Without the server secret the four digits cannot be brute-forced from a
  copy of the database.
- Names are kept masked: "Nguyễn Văn An" → "Nguyễn V** A*".
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass

DEFAULT_KEY = "tthc-demo-key-change-me"  # for demos and tests; production sets DOSSIER_HASH_KEY
_DIGITS_RE = re.compile(r"\d")


def hash_key() -> bytes:
    return (os.environ.get("DOSSIER_HASH_KEY") or DEFAULT_KEY).encode("utf-8")


def _digits(phone: str) -> str:
    return "".join(_DIGITS_RE.findall(phone or ""))


def keyed_hash(value: str, salt: str, key: bytes) -> str:
    return hmac.new(key, f"{salt}:{value}".encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class PhoneHashes:
    salt: str
    full: str
    tail: str


def hash_phone(phone: str, key: bytes = None, salt: str = None) -> PhoneHashes:
    digits = _digits(phone)
    if len(digits) < 4:
        raise ValueError("số điện thoại phải có ít nhất 4 chữ số")
    key = key or hash_key()
    salt = salt or secrets.token_hex(8)
    return PhoneHashes(salt=salt, full=keyed_hash(digits, salt, key), tail=keyed_hash(digits[-4:], salt, key))


def tail_matches(last_digits: str, salt: str, tail_hash: str, key: bytes = None) -> bool:
    digits = _digits(last_digits)
    if len(digits) != 4:
        return False
    return hmac.compare_digest(keyed_hash(digits, salt, key or hash_key()), tail_hash)


def mask_name(name: str) -> str:
    """Keep the family name, then only the first letter of each other part."""
    parts = (name or "").split()
    if not parts:
        return ""
    masked = [parts[0]] + [part[0] + "*" * (len(part) - 1) for part in parts[1:]]
    return " ".join(masked)


def conversation_key(conversation_id: str) -> str:
    """What the attempt log keeps of a conversation: a keyed hash, not the channel's user id."""
    return hmac.new(hash_key(), (conversation_id or "").encode("utf-8"), hashlib.sha256).hexdigest()[:32]
