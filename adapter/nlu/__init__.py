"""Intent classifiers behind one small protocol, their on-disk cache, and evaluation.

A classifier is fitted on (text, label) pairs, labels being "domain.intent" (or "oos"
for out-of-scope examples), and ranks labels for a message with scores in [0, 1]. The
default is ``TfidfSvmClassifier`` (nlu/svm.py); ``KeywordClassifier`` is a tiny
dependency-free alternative; ``EmbeddingSvmClassifier`` (nlu/embed.py) is the
``embeddings`` extra.
"""

from __future__ import annotations

from collections.abc import Callable

from .base import Classifier
from .cache import fit_cached
from .keyword import KeywordClassifier

__all__ = ["Classifier", "KeywordClassifier", "classifier_named", "default_classifier",
           "fit_cached"]


def classifier_named(name: str) -> Callable[[], Classifier]:
    """The classifier factory for a name used on the command line."""
    if name == "keyword":
        return KeywordClassifier
    if name == "tfidf-svm":
        from .svm import TfidfSvmClassifier

        return TfidfSvmClassifier
    if name == "embedding-svm":
        from .embed import EmbeddingSvmClassifier

        return EmbeddingSvmClassifier
    raise ValueError(f"unknown classifier {name!r}: use 'tfidf-svm' (the default), "
                     "'embedding-svm' (the embeddings extra) or 'keyword'.")


def default_classifier() -> Classifier:
    from .svm import TfidfSvmClassifier

    return TfidfSvmClassifier()
