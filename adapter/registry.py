"""The validated set of personas: lookups by name, skill and intent, and message matching."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from . import checks
from .humans import HumanTeam
from .intents import IntentCatalog, IntentMatch, SkillMatch
from .nlu import Classifier, default_classifier, fit_cached
from .nlu.background import BACKGROUND_OUT_OF_SCOPE
from .nlu.segments import best_of
from .persona import Dialog, DialogFn, Persona

log = logging.getLogger("baton.registry")
# Chosen on CLINC150's validation split: rejects ~3% of in-scope messages and ~90% of
# out-of-scope ones with the default classifier (benchmarks/RESULTS.md).
DEFAULT_INTENT_THRESHOLD = 0.75
OOS = "oos"  # the label of out-of-scope training phrases
RANKED = 10  # how many intents a message's classification keeps (a router looks at them)


class Registry:
    """Personas checked at construction: every mistake is a ``ConfigError`` naming the fix.

    The classifier is fitted (or loaded from its cache) when first needed, so commands
    that never classify never pay for it; ``baton run`` calls ``prepare()`` before serving.
    """

    def __init__(
        self,
        personas: Sequence[Persona],
        entry: str,
        *,
        fallback_skills: Mapping[str, str] | None = None,
        intent_threshold: float | None = None,
        classifier: Callable[[], Classifier] = default_classifier,
        cache_dir: Path | None = None,
    ) -> None:
        found = checks.problems(personas, entry, fallback_skills)
        checks.raise_for(found)
        for problem in found:  # only the ones an app can run with are left
            log.warning("%s", problem.message)
        self.personas: dict[str, Persona] = {p.name: p for p in personas}
        self.entry = entry
        self.skills = checks.skills_of(personas)
        self.fallback_skills = dict(fallback_skills or {})
        self.catalog = IntentCatalog(checks.unique_domains(personas))
        # The first persona with a dialog for each intent, for routing by intent.
        self._owners: dict[str, Persona] = {}
        for persona in personas:
            for dialog in persona.dialogs:
                if dialog.intent is not None:
                    self._owners.setdefault(dialog.intent, persona)
        self._classifier_factory = classifier
        self._cache_dir = cache_dir
        self._classifier: Classifier | None = None
        self._skill_classifier: Classifier | None = None
        self._prepared = False
        self.classifier_note = "classifier not loaded yet"
        self._intent_threshold = intent_threshold

    @property
    def examples(self) -> list[tuple[str, str]]:
        """The classifier's training data: (phrase, "domain.intent") of every intent, and
        the out-of-scope examples (``out_of_scope``)."""
        return [(phrase, intent.qualified_name) for intent in self.catalog
                for phrase in intent.phrases] + self.out_of_scope

    @property
    def out_of_scope(self) -> list[tuple[str, str]]:
        """(phrase, "oos") for the entry persona's ``examples`` (the messages it keeps: no
        other persona's business) with the classifiers' everyday background; none when the
        entry persona gives no examples (the classifier then uses its background alone)."""
        kept = self.personas[self.entry].examples
        if not kept:
            return []
        return [(phrase, OOS) for phrase in dict.fromkeys([*kept, *BACKGROUND_OUT_OF_SCOPE])]

    @property
    def skill_examples(self) -> list[tuple[str, str]]:
        """The skill classifier's training data: (phrase, skill) for every persona a router
        may send to (all but the entry persona): its intents' phrases, its ``examples``, and
        each part of its description ("time off, sick days" -> two phrases)."""
        pairs: list[tuple[str, str]] = []
        for persona in self.personas.values():
            if persona.name == self.entry or not persona.skills or isinstance(persona, HumanTeam):
                continue
            phrases = [p for d in persona.domains for i in d.intents.values() for p in i.phrases]
            phrases += list(persona.examples)
            phrases += [part.strip() for part in (persona.description or "").split(",")
                        if part.strip()]
            pairs += [(phrase, persona.skills[0]) for phrase in phrases]
        return pairs + self.out_of_scope

    def prepare(self) -> None:
        """Fit the classifiers, or load them from their cache, now rather than on first use."""
        if self._prepared:
            return
        self._prepared = True
        examples = self.examples
        if not examples:
            self.classifier_note = "no intents: no classifier"
        else:
            self._classifier, self.classifier_note = fit_cached(
                self._classifier_factory, examples, self._cache_dir)
        by_skill = self.skill_examples
        if len({skill for _, skill in by_skill} - {OOS}) >= 2:  # one needs no choosing
            self._skill_classifier, note = fit_cached(self._classifier_factory, by_skill,
                                                      self._cache_dir)
            self.classifier_note += "; skills: " + note.replace("classifier ", "", 1)

    @property
    def classifier(self) -> Classifier | None:
        """The fitted classifier (fitted on first use); None when no persona has intents."""
        self.prepare()
        return self._classifier

    @property
    def intent_threshold(self) -> float:
        """The score an intent needs; the classifier's own threshold unless the app set one
        (scores are calibrated per model)."""
        if self._intent_threshold is not None:
            return self._intent_threshold
        return getattr(self.classifier, "threshold", DEFAULT_INTENT_THRESHOLD)

    def persona(self, name: str) -> Persona:
        """The persona called ``name``; the entry persona if it no longer exists (a
        conversation owned by a persona removed from the code since)."""
        found = self.personas.get(name)
        if found is None:
            log.warning("owner %r is not among the personas any more; the entry persona %r "
                        "takes the conversation", name, self.entry)
            return self.personas[self.entry]
        return found

    def match(self, persona: Persona, text: str,
              best: Callable[[], IntentMatch | None]) -> tuple[Dialog | None, IntentMatch | None]:
        """Patterns first, then small talk ("thanks!"), then the best intent overall
        (``best()``: classified only when needed) if it is one of the persona's and scores
        at or above the threshold (only the best score is calibrated: a message whose best
        intent belongs to another persona is not this one's)."""
        dialog = persona.dialog_for_text(text) or persona.dialog_for_small_talk(text)
        if dialog is not None or not persona.domains:
            return dialog, None
        found = best()
        if found is None or found.domain not in {d.name for d in persona.domains}:
            return None, None
        return persona.dialog_for_intent(found.qualified_name), found

    def rank(self, text: str, k: int = RANKED) -> list[IntentMatch]:
        """Intents for ``text`` across every domain, best first, with their scores; a long
        message's sentences count on their own too (nlu/segments.py)."""
        classifier = self.classifier
        if classifier is None:
            return []
        ranked = []
        for label, score in best_of(lambda piece: classifier.predict(piece, k=k), text, k):
            intent = self.catalog.find(label)
            if intent is not None:
                ranked.append(IntentMatch.of(intent, score))
        return ranked

    def rank_skills(self, text: str) -> list[SkillMatch]:
        """Skills for ``text``, best first, with calibrated scores: which persona's area the
        message is in, whether or not one of its intents names it. Empty with fewer than
        two skills to tell apart."""
        self.prepare()
        classifier = self._skill_classifier
        if classifier is None:
            return []
        k = len(self.skills)
        return [SkillMatch(label, score) for label, score in
                best_of(lambda piece: classifier.predict(piece, k=k), text, k)
                if label in self.skills]

    def button_dialog(self, persona: str, action: str) -> DialogFn | None:
        """The ``@button(action)`` dialog of ``persona``, or None when it has none."""
        found = self.personas.get(persona)
        return found.button_fns.get(action) if found else None

    def persona_for_intent(self, qualified_name: str) -> Persona | None:
        """The first persona with a dialog for this intent."""
        return self._owners.get(qualified_name)

    def entry_skill(self) -> str:
        """The skill a transfer back to the entry persona targets."""
        entry = self.personas[self.entry]
        return entry.skills[0] if entry.skills else entry.name

    def persona_for_skill(self, skill: str) -> Persona | None:
        """The first persona serving ``skill`` (available or not)."""
        serving = self.skills.get(skill)
        return serving[0] if serving else None
