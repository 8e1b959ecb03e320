"""The fault suite's app: the shared helpdesk with short timeouts, so faults end quickly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapter import App
from tests.conftest import helpdesk


@pytest.fixture
def app(db_path: Path) -> Iterator[App]:
    built = App(personas=helpdesk(), entry="router", db=db_path, slack_timeout=0.5,
                retry_after=0.01)
    yield built
    built.close()
