"""A fitted classifier kept on disk, keyed by the training data, so a restart loads it."""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .base import Classifier

log = logging.getLogger("baton.nlu")


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
