"""The default classifier, its cache, and ``baton nlu-eval``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapter import App, Domain, Persona
from adapter.cli.main import main
from adapter.nlu import KeywordClassifier, fit_cached
from adapter.nlu.svm import TfidfSvmClassifier

PHRASES = {
    "payday": ["when do we get paid", "when is payday", "what day is salary paid",
               "when will I receive my paycheck", "next pay date", "is salary paid monthly"],
    "pto_balance": ["how many vacation days do I have left", "what is my pto balance",
                    "how much time off do I have", "remaining holiday days",
                    "how many days off are left", "check my leave balance"],
    "book_flight": ["I need a flight", "book a flight to oslo", "I want to fly to london",
                    "get me a plane ticket", "find flights to berlin", "reserve a flight"],
}
EXAMPLES = [(p, f"{'travel' if i == 'book_flight' else 'hr'}.{i}")
            for i, phrases in PHRASES.items() for p in phrases]


def test_the_default_classifier_ranks_and_rejects() -> None:
    classifier = TfidfSvmClassifier()
    classifier.fit(EXAMPLES)
    [(label, score), *rest] = classifier.predict("how many days of vacation are left?", k=3)
    assert label == "hr.pto_balance" and score >= 0.75
    assert len(rest) == 2 and "oos" not in {name for name, _ in rest}
    assert classifier.predict("who won the football game last night")[0][1] < 0.75


def test_a_classifier_is_trained_once_and_then_loaded_from_the_cache(tmp_path: Path) -> None:
    first, note = fit_cached(TfidfSvmClassifier, EXAMPLES, tmp_path)
    assert note.startswith("classifier trained on 18 phrases in ")
    second, note = fit_cached(TfidfSvmClassifier, EXAMPLES, tmp_path)
    assert note.startswith(f"classifier loaded from {tmp_path}/tfidf-svm-")
    assert second.predict("when is payday") == first.predict("when is payday")
    _, note = fit_cached(TfidfSvmClassifier, EXAMPLES + [("payday?", "hr.payday")], tmp_path)
    assert note.startswith("classifier trained on 19 phrases")  # new data, new model
    assert len(list(tmp_path.glob("tfidf-svm-*.pickle"))) == 2


def test_a_broken_cache_file_is_retrained_not_fatal(tmp_path: Path) -> None:
    fit_cached(KeywordClassifier, EXAMPLES, tmp_path)
    [cached] = tmp_path.glob("keyword-*.pickle")
    cached.write_bytes(b"not a pickle")
    classifier, note = fit_cached(KeywordClassifier, EXAMPLES, tmp_path)
    assert note.startswith("classifier trained")
    assert classifier.predict("when is payday")[0][0] == "hr.payday"


def test_the_app_uses_the_cache_beside_its_database(tmp_path: Path) -> None:
    domain = Domain("hr", {k: v for k, v in PHRASES.items() if k != "book_flight"})
    for expected in ("trained", "loaded"):
        app = App(personas=[Persona("hr", domains=[domain])], entry="hr", db=tmp_path / "b.db")
        # Building the app fits nothing: only what classifies (or `baton run`) pays for it.
        assert app.registry.classifier_note == "classifier not loaded yet"
        app.registry.prepare()
        assert expected in app.registry.classifier_note
        app.close()
    assert list((tmp_path / ".baton-cache").glob("tfidf-svm-*.pickle"))


def write(path: Path, data: dict) -> str:
    path.write_text(json.dumps(data))
    return str(path)


def test_nlu_eval_prints_exactly_the_metric_lines(tmp_path: Path, capsys) -> None:
    train = write(tmp_path / "train.json", {
        "train": [[p, i] for i, phrases in PHRASES.items() for p in phrases],
        "oos_train": [["tell me a joke", "oos"], ["what is the capital of peru", "oos"]],
    })
    held_out = write(tmp_path / "test.json", {  # any key ending in the split's name is read
        "test": [["when do we get paid", "payday"], ["book a flight to rome", "book_flight"],
                 ["how many days off are left", "pto_balance"]],
        "oos_test": [["who won the game", "oos"]],
    })
    domains = write(tmp_path / "domains.json", {"hr": ["payday", "pto_balance"],
                                                "travel": ["book_flight"]})
    assert main(["nlu-eval", "--train", train, "--eval", held_out, "--domains", domains]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("=")[0] for line in lines] == [
        "in_scope_accuracy", "domain_accuracy", "oos_recall", "in_scope_rejected",
        "train_seconds", "predict_ms_p50"]
    assert lines[:4] == ["in_scope_accuracy=1.0000", "domain_accuracy=1.0000",
                         "oos_recall=1.0000", "in_scope_rejected=0.0000"]


def test_nlu_eval_names_a_file_without_the_split(tmp_path: Path, capsys) -> None:
    train = write(tmp_path / "train.json", {"val": [["hi", "greet"]]})
    assert main(["nlu-eval", "--train", train, "--eval", train]) == 1
    assert capsys.readouterr().err.strip() == (
        f"baton: {train} has no key ending in 'train' (keys: val).")


def test_an_unknown_classifier_name_is_refused(tmp_path: Path) -> None:
    from adapter.nlu import classifier_named

    with pytest.raises(ValueError, match="unknown classifier 'bert': use 'tfidf-svm'"):
        classifier_named("bert")


@pytest.mark.parametrize("text", ["How many vacation days are left?", "", "zzz qqq",
                                  "book a FLIGHT to oslo!!", "I i I"])
def test_the_fast_single_message_path_matches_sklearns_transform(text: str) -> None:
    import pickle

    import numpy as np

    classifier = TfidfSvmClassifier()
    classifier.fit(EXAMPLES)
    reference = (classifier._featurize([text]).astype(np.float32) @ classifier._weights
                 + classifier._bias).ravel()
    for model in (classifier, pickle.loads(pickle.dumps(classifier))):
        columns, values = model._one(text)
        np.testing.assert_allclose(values @ model._weights[columns] + model._bias, reference,
                                   rtol=1e-5, atol=1e-6)


def test_digits_read_as_zero_and_squeezed_text_joins_words() -> None:
    from adapter.nlu.svm import _normalized, _squeezed

    assert _normalized("Wake me at 7AM") == _normalized("wake me at 9am") == "wake me at 0am"
    assert _squeezed("When is pay-day?") == _squeezed("when is pay day") == "whenispayday"


def test_training_is_deterministic_and_two_intents_suffice() -> None:
    two = [(text, label) for text, label in EXAMPLES if label != "travel.book_flight"]
    first, second = TfidfSvmClassifier(background=False), TfidfSvmClassifier(background=False)
    first.fit(two)
    second.fit(two)
    assert first.labels.tolist() == ["hr.payday", "hr.pto_balance"]
    ranked = first.predict("when is payday", k=3)
    assert [label for label, _ in ranked] == ["hr.payday", "hr.pto_balance"]
    assert ranked == second.predict("when is payday", k=3)
