"""What Baton needs of an intent classifier: the ``Classifier`` protocol."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable


@runtime_checkable
class Classifier(Protocol):
    """What Baton needs of an intent classifier."""

    def fit(self, examples: Sequence[tuple[str, str]]) -> None:
        """Learn from (text, label) pairs; may be called again to start over."""

    def predict(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """The best ``k`` labels for ``text``, highest score first, scores in [0, 1]."""
