"""Who may speak, or read officer replies, as a given REST or web page sender.

Every request to a channel's /webhook or /updates names a sender. `SenderGate`
turns it into the conversation id Rasa uses, or into the 4xx response that
refuses it:

- a sender issued by this server for this channel (POST .../conversations,
  see conversation_ids.SenderSigner): accepted;
- with ``Authorization: Bearer <REST_API_TOKEN>`` (a trusted integration,
  token compared in constant time): any sender of its own, except one in
  another channel's namespace ("zalo:...", "webchat:...") — 403;
- a wrong bearer token, or one when REST_API_TOKEN is not set: 401;
- anything else (made up, guessed, issued for another channel, tampered): 403,
  saying how to get a sender.
"""
from __future__ import annotations

import hmac
from typing import Any, Dict, Optional, Union

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.conversation_ids import SenderSigner, reserved_namespace, tracker_id

BEARER = "Bearer "
CLIENT_KEY = "client_key"  # message metadata the actions read (actions/payloads.py): who sent it, hashed


def _error(message: str, status: int) -> HTTPResponse:
    return response.json({"error": message}, status=status)


def conversations_path(request_path: str) -> str:
    """Where a client gets a sender: the channel's /conversations beside the path it called."""
    return request_path.rstrip("/").rsplit("/", 1)[0] + "/conversations"


class SenderGate:
    """The senders one channel accepts; `issue` makes new ones."""

    def __init__(self, channel: str, signer: SenderSigner, trusted_token: str = ""):
        self.channel = channel
        self.signer = signer
        self._trusted = trusted_token.encode("utf-8") if trusted_token else b""

    def issue(self) -> str:
        return self.signer.issue(self.channel)

    def with_client(self, request: Request, metadata: Optional[Dict[str, Any]]) -> Dict[str, Any]:
        """`metadata` with the sending client's keyed hash under "client_key" (any given value replaced).

        The client is the peer address, or the address the trusted proxies in
        front name (Sanic's PROXIES_COUNT / REAL_IP_HEADER, set through
        SANIC_PROXIES_COUNT etc.; see README "Production layout"). The
        dossier look-up limits count per client with it, so minting new
        conversation ids gains nothing.
        """
        address = request.remote_addr or request.ip or ""
        return {**(metadata or {}), CLIENT_KEY: self.signer.client_key(address)}

    def resolve(self, request: Request, sender: str) -> Union[str, HTTPResponse]:
        """The conversation id for `sender` (a non-empty string), or the response that refuses it."""
        header = request.headers.get("Authorization")
        if header is not None:
            return self._trusted_sender(header, sender)
        if self.signer.verify(self.channel, sender):
            return tracker_id(self.channel, sender)
        where = conversations_path(request.path)
        return _error(
            "Mã cuộc trò chuyện (sender) không hợp lệ: mã này phải do máy chủ cấp. "
            f"Hãy gửi POST {where} để nhận mã mới ({{\"sender\": \"...\"}}), rồi dùng mã đó cho mọi tin nhắn "
            "của cuộc trò chuyện.",
            403,
        )

    def _trusted_sender(self, header: str, sender: str) -> Union[str, HTTPResponse]:
        if not self._trusted:
            return _error(
                "Kênh này không nhận mã truy cập (Authorization) vì REST_API_TOKEN chưa đặt; "
                "hãy bỏ tiêu đề Authorization và dùng mã cuộc trò chuyện do máy chủ cấp.",
                401,
            )
        given = header[len(BEARER):] if header.startswith(BEARER) else ""
        if not hmac.compare_digest(given.encode("utf-8", "surrogatepass"), self._trusted):
            return _error("Sai mã truy cập (Authorization: Bearer <REST_API_TOKEN>).", 401)
        foreign = reserved_namespace(sender)
        if foreign is not None:
            return _error(
                f"Mã cuộc trò chuyện bắt đầu bằng \"{foreign}:\" thuộc kênh {foreign}; "
                "kênh này không được dùng. Hãy đặt mã khác.",
                403,
            )
        return tracker_id(self.channel, sender)
