"""Segments of a long message, classified one by one as well as whole.

A message that tells a story before it asks ("I'm going to Oslo next week, what's the
exchange rate for NOK?") scores lower as a whole than its question alone: the story's
words dilute it. Ranking the whole message and each of its sentences or clauses, and
keeping each label's best score, lets the question speak for itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

# Sentence ends, and a comma, dash or "but"/"so"/"and" before a new clause that opens like
# a request ("..., can I", "... so how do I").
_BREAK = re.compile(
    r"(?<=[.!?;:])\s+|\s+[-–—]\s+|,?\s+(?:but|so|and|also|btw)\s+(?=(?:what|how|when|where|who|"
    r"why|which|can|could|do|does|did|is|are|will|would|should|i|i'm|im|my|please|pls)\b)"
    r"|,\s*(?=(?:what|how|when|where|who|why|which|can|could|do|does|is|are|will|would|"
    r"should|please|pls)\b)", re.IGNORECASE)
_JOINER = re.compile(r"^(?:and|but|so|also|btw)\s+|\s+(?:and|but|so|also|btw)$", re.IGNORECASE)
MIN_WORDS = 3  # a shorter piece says too little to be classified on its own
MAX_SEGMENTS = 6  # a very long message: its first few clauses, and itself whole


def segments(text: str) -> list[str]:
    """The pieces of ``text`` worth classifying on their own (none for a short message)."""
    pieces = [_JOINER.sub("", p.strip(" ,.;:!?-–—")) for p in _BREAK.split(text)]
    found = [p for p in pieces if len(p.split()) >= MIN_WORDS]
    return found[:MAX_SEGMENTS] if len(found) > 1 else []


def best_of(rank: Callable[[str], Iterable[tuple[str, float]]], text: str,
            k: int) -> list[tuple[str, float]]:
    """``rank`` of the whole text and of each segment, each label at its best score."""
    best: dict[str, float] = {}
    for piece in [text, *segments(text)]:
        for label, score in rank(piece):
            if score > best.get(label, -1.0):
                best[label] = score
    return sorted(best.items(), key=lambda item: -item[1])[:k]
