"""When a part of the system fails, the citizen still gets a polite answer in time.

Two guards, both on the Rasa server:

- `install()` wraps Rasa's RemoteAction.run (the call to the action server):
  the call gets at most `Settings.action_server_timeout` seconds, and when it
  fails (server down, frozen, an error answer) the action's result is one
  bot message, FAILURE_REPLY with the hotline, instead of nothing. Only the
  first failure of a turn says so; the log names the action and the
  exception's type, never the conversation. Rasa's own ActionExecutionRejection
  (a form refusing a value) goes through unchanged.
- `guarded(turn, timeout)` runs a citizen's turn under a deadline: when it
  raises (tracker store, lock store or database down) or has not finished in
  `timeout` seconds, it says so and the channel answers FAILURE_REPLY. A late
  turn is not cancelled: it finishes in the background under the
  conversation's lock, so the tracker stays whole, and the citizen is told
  the answer will follow (LATE_REPLY): citizen_turn keeps what the turn says
  late for the citizen's channel (ChannelStore.keep_replies: the outbox), so
  nothing is lost. A late turn that then fails keeps LATE_FAILURE_REPLY
  instead, which takes the promise back in the same words.

Nothing is installed at import time; the channels call `install()` when Rasa
builds them, like action_validation.
"""
from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
from dataclasses import dataclass
from typing import Any, Awaitable, Optional, Tuple, TypeVar

from bot import runtime

logger = logging.getLogger(__name__)

FAILURE_REPLY = (
    "Xin lỗi, hệ thống đang gặp sự cố nên tôi chưa trả lời được tin nhắn này. "
    "Bạn vui lòng thử lại sau ít phút, hoặc gọi tổng đài {hotline} để được hỗ trợ."
)

LATE_REPLY = (
    "Xin lỗi, hệ thống đang chậm nên tôi chưa kịp trả lời ngay. Câu trả lời sẽ được gửi tới bạn ở đây "
    "ngay khi có; nếu cần gấp, bạn gọi tổng đài {hotline}."
)

# What a late turn's promise becomes when the turn then fails (an action failed, a store went down):
# it replaces FAILURE_REPLY so the citizen never reads "the answer will follow", then "try again" as
# if it were a new problem.
LATE_FAILURE_REPLY = (
    "Xin lỗi, tôi chưa gửi được câu trả lời đã hẹn cho tin nhắn vừa rồi vì hệ thống đang gặp sự cố. "
    "Bạn vui lòng hỏi lại sau ít phút, hoặc gọi tổng đài {hotline} để được hỗ trợ."
)

T = TypeVar("T")
_lock = threading.Lock()
_installed = False


@dataclass
class TurnState:
    """What went wrong during one citizen's turn (shared with the tasks the turn starts)."""

    action_failed: bool = False
    late: Optional["asyncio.Future[Any]"] = None  # the turn, still running after the deadline


_turn: contextvars.ContextVar[Optional[TurnState]] = contextvars.ContextVar("citizen_turn", default=None)


def failure_text() -> str:
    """FAILURE_REPLY with the configured hotline (HOTLINE)."""
    return FAILURE_REPLY.format(hotline=runtime.settings().hotline)


def failure_message(recipient: str) -> dict:
    """FAILURE_REPLY as one of Rasa's output messages for `recipient`."""
    return {"recipient_id": recipient, "text": failure_text()}


def late_failure_text() -> str:
    """LATE_FAILURE_REPLY with the configured hotline (HOTLINE)."""
    return LATE_FAILURE_REPLY.format(hotline=runtime.settings().hotline)


def late_message(recipient: str) -> dict:
    """LATE_REPLY (the answer will follow) as one of Rasa's output messages for `recipient`."""
    return {"recipient_id": recipient, "text": LATE_REPLY.format(hotline=runtime.settings().hotline)}


async def guarded(turn: Awaitable[T], timeout: float) -> Tuple[Optional[T], Optional[TurnState]]:
    """(result, None) when `turn` finished in time; (None, state) when it failed or was late.

    `state` tells whether an action failed as well. The turn keeps running
    after the deadline (never cancelled halfway through saving a tracker);
    what it raises later is logged by type.
    """
    state = TurnState()
    token = _turn.set(state)
    try:
        task = asyncio.ensure_future(turn)  # the task copies the context: it sees `state`
    finally:
        _turn.reset(token)
    try:
        result = await asyncio.wait_for(asyncio.shield(task), timeout)
    except asyncio.TimeoutError:
        logger.error("citizen turn late: the citizen is told the answer will follow")
        task.add_done_callback(_log_late_failure)
        state.late = task
        return None, state
    except Exception as exc:
        logger.error("citizen turn failed: %s", type(exc).__name__)
        return None, state
    return result, state


def _log_late_failure(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("late citizen turn failed: %s", type(task.exception()).__name__)


def install() -> None:
    """Wrap RemoteAction.run with the deadline and the failure reply (once per process)."""
    global _installed
    with _lock:
        if _installed:
            return
        from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
        from rasa.shared.core.events import BotUttered

        original = RemoteAction.run

        async def run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> list:
            timeout = runtime.settings().action_server_timeout
            try:
                return await asyncio.wait_for(original(self, output_channel, nlg, tracker, domain), timeout)
            except ActionExecutionRejection:
                raise
            except Exception as exc:  # down, frozen, refused: the citizen is told, the log gets the type
                logger.error("action %s failed: %s", self.name(), type(exc).__name__)
                state = _turn.get()
                if state is not None:
                    if state.action_failed:
                        return []
                    state.action_failed = True
                return [BotUttered(failure_text())]

        RemoteAction.run = run
        _installed = True
