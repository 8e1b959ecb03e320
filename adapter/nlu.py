"""Intent classifiers behind one small protocol, and their on-disk cache.

A classifier is fitted on (text, label) pairs, labels being "domain.intent" (or
"oos" for out-of-scope examples), and ranks labels for a message with scores in
[0, 1]. The default is ``TfidfSvmClassifier`` (adapter/nlu_svm.py);
``KeywordClassifier`` is a tiny dependency-free alternative.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import pickle
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

log = logging.getLogger("baton.nlu")

_WORD = re.compile(r"[a-z0-9']+")


@runtime_checkable
class Classifier(Protocol):
    """What Baton needs of an intent classifier."""

    def fit(self, examples: Sequence[tuple[str, str]]) -> None:
        """Learn from (text, label) pairs; may be called again to start over."""

    def predict(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """The best ``k`` labels for ``text``, highest score first, scores in [0, 1]."""


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


def classifier_named(name: str) -> Callable[[], Classifier]:
    """The classifier factory for a name used on the command line."""
    if name == "keyword":
        return KeywordClassifier
    if name == "tfidf-svm":
        from .nlu_svm import TfidfSvmClassifier

        return TfidfSvmClassifier
    if name == "embedding-svm":
        from .nlu_embed import EmbeddingSvmClassifier

        return EmbeddingSvmClassifier
    raise ValueError(f"unknown classifier {name!r}: use 'tfidf-svm' (the default), "
                     "'embedding-svm' (the embeddings extra) or 'keyword'.")


def default_classifier() -> Classifier:
    from .nlu_svm import TfidfSvmClassifier

    return TfidfSvmClassifier()


def fit_cached(
    factory: Callable[[], Classifier],
    examples: Sequence[tuple[str, str]],
    cache_dir: Path | None,
) -> tuple[Classifier, str]:
    """A fitted classifier, loaded from ``cache_dir`` when the same training data was
    fitted before; returns it with a line saying what happened, for the start-up log."""
    classifier = factory()
    started = time.perf_counter()
    path = None
    if cache_dir is not None:
        identity = [type(classifier).__qualname__, getattr(classifier, "version", 0),
                    sorted(examples)]
        digest = hashlib.sha256(json.dumps(identity).encode()).hexdigest()[:24]
        path = Path(cache_dir) / f"{getattr(classifier, 'name', 'classifier')}-{digest}.pickle"
        if path.exists():
            try:
                with path.open("rb") as file:
                    loaded = pickle.load(file)
                return loaded, f"classifier loaded from {path} in " \
                    f"{time.perf_counter() - started:.2f}s"
            except Exception as error:  # a stale or truncated file: train again
                log.warning("ignoring classifier cache %s: %s", path, error)
    classifier.fit(examples)
    note = f"classifier trained on {len(examples)} phrases in {time.perf_counter() - started:.2f}s"
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        with partial.open("wb") as file:
            pickle.dump(classifier, file, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)  # atomic: a crash never leaves half a model behind
    return classifier, note
