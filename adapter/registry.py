"""The validated set of personas: lookups by name, skill and intent, and message matching."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from .errors import ConfigError, did_you_mean
from .handoff import IntentMatch
from .intents import Domain, IntentCatalog
from .nlu import Classifier, default_classifier, fit_cached
from .persona import Dialog, Persona

log = logging.getLogger("baton.registry")
# Chosen on CLINC150's validation split: rejects ~3% of in-scope messages and ~90% of
# out-of-scope ones with the default classifier (benchmarks/RESULTS.md).
DEFAULT_INTENT_THRESHOLD = 0.75
RANKED = 5  # how many intents a prediction looks at


class Registry:
    """Personas checked at construction: every mistake is a ``ConfigError`` naming the fix."""

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
        if not personas:
            raise ConfigError("App(personas=[]) is empty: give at least the entry persona.")
        self.personas: dict[str, Persona] = {}
        for persona in personas:
            if not isinstance(persona, Persona):
                raise ConfigError(f"personas= holds {persona!r}, which is not a Persona.")
            if persona.name in self.personas:
                raise ConfigError(
                    f"two personas are named {persona.name!r}; give each persona its own name."
                )
            self.personas[persona.name] = persona
        if entry not in self.personas:
            raise ConfigError(
                f"entry persona {entry!r} is not one of the personas "
                f"({', '.join(self.personas)}).{did_you_mean(entry, self.personas)}"
            )
        self.entry = entry
        self.skills: dict[str, list[Persona]] = {}
        for persona in personas:
            for skill in persona.skills:
                self.skills.setdefault(skill, []).append(persona)
        self.fallback_skills = dict(fallback_skills or {})
        for skill, fallback in self.fallback_skills.items():
            for named in (skill, fallback):
                self.check_skill(named, where=f"fallback_skills={{{skill!r}: {fallback!r}}}")
        self.catalog = IntentCatalog(self._domains())
        self._check_dialog_intents()
        examples = [(phrase, intent.qualified_name) for intent in self.catalog
                    for phrase in intent.phrases]
        self.classifier: Classifier | None = None
        self.classifier_note = "no intents: no classifier"
        if examples:
            self.classifier, self.classifier_note = fit_cached(classifier, examples, cache_dir)
        # The classifier's own threshold when it has one: scores are calibrated per model.
        self.intent_threshold = intent_threshold if intent_threshold is not None else \
            getattr(self.classifier, "threshold", DEFAULT_INTENT_THRESHOLD)

    def _domains(self) -> list[Domain]:
        seen: dict[str, Domain] = {}
        for persona in self.personas.values():
            for domain in persona.domains:
                other = seen.setdefault(domain.name, domain)
                if other is not domain and other.intents != domain.intents:
                    raise ConfigError(
                        f"two different domains are named {domain.name!r}; rename one, or "
                        "share one Domain object between the personas."
                    )
        return list(seen.values())

    def _check_dialog_intents(self) -> None:
        for persona in self.personas.values():
            own = {i.qualified_name for d in persona.domains for i in d.intents.values()}
            for dialog in persona.dialogs:
                if dialog.intent is None or dialog.intent in own:
                    continue
                self.catalog.by_name(dialog.intent)  # unknown anywhere: names the closest
                raise ConfigError(
                    f"persona {persona.name!r} has a dialog for intent {dialog.intent!r}, but that "
                    f"intent's domain is not in its domains; add it to domains=[...]."
                )

    def check_skill(self, skill: str, *, where: str) -> None:
        """Raise ``ConfigError`` when no persona serves ``skill``."""
        if skill not in self.skills:
            raise ConfigError(
                f"{where} names skill {skill!r}, which no persona serves."
                f"{did_you_mean(skill, self.skills)} Add skill={skill!r} to a persona, "
                "or fix the name."
            )

    def persona(self, name: str) -> Persona:
        """The persona called ``name``; the entry persona if it no longer exists (a
        conversation owned by a persona removed from the code since)."""
        found = self.personas.get(name)
        if found is None:
            log.warning("owner %r is not among the personas any more; the entry persona %r "
                        "takes the conversation", name, self.entry)
            return self.personas[self.entry]
        return found

    def match(self, persona: Persona, text: str) -> tuple[Dialog | None, IntentMatch | None]:
        """Patterns first, then the best intent overall if it is one of the persona's
        and scores at or above the threshold (only the best score is calibrated: a
        message whose best intent belongs to another persona is not this one's)."""
        dialog = persona.dialog_for_text(text)
        if dialog is not None or not persona.domains:
            return dialog, None
        best = self.classify(text)
        if best is None or best.domain not in {d.name for d in persona.domains}:
            return None, None
        return persona.dialog_for_intent(best.qualified_name), best

    def rank(self, text: str, k: int = RANKED) -> list[IntentMatch]:
        """Intents for ``text`` across every domain, best first, with their scores."""
        if self.classifier is None:
            return []
        ranked = []
        for label, score in self.classifier.predict(text, k=k):
            intent = self.catalog.find(label)
            if intent is not None:
                ranked.append(IntentMatch.of(intent, score))
        return ranked

    def classify(self, text: str) -> IntentMatch | None:
        """The best intent for ``text`` across every domain, if at or above the threshold."""
        ranked = self.rank(text, k=1)
        return ranked[0] if ranked and ranked[0].score >= self.intent_threshold else None

    def persona_for_intent(self, qualified_name: str) -> Persona | None:
        """The first persona with a dialog for this intent."""
        for persona in self.personas.values():
            if persona.dialog_for_intent(qualified_name) is not None:
                return persona
        return None
