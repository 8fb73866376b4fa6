"""The Rasa server's wiring for channel tests: settings with short deadlines and a desk store on `engine`."""
from __future__ import annotations

import asyncio

import pytest
from rasa.core.channels.channel import UserMessage

from bot import runtime
from officer_desk.store import DeskStore
from settings import Settings

HOTLINE = "19001234"


@pytest.fixture
def wiring(engine):
    """Settings (hotline HOTLINE, short deadlines) and the desk store on the test database."""
    runtime.reset()
    runtime.configure(Settings(app_env="development", hotline=HOTLINE, reply_timeout=0.5,
                               action_server_timeout=0.3, officer_api_token="desk-token"))
    runtime.set_desk_store(DeskStore(engine))
    yield runtime
    runtime.reset()


class FakeRasa:
    """Stands for Rasa's agent.handle_message: records messages, answers with `reply`, or fails."""

    def __init__(self, reply: str = "Đăng ký khai sinh (mã 1.001193)", error: BaseException = None,
                 sleep: float = 0.0):
        self.reply, self.error, self.sleep = reply, error, sleep
        self.messages: list = []

    async def __call__(self, message: UserMessage) -> None:
        self.messages.append(message)
        if self.sleep:
            await asyncio.sleep(self.sleep)
        if self.error is not None:
            raise self.error
        await message.output_channel.send_text_message(message.sender_id, self.reply)
