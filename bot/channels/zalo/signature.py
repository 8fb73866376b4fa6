"""X-ZEvent-Signature: `mac=` + hex SHA-256 of app_id + raw body + timestamp + OA secret key.

A plain SHA-256 of the concatenation (not an HMAC), as Zalo defines it; the
app id and timestamp are the ones in the event's body.
"""
from __future__ import annotations

import hashlib
import hmac
from typing import Optional, Union

PREFIX = "mac="


def compute(app_id: str, raw_body: bytes, timestamp: Union[str, int], secret: str) -> str:
    digest = hashlib.sha256()
    digest.update(str(app_id).encode("utf-8"))
    digest.update(raw_body)
    digest.update(str(timestamp).encode("utf-8"))
    digest.update(secret.encode("utf-8"))
    return digest.hexdigest()


def header_value(app_id: str, raw_body: bytes, timestamp: Union[str, int], secret: str) -> str:
    return PREFIX + compute(app_id, raw_body, timestamp, secret)


def verify(header: Optional[str], app_id: str, raw_body: bytes, timestamp: Union[str, int], secret: str) -> bool:
    if not header or not secret:
        return False
    given = header.strip()
    if not given.lower().startswith(PREFIX):
        return False
    given = given[len(PREFIX):]
    expected = compute(app_id, raw_body, timestamp, secret)
    return hmac.compare_digest(given.strip().lower().encode("ascii", "replace"), expected.encode("ascii"))
