"""The default intent classifier: TF-IDF words and characters, linear SVMs, calibrated scores.

Chosen by measurement on CLINC150's validation split (benchmarks/RESULTS.md): word 1-2
grams plus char_wb 2-5 grams, a LinearSVC over intents plus "oos", a second LinearSVC over
domains whose margin is added to each intent of the domain, and Platt scaling fitted on
cross-validated top scores so that a score estimates P(the top intent is right).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from scipy.special import expit  # a sigmoid that never overflows
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from .background import BACKGROUND_OUT_OF_SCOPE

OOS = "oos"
# Used when the training data is too small to calibrate: a training phrase sits at a
# margin of about 1 and scores ~0.88; a message sharing nothing with any intent ~0.1.
DEFAULT_PLATT = (4.0, -2.0)


def domain_of(label: str) -> str:
    """Labels are "domain.intent"; anything without a dot is its own domain."""
    return label.rsplit(".", 1)[0] if "." in label else label


class TfidfSvmClassifier:
    """The default classifier; scores in [0, 1] estimate the chance the top intent is right.

    Examples labelled "oos" teach it what is out of scope; without any, a small built-in
    set of everyday out-of-scope messages stands in (``background=False`` turns it off).
    """

    name = "tfidf-svm"
    version = 1  # part of the cache key: bump when training changes
    threshold = 0.75  # the out-of-scope threshold chosen on CLINC150's val split

    def __init__(self, *, C: float = 1.0, domain_weight: float = 1.0, folds: int = 3,
                 background: bool = True) -> None:
        self.C, self.domain_weight, self.folds, self.background = C, domain_weight, folds, \
            background
        self._vectorizers: list[TfidfVectorizer] = []
        self.labels = np.array([])
        self._weights = np.zeros((0, 0), dtype=np.float32)
        self._bias = np.zeros(0, dtype=np.float32)
        self.platt = DEFAULT_PLATT

    def fit(self, examples: Sequence[tuple[str, str]]) -> None:
        examples = list(examples)
        if self.background and not any(label == OOS for _, label in examples):
            known = {text.casefold() for text, _ in examples}
            examples += [(t, OOS) for t in BACKGROUND_OUT_OF_SCOPE if t.casefold() not in known]
        texts = [text for text, _ in examples]
        y = np.array([label for _, label in examples])
        if len(set(y)) < 2:
            raise ValueError("TfidfSvmClassifier needs examples of at least two labels.")
        X = self._featurize(texts, fit=True)
        self.platt = self._calibrate(X, y)
        self.labels, self._weights, self._bias = self._linear(X, y)
        self.__dict__.pop("_analyzer_cache", None)

    def _featurize(self, texts: Sequence[str], fit: bool = False) -> sp.csr_matrix:
        if fit:
            self._vectorizers = [
                # \w+ keeps one-letter words ("i") and digits, which carry meaning here.
                TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True,
                                token_pattern=r"(?u)\b\w+\b"),
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                min_df=2 if len(texts) > 200 else 1),
            ]
            return sp.hstack([v.fit_transform(texts) for v in self._vectorizers]).tocsr()
        return sp.hstack([v.transform(texts) for v in self._vectorizers]).tocsr()

    def _linear(self, X: sp.csr_matrix, y: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                np.ndarray]:
        """Intent SVM plus domain SVM, folded into one matrix of in-scope scores."""
        svm = LinearSVC(C=self.C).fit(X, y)
        classes = svm.classes_
        W, b = _one_vs_rest(svm)
        domains = np.array([domain_of(label) for label in y])
        if self.domain_weight and 2 < len(set(domains)) < len(classes):
            domain_svm = LinearSVC(C=self.C).fit(X, domains)
            rows = np.searchsorted(domain_svm.classes_, [domain_of(c) for c in classes])
            dW, db = _one_vs_rest(domain_svm)
            W, b = W + self.domain_weight * dW[rows], b + self.domain_weight * db[rows]
        keep = classes != OOS
        if not keep.all():  # a score says "this intent rather than out of scope"
            W, b = W[keep] - W[~keep], b[keep] - b[~keep]
        return classes[keep], np.ascontiguousarray(W.T), b

    def _calibrate(self, X: sp.csr_matrix, y: np.ndarray) -> tuple[float, float]:
        _, counts = np.unique(y, return_counts=True)
        folds = min(self.folds, int(counts.min()))
        if folds < 2:
            return DEFAULT_PLATT
        top, correct = np.zeros(len(y)), np.zeros(len(y), dtype=int)
        for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(X, y):
            labels, W, b = self._linear(X[train], y[train])
            scores = X[test] @ W + b
            top[test] = scores.max(1)
            correct[test] = labels[scores.argmax(1)] == y[test]
        if correct.min() == correct.max():
            return DEFAULT_PLATT
        platt = LogisticRegression(C=1e4).fit(top[:, None], correct)
        return float(platt.coef_[0, 0]), float(platt.intercept_[0])

    def _one(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """``_featurize([text])`` as (column indices, values), computed directly: the same
        numbers as TfidfVectorizer.transform (sublinear tf, idf, L2 norm per block) without
        its per-call validation, which is ~90% of its time for a single message."""
        columns, values, offset = [], [], 0
        for vectorizer, analyze in zip(self._vectorizers, self._analyzers(), strict=True):
            vocabulary = vectorizer.vocabulary_
            counts = Counter(term for term in analyze(text) if term in vocabulary)
            index = np.fromiter((vocabulary[t] for t in counts), np.int64, len(counts))
            weight = (1 + np.log(np.fromiter(counts.values(), np.float64, len(counts)))) \
                * vectorizer.idf_[index]
            columns.append(index + offset)
            values.append(weight / (np.sqrt(weight @ weight) or 1.0))
            offset += len(vocabulary)
        return np.concatenate(columns), np.concatenate(values).astype(np.float32)

    def _analyzers(self) -> list[Callable[[str], list[str]]]:
        cached = self.__dict__.get("_analyzer_cache")
        if cached is None:  # built lazily: also after loading a pickled model
            cached = self.__dict__["_analyzer_cache"] = [
                v.build_analyzer() for v in self._vectorizers]
        return cached

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state.pop("_analyzer_cache", None)  # closures do not pickle; rebuilt on first use
        return state

    def predict(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        columns, values = self._one(text)
        scores = values @ self._weights[columns] + self._bias
        a, b = self.platt
        top = np.argsort(-scores)[:k]
        return [(str(self.labels[j]), float(expit(a * scores[j] + b))) for j in top]


def _one_vs_rest(svm: LinearSVC) -> tuple[np.ndarray, np.ndarray]:
    W, b = svm.coef_.astype(np.float32), svm.intercept_.astype(np.float32)
    if len(svm.classes_) == 2:  # sklearn keeps one row for two classes
        W, b = np.vstack([-W, W]), np.r_[-b, b]
    return W, b
