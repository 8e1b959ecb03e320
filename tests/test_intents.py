"""Domains, intent IDs, and the default classifier."""

from __future__ import annotations

import pytest

from adapter import ConfigError, Domain, UnknownIntentError
from adapter.intents import IntentCatalog, intent_id
from adapter.nlu import Classifier, KeywordClassifier

hr = Domain("hr", {
    "payday": ["when do we get paid", "when is payday", "what day is salary paid"],
    "pto_balance": ["how many vacation days do I have left", "what is my pto balance"],
})
catalog = IntentCatalog([hr])


def test_intents_are_found_by_name_and_by_id() -> None:
    payday = catalog.by_name("hr.payday")
    assert (payday.domain, payday.name, payday.id) == ("hr", "payday", intent_id("hr", "payday"))
    assert catalog.by_id(payday.id) is payday
    assert catalog.by_id("int_from_elsewhere") is None


def test_an_unknown_intent_name_names_the_closest() -> None:
    with pytest.raises(UnknownIntentError) as error:
        catalog.by_name("hr.pto_balanc")
    assert str(error.value) == "unknown intent 'hr.pto_balanc'. Did you mean 'hr.pto_balance'?"


def test_an_unknown_intent_name_with_nothing_close_shows_the_form() -> None:
    with pytest.raises(UnknownIntentError) as error:
        catalog.by_name("weather")
    assert str(error.value) == (
        "unknown intent 'weather'. Intents are named 'domain.intent', e.g. 'hr.payday'.")


def test_ids_differ_per_domain_and_name() -> None:
    assert len({intent_id("hr", "payday"), intent_id("hr", "pto"), intent_id("pay", "day")}) == 3


def test_bad_names_are_refused() -> None:
    with pytest.raises(ConfigError, match="intent name 'PTO Balance' is not allowed"):
        Domain("hr", {"PTO Balance": ["x"]})


def test_the_keyword_classifier_ranks_the_closest_phrase_first() -> None:
    classifier = KeywordClassifier()
    assert isinstance(classifier, Classifier)
    classifier.fit([(p, i.id) for i in hr.intents.values() for p in i.phrases])
    [(label, score), *_] = classifier.predict("how many vacation days are left?")
    assert label == intent_id("hr", "pto_balance")
    assert 0.5 < score <= 1.0
    assert classifier.predict("when is payday")[0] == (intent_id("hr", "payday"), 1.0)
    assert classifier.predict("quantum chromodynamics") == []
