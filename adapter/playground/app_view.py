"""What the playground needs of the app it shows (``adapter.App`` is one)."""

from __future__ import annotations

from typing import Protocol

from ..drivable import AppUnderTest
from ..registry import Registry


class PlaygroundApp(AppUnderTest, Protocol):
    """An app FakeSlack can drive, whose personas and settings the page shows."""

    registry: Registry
    dm_idle_timeout: float
