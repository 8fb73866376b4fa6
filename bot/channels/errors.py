"""Errors of the project's HTTP endpoints, answered as short JSON and logged by type only.

`install(blueprint, name)` gives a blueprint one handler for every exception
its routes raise:

    InvalidInput          its status (400, 413) and its Vietnamese message
    SQLAlchemyError       503 "the database is unavailable, try again"
    a Sanic error         its status (404, 405, 413...) with a short message
    anything else         500 "server error"

The body is always `{"error": "..."}`: never a traceback. The log line
names the blueprint and the exception's type, never its message (which can
quote what a citizen wrote).
"""
from __future__ import annotations

import logging

from sanic import Blueprint, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.channels.validation import BODY_TOO_LARGE, MAX_BODY_BYTES, InvalidInput

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = "Cơ sở dữ liệu tạm thời không dùng được; vui lòng thử lại sau ít phút."
SERVER_ERROR = "Máy chủ gặp lỗi khi xử lý yêu cầu; vui lòng thử lại sau."
BY_STATUS = {
    404: "Không tìm thấy.",
    405: "Phương thức không được hỗ trợ ở địa chỉ này.",
    413: BODY_TOO_LARGE.format(kib=MAX_BODY_BYTES // 1024),
}


def error(message: str, status: int) -> HTTPResponse:
    return response.json({"error": message}, status=status)


def answer(exc: Exception, name: str) -> HTTPResponse:
    """The response for `exc` raised in blueprint `name` (see the module's table), logged by type."""
    if isinstance(exc, InvalidInput):
        return error(exc.message, exc.status)
    if isinstance(exc, SQLAlchemyError):
        logger.error("%s: database unavailable: %s", name, type(exc).__name__)
        return error(DATABASE_UNAVAILABLE, 503)
    if isinstance(exc, SanicException) and 400 <= (exc.status_code or 500) < 500:
        status = exc.status_code
        return error(BY_STATUS.get(status, "Yêu cầu không hợp lệ."), status)
    logger.error("%s: request failed: %s", name, type(exc).__name__)
    return error(SERVER_ERROR, 500)


def install_server_wide(blueprint: Blueprint) -> None:
    """Answer requests no route takes (an unknown path: 404; a known path with another method: 405)
    anywhere on the server with the same short Vietnamese JSON instead of Sanic's English HTML page.

    Registered on the app when the server starts (a listener of `blueprint`); Rasa's own API
    routes keep their own answers.
    """
    from sanic.exceptions import MethodNotSupported, NotFound

    async def unrouted(request: Request, exc: Exception) -> HTTPResponse:
        return answer(exc, "server")

    @blueprint.listener("before_server_start")
    async def register(app, loop) -> None:
        for kind in (NotFound, MethodNotSupported):
            app.error_handler.add(kind, unrouted)


def install(blueprint: Blueprint, name: str) -> None:
    """Answer every exception of `blueprint`'s routes (and its middleware) with `answer`."""

    @blueprint.exception(Exception)
    async def handle(request: Request, exc: Exception) -> HTTPResponse:
        return answer(exc, name)
