"""The embeddings extra: the default classifier with MiniLM sentence vectors (onnxruntime)."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import numpy as np
import pytest

from adapter import App, ConfigError, Domain, Persona
from adapter.nlu import classifier_named, fit_cached

from .test_nlu import EXAMPLES, PHRASES

pytest.importorskip("onnxruntime", reason="the embeddings extra is not installed")

from adapter.nlu.embed import EmbeddingSvmClassifier  # noqa: E402


@pytest.fixture(scope="module")
def fitted() -> EmbeddingSvmClassifier:
    classifier = EmbeddingSvmClassifier()
    classifier.fit(EXAMPLES)
    return classifier


def test_it_ranks_paraphrases_the_tfidf_alone_would_struggle_with(fitted) -> None:
    [(label, score), *_] = fitted.predict("how much leave do I still have?", k=3)
    assert label == "hr.pto_balance" and score >= fitted.threshold
    assert fitted.predict("who won the football game last night")[0][1] < fitted.threshold


def test_one_message_features_match_the_batch_features(fitted) -> None:
    text = "book me a plane to Lisbon"
    reference = (fitted._featurize([text]).astype(np.float32) @ fitted._weights
                 + fitted._bias).ravel()
    columns, values = fitted._one(text)
    np.testing.assert_allclose(values @ fitted._weights[columns] + fitted._bias, reference,
                               rtol=1e-4, atol=1e-5)


def test_it_is_cached_and_loaded_without_its_onnx_session(tmp_path: Path) -> None:
    first, _ = fit_cached(EmbeddingSvmClassifier, EXAMPLES, tmp_path)
    second, note = fit_cached(EmbeddingSvmClassifier, EXAMPLES, tmp_path)
    assert note.startswith("classifier loaded from")
    before, after = first.predict("when is payday"), second.predict("when is payday")
    assert [label for label, _ in after] == [label for label, _ in before]
    assert [score for _, score in after] == pytest.approx([score for _, score in before])
    assert pickle.loads(pickle.dumps(first))._encoder is None


def test_the_app_takes_the_classifiers_own_threshold(tmp_path: Path) -> None:
    domain = Domain("hr", {k: v for k, v in PHRASES.items() if k != "book_flight"})
    app = App(personas=[Persona("hr", domains=[domain])], entry="hr", db=tmp_path / "b.db",
              classifier=classifier_named("embedding-svm"))
    assert app.registry.intent_threshold == 0.85
    app.close()


def test_a_model_file_that_is_not_the_pinned_one_is_refused(monkeypatch) -> None:
    monkeypatch.setattr("adapter.nlu.embed.MODEL_SHA256", "0" * 64)
    with pytest.raises(ConfigError, match="not the pinned 0000000000"):
        EmbeddingSvmClassifier().encoder  # noqa: B018


def test_without_the_extra_the_error_says_how_to_install_it(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    with pytest.raises(ConfigError) as error:
        EmbeddingSvmClassifier().encoder  # noqa: B018
    assert str(error.value) == ("the 'embedding-svm' classifier needs the embeddings extra: "
                                "pip install 'slack-baton[embeddings]'")
