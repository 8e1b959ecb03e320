"""Test personas against a fake Slack that runs the real Bolt and slack_sdk code.

    async with FakeSlack(app) as slack:
        convo = slack.conversation(user="U1", channel="C1")
        await convo.user_says("I need a flight to Oslo")   # returns once handled
        assert convo.replies[-1] == Reply("travel", "Where are you flying from?")

Also a pytest plugin: define an ``app`` fixture and use the ``slack`` fixture.
"""

from __future__ import annotations

from typing import Any

from .conversation import Conversation, Reply, Transfer
from .errors import FakeSlackError
from .fake_slack import AppUnderTest, FakeSlack
from .faults import Fault
from .web_api import ApiCall, Message

__all__ = ["ApiCall", "AppUnderTest", "Conversation", "FakeSlack", "FakeSlackError", "Fault",
           "Message", "Reply", "Transfer"]

# --- pytest plugin (registered through the pytest11 entry point) ---------------------------
# The playground uses FakeSlack without the test extras installed: define the fixture
# only where pytest-asyncio is there to run it.
try:
    import pytest_asyncio
except ImportError:
    pytest_asyncio = None

if pytest_asyncio is not None:

    @pytest_asyncio.fixture
    async def slack(app: Any) -> Any:
        """A running FakeSlack around your ``app`` fixture."""
        async with FakeSlack(app) as fake:
            yield fake
