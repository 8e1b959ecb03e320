"""What FakeSlack, the playground and serving need of the app they drive (kept outside
``adapter.testing``, so that serving Slack does not load FakeSlack and pytest)."""

from __future__ import annotations

from typing import Protocol

from .in_flight import InFlight
from .storage import Storage


class AppUnderTest(Protocol):
    """What FakeSlack needs of the app it drives (``adapter.App`` is one)."""

    slack_api_url: str | None
    in_flight: InFlight
    storage: Storage

    async def start_http(self, port: int = 3000, host: str = "127.0.0.1", *,
                         token: str | None = None, signing_secret: str | None = None) -> int: ...
    async def start_socket_mode(self, *, token: str | None = None,
                                app_token: str | None = None) -> None: ...
    async def stop(self) -> None: ...
    async def run_due(self, now: float | None = None) -> int: ...
