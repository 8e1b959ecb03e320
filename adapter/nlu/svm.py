"""The default intent classifier: TF-IDF words and characters, linear models, calibrated scores.

Chosen by measurement on CLINC150's validation split (benchmarks/RESULTS.md): word 1-2
grams, char_wb 1-4 grams and, at half weight, char 4-6 grams of the text with its spaces
squeezed out (digits read as 0 throughout); a Crammer-Singer LinearSVC over intents plus
"oos"; a second Crammer-Singer LinearSVC over domains whose margin, at 0.75, is added to
each intent of the domain; multinomial naive Bayes over intents and over domains blended in
at small weights; and Platt scaling fitted on cross-validated top scores so that a score
estimates P(the top intent is right). All of it folds into one matrix, so a message costs
one sparse row times that matrix.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import chain, repeat

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
_DIGIT, _NOT_WORD = re.compile(r"\d"), re.compile(r"\W+")


def _normalized(text: str) -> str:
    """Lowercased, every digit a 0: "at 8pm" and "at 9pm" share their features."""
    return _DIGIT.sub("0", text.lower())


def _squeezed(text: str) -> str:
    """``_normalized`` without spaces or punctuation, so "pay day" meets "payday"."""
    return _NOT_WORD.sub("", _normalized(text))


def domain_of(label: str) -> str:
    """Labels are "domain.intent"; anything without a dot is its own domain."""
    return label.rsplit(".", 1)[0] if "." in label else label


class TfidfSvmClassifier:
    """The default classifier; scores in [0, 1] estimate the chance the top intent is right.

    Examples labelled "oos" teach it what is out of scope; without any, a small built-in
    set of everyday out-of-scope messages stands in (``background=False`` turns it off).
    """

    name = "tfidf-svm"
    version = 3  # part of the cache key: bump when training changes
    threshold = 0.75  # the out-of-scope threshold chosen on CLINC150's val split

    def __init__(self, *, C: float = 0.5, domain_C: float = 1.0, domain_weight: float = 0.75,
                 bayes_weight: float = 0.1, domain_bayes_weight: float = 0.1, folds: int = 3,
                 background: bool = True) -> None:
        self.C, self.domain_C, self.domain_weight = C, domain_C, domain_weight
        self.bayes_weight, self.domain_bayes_weight = bayes_weight, domain_bayes_weight
        self.folds, self.background = folds, background
        self._vectorizers: list[TfidfVectorizer] = []
        self._block_weights: tuple[float, ...] = ()  # one per vectorizer, set by fit
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
        """TF-IDF blocks side by side, each L2-normalized, then scaled by its block weight."""
        if fit:
            min_df = 2 if len(texts) > 200 else 1  # a rare n-gram is mostly noise
            self._vectorizers = [
                # \w+ keeps one-letter words ("i") and digits, which carry meaning here.
                TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, preprocessor=_normalized,
                                token_pattern=r"(?u)\b\w+\b"),
                TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True,
                                preprocessor=_normalized, min_df=min_df),
                # Across word boundaries: compounds written apart ("check book"), typos.
                TfidfVectorizer(analyzer="char", ngram_range=(4, 6), sublinear_tf=True,
                                preprocessor=_squeezed, min_df=min_df),
            ]
            self._block_weights = (1.0, 1.0, 0.5)  # the squeezed block only as a tie-breaker
            blocks = [v.fit_transform(texts) for v in self._vectorizers]
        else:
            blocks = [v.transform(texts) for v in self._vectorizers]
        return sp.hstack([w * block for w, block in zip(self._block_weights, blocks,
                                                         strict=True)]).tocsr()

    def _linear(self, X: sp.csr_matrix, y: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                np.ndarray]:
        """Intent SVM, domain SVM and naive Bayes, folded into one matrix of in-scope scores."""
        # Crammer-Singer: one joint problem, so intents' margins compare (+0.2 points on val
        # over one-vs-rest); tol=0.1 is within 0.1 point of the default 1e-4, 5x faster.
        svm = LinearSVC(C=self.C, multi_class="crammer_singer", tol=0.1,
                        random_state=0).fit(X, y)  # liblinear shuffles: same data, same model
        classes = svm.classes_
        W, b = _rows(svm)
        domains = np.array([domain_of(label) for label in y])
        if self.domain_weight and 2 < len(set(domains)) < len(classes):
            # Crammer-Singer here too, with a domain naive Bayes below: domains +0.13 points
            # on val, +0.03 in 4-fold CV on train.
            domain_svm = LinearSVC(C=self.domain_C, multi_class="crammer_singer", tol=0.1,
                                   random_state=0).fit(X, domains)
            rows = np.searchsorted(domain_svm.classes_, [domain_of(c) for c in classes])
            dW, db = _rows(domain_svm)
            W, b = W + self.domain_weight * dW[rows], b + self.domain_weight * db[rows]
        keep = classes != OOS
        if not keep.all():  # a score says "this intent rather than out of scope"
            W, b = W[keep] - W[~keep], b[keep] - b[~keep]
        if self.bayes_weight:
            W, b = self._add_bayes(X, y, classes[keep], W, b)
        if self.domain_bayes_weight and 2 < len(set(domains)) < len(classes):
            W, b = self._add_bayes(X, domains, classes[keep], W, b, by_domain=True)
        return classes[keep], np.ascontiguousarray(W.T), b

    def _add_bayes(self, X: sp.csr_matrix, y: np.ndarray, labels: np.ndarray, W: np.ndarray,
                   b: np.ndarray, by_domain: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """W, b (changed in place) plus multinomial naive Bayes log-likelihoods (alpha 0.02)
        centred over the intents, at ``bayes_weight`` times the SVM scores' spread: a
        generative view of the same words, whose errors differ from the SVM's (+0.2 points
        on val). ``by_domain``: y holds domains, and each intent gets its domain's
        log-likelihood less out of scope's, without priors, at ``domain_bayes_weight``."""
        width = sum(len(v.vocabulary_) for v in self._vectorizers)  # TF-IDF columns only:
        tfidf = X[:, :width]  # a subclass may append features that can be negative
        groups = np.unique(y) if by_domain else labels  # labels is sorted, without "oos"
        inside = np.flatnonzero(np.isin(y, groups))
        members = sp.csr_matrix((np.ones(len(inside)), (np.searchsorted(groups, y[inside]),
                                                         inside)), shape=(len(groups), len(y)))
        # sklearn's MultinomialNB, in float32 and on the intents only: 5x faster here.
        counts = (members @ tfidf).toarray().astype(np.float32)
        log_p = np.log(counts + np.float32(0.02))
        log_p -= np.log(counts.sum(1, keepdims=True) + np.float32(0.02 * width))
        log_p -= log_p.mean(0)
        prior = np.log(np.asarray(members.sum(1), dtype=np.float32).ravel())
        prior -= prior.mean()
        if by_domain:
            rows = np.searchsorted(groups, [domain_of(label) for label in labels])
            log_p, prior = log_p[rows], np.zeros(len(labels), dtype=np.float32)
            if OOS in groups:
                log_p -= log_p[np.searchsorted(groups, OOS)]
        sample = slice(None, None, max(1, X.shape[0] // 2000))  # a spread needs few rows
        svm_spread = (X[sample] @ W.T + b).std()
        bayes_spread = (tfidf[sample] @ log_p.T + prior).std() or 1.0
        weight = self.domain_bayes_weight if by_domain else self.bayes_weight
        scale = np.float32(weight * svm_spread / bayes_spread)
        W[:, :width] += scale * log_p
        return W, b + scale * prior

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
        analyzers, vocabularies, offsets, idf, block_weights = self._prepared()
        # All blocks in one pass, looked up in C loops (map, fromiter): a Python loop per
        # n-gram, or numpy calls per block, would be most of the time (~250 n-grams).
        counts = [Counter(analyze(text)) for analyze in analyzers]
        sizes = [len(block) for block in counts]
        lookups = (map(vocabulary.get, block, repeat(-1))  # -1: not in the vocabulary
                   for vocabulary, block in zip(vocabularies, counts, strict=True))
        index = np.fromiter(chain.from_iterable(lookups), np.int64, sum(sizes))
        tf = np.fromiter(chain.from_iterable(block.values() for block in counts), np.float64,
                         sum(sizes))
        known = index >= 0
        block = np.repeat(np.arange(len(sizes)), sizes)[known]
        index = index[known] + offsets[block]
        weight = (1 + np.log(tf[known])) * idf[index]
        norms = np.sqrt(np.bincount(block, weight * weight, minlength=len(sizes)))
        weight *= (block_weights / np.where(norms > 0, norms, 1.0))[block]
        return index, weight.astype(np.float32)

    def _prepared(self) -> tuple[list[Callable[[str], list[str]]], list[dict[str, int]],
                                 np.ndarray, np.ndarray, np.ndarray]:
        """What ``_one`` needs, built once: also after loading a pickled model."""
        cached = self.__dict__.get("_analyzer_cache")
        if cached is None:
            sizes = [len(v.vocabulary_) for v in self._vectorizers]
            cached = self.__dict__["_analyzer_cache"] = (
                [v.build_analyzer() for v in self._vectorizers],
                [v.vocabulary_ for v in self._vectorizers],
                np.cumsum([0, *sizes[:-1]]), np.concatenate([v.idf_ for v in self._vectorizers]),
                np.array(self._block_weights, dtype=np.float64))
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


def _rows(svm: LinearSVC) -> tuple[np.ndarray, np.ndarray]:
    """One row of weights and one bias per class, as float32."""
    W, b = svm.coef_.astype(np.float32), svm.intercept_.astype(np.float32)
    if len(svm.classes_) == 2 and len(W) == 1:  # one-vs-rest keeps one row for two classes
        W, b = np.vstack([-W, W]), np.r_[-b, b]
    return W, b
