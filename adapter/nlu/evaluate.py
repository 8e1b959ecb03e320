"""``baton nlu-eval``: train a classifier on one intent file and measure it on another.

Files are in CLINC150's format: lists of [text, intent] under keys such as ``train`` and
``oos_train``; every key ending in the split's name is read; intent "oos" is out of scope.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import TextIO

from . import classifier_named
from .svm import OOS, domain_of


def read_split(path: str | Path, split: str | None = None) -> list[tuple[str, str]]:
    """(text, intent) pairs under every key ending in ``split`` (the file's only split if None)."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError) as error:
        raise ValueError(f"cannot read {path}: {error}") from None
    if split is None:
        splits = {key.rsplit("_", 1)[-1] for key in data}
        if len(splits) != 1:
            raise ValueError(f"{path} holds several splits ({', '.join(sorted(splits))}); "
                             "name the one to read.")
        split = splits.pop()
    keys = [key for key in data if key == split or key.endswith("_" + split)]
    if not keys:
        raise ValueError(f"{path} has no key ending in {split!r} (keys: {', '.join(data)}).")
    return [(text, intent) for key in keys for text, intent in data[key]]


def qualify(pairs: list[tuple[str, str]], domains: dict[str, list[str]] | None
            ) -> list[tuple[str, str]]:
    """Label intents "domain.intent", as Baton's classifiers expect."""
    if not domains:
        return pairs
    owner = {intent: domain for domain, intents in domains.items() for intent in intents}
    return [(text, intent if intent == OOS else f"{owner.get(intent, intent)}.{intent}")
            for text, intent in pairs]


def evaluate(train_file: str, eval_file: str, *, classifier: str = "tfidf-svm",
             domains_file: str | None = None, threshold: float | None = None,
             out: TextIO = sys.stdout) -> dict[str, float]:
    """Train, predict one message at a time (as a bot does), print the metric lines."""
    domains = json.loads(Path(domains_file).read_text()) if domains_file else None
    train = qualify(read_split(train_file, "train"), domains)
    held_out = qualify(read_split(eval_file), domains)
    model = classifier_named(classifier)()
    if threshold is None:  # the classifier's own, chosen on validation data
        threshold = float(getattr(model, "threshold", 0.75))
    started = time.perf_counter()
    model.fit(train)
    train_seconds = time.perf_counter() - started
    right = same_domain = rejected_in = rejected_out = in_scope = out_of_scope = 0
    timings = []
    for text, gold in held_out:
        started = time.perf_counter()
        ranked = model.predict(text, k=1)
        timings.append(time.perf_counter() - started)
        label, score = ranked[0] if ranked else ("", 0.0)
        if gold == OOS:
            out_of_scope += 1
            rejected_out += score < threshold
            continue
        in_scope += 1
        right += label == gold
        same_domain += domain_of(label) == domain_of(gold)
        rejected_in += score < threshold
    figures = {
        "in_scope_accuracy": right / max(in_scope, 1),
        "domain_accuracy": same_domain / max(in_scope, 1) if domains else float("nan"),
        "oos_recall": rejected_out / out_of_scope if out_of_scope else float("nan"),
        "in_scope_rejected": rejected_in / max(in_scope, 1),
        "train_seconds": train_seconds,
        "predict_ms_p50": statistics.median(timings) * 1000,
    }
    for name, value in figures.items():
        digits = 2 if name == "train_seconds" else 3 if name == "predict_ms_p50" else 4
        out.write(f"{name}={value:.{digits}f}\n")
    return figures
