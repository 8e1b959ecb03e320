"""Shared set-up for the transcript tests of the shipped helpdesk (tests/test_bots_*.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapter import App
from bots import ENTRY, PERSONAS


def helpdesk_app(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> App:
    """The shipped personas in a fresh App with its own database.

    The classifier cache is shared by the whole test session rather than kept beside each
    test's database: it is keyed by the training data, so the first test trains the real
    classifier and the others load that same model (about 0.2 s saved per test).
    """
    cache = tmp_path_factory.getbasetemp() / "bots-classifier-cache"
    return App(personas=PERSONAS, entry=ENTRY, db=tmp_path / "baton.db", cache_dir=cache)
