"""KeywordClassifier: nearest training phrase by TF-IDF cosine, with no dependencies."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

_WORD = re.compile(r"[a-z0-9']+")


def _features(text: str) -> Counter[str]:
    words = _WORD.findall(text.casefold())
    return Counter(words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)])


class KeywordClassifier:
    """Nearest training phrase by TF-IDF cosine similarity: no dependencies, no
    out-of-scope model; fine for a handful of intents."""

    name = "keyword"
    version = 1

    def __init__(self) -> None:
        self._idf: dict[str, float] = {}
        self._phrases: list[tuple[str, dict[str, float]]] = []
        self._index: dict[str, list[int]] = defaultdict(list)

    def fit(self, examples: Sequence[tuple[str, str]]) -> None:
        documents = [(label, _features(text)) for text, label in examples]
        counts: Counter[str] = Counter()
        for _, features in documents:
            counts.update(features.keys())
        total = len(documents)
        self._idf = {term: math.log((1 + total) / (1 + n)) + 1 for term, n in counts.items()}
        self._phrases = [(label, self._vector(features)) for label, features in documents]
        self._index = defaultdict(list)
        for row, (_, vector) in enumerate(self._phrases):
            for term in vector:
                self._index[term].append(row)

    def _vector(self, features: Counter[str]) -> dict[str, float]:
        weights = {t: c * self._idf[t] for t, c in features.items() if t in self._idf}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}

    def predict(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        query = self._vector(_features(text))
        best: dict[str, float] = {}
        for row in _candidates(self._index, query):
            label, vector = self._phrases[row]
            score = sum(w * vector.get(t, 0.0) for t, w in query.items())
            if score > best.get(label, 0.0):
                best[label] = score
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        return [(label, min(1.0, round(score, 6))) for label, score in ranked[:k]]


def _candidates(index: dict[str, list[int]], query: Iterable[str]) -> set[int]:
    rows: set[int] = set()
    for term in query:
        rows.update(index.get(term, ()))
    return rows
