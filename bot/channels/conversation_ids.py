"""Whose conversation is this: channel namespaces and server-signed conversation ids.

A conversation id (Rasa's sender / tracker id) says which channel it belongs to:

- Zalo:        ``zalo:<Zalo user id>``
- web page:    ``webchat:<sender the server issued to the page>``
- REST:        the sender as given (never starting with a reserved prefix)

so no channel can reach another's conversations, and officer replies waiting
in a conversation can only go out on its own channel.

The senders the REST channel and the web page accept from the public are
issued by the server: ``<random>.<signature>``, where the signature is
HMAC-SHA256 over the channel name and the random part with the server's
CONVERSATION_SECRET. Nobody can make up, or guess, another citizen's sender;
a sender issued for the web page is not valid over REST and the other way
round. Trusted integrations may use their own senders over REST with a bearer
token (see sender_access.py), still outside the reserved namespaces.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from typing import Optional

ZALO = "zalo"
WEBCHAT = "webchat"
# Channels whose conversation ids are "<channel>:<id>"; REST may use none of these prefixes.
NAMESPACED = (ZALO, WEBCHAT)
RANDOM_BYTES = 18  # 24 URL-safe characters, 144 bits
SIGNATURE_CHARS = 43  # the whole HMAC-SHA256, URL-safe base64 without padding
_SIGNED_RE = re.compile(r"^[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{43}$")


def tracker_id(channel: str, sender: str) -> str:
    """The conversation id of `sender` on `channel`: namespaced for Zalo and the web page."""
    return f"{channel}:{sender}" if channel in NAMESPACED else sender


def channel_user(channel: str, conversation_id: str) -> Optional[str]:
    """The channel's own user id inside `conversation_id`, or None if the id is not that channel's."""
    prefix = f"{channel}:"
    if channel not in NAMESPACED or not conversation_id.startswith(prefix):
        return None
    return conversation_id[len(prefix):] or None


def reserved_namespace(sender: str) -> Optional[str]:
    """The channel whose namespace `sender` is in (e.g. "zalo" for "zalo:123"), or None."""
    head, colon, _ = sender.partition(":")
    if colon and head.strip().lower() in NAMESPACED:
        return head.strip().lower()
    return None


class SenderSigner:
    """Issues and checks the senders of one server secret.

    >>> signer = SenderSigner(b"secret")
    >>> sender = signer.issue("rest")
    >>> signer.verify("rest", sender), signer.verify("webchat", sender)
    (True, False)
    """

    def __init__(self, secret: bytes):
        if not secret:
            raise ValueError("the conversation secret is empty")
        self._secret = secret

    def _signature(self, channel: str, random_part: str) -> str:
        digest = hmac.new(self._secret, f"{channel}\n{random_part}".encode("ascii"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")

    def issue(self, channel: str) -> str:
        """A new sender for `channel`: "<24 random URL-safe chars>.<43-char signature>"."""
        random_part = secrets.token_urlsafe(RANDOM_BYTES)
        return f"{random_part}.{self._signature(channel, random_part)}"

    def client_key(self, address: str) -> str:
        """A keyed hash (32 hex characters) of a client address: the look-up limits count per client
        without the address itself being stored anywhere."""
        return hmac.new(self._secret, f"client\n{address}".encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:32]

    def verify(self, channel: str, sender: object) -> bool:
        """True if `sender` was issued by this server for `channel` (constant-time compare)."""
        if not isinstance(sender, str) or not _SIGNED_RE.match(sender):
            return False
        random_part, signature = sender.split(".")
        return hmac.compare_digest(signature, self._signature(channel, random_part))
