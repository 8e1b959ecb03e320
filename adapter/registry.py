"""The validated set of personas: lookups by name, skill and intent, and message matching."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from .errors import ConfigError, did_you_mean
from .handoff import IntentMatch
from .intents import Domain, IntentCatalog
from .nlu import Classifier, KeywordClassifier
from .persona import Dialog, Persona

DEFAULT_INTENT_THRESHOLD = 0.5


class Registry:
    """Personas checked at construction: every mistake is a ``ConfigError`` naming the fix."""

    def __init__(
        self,
        personas: Sequence[Persona],
        entry: str,
        *,
        fallback_skills: Mapping[str, str] | None = None,
        intent_threshold: float = DEFAULT_INTENT_THRESHOLD,
        classifier: Callable[[], Classifier] = KeywordClassifier,
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
        self.intent_threshold = intent_threshold
        self._classifiers = {p.name: _fit(classifier, p.domains) for p in personas if p.domains}
        self.everything = _fit(classifier, self._domains())

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
        return self.personas.get(name) or self.personas[self.entry]

    def match(self, persona: Persona, text: str) -> tuple[Dialog | None, IntentMatch | None]:
        """Patterns first, then the persona's intents at or above the threshold."""
        dialog = persona.dialog_for_text(text)
        if dialog is not None:
            return dialog, None
        best = self.classify(text, self._classifiers.get(persona.name))
        if best is None:
            return None, None
        return persona.dialog_for_intent(best.qualified_name), best

    def classify(self, text: str, classifier: Classifier | None = None) -> IntentMatch | None:
        """The best intent for ``text`` at or above the threshold, across all domains by default."""
        ranked = (classifier or self.everything).predict(text, k=1)
        if not ranked or ranked[0][1] < self.intent_threshold:
            return None
        intent = self.catalog.by_id(ranked[0][0])
        return IntentMatch.of(intent, ranked[0][1]) if intent else None

    def persona_for_intent(self, qualified_name: str) -> Persona | None:
        """The first persona with a dialog for this intent."""
        for persona in self.personas.values():
            if persona.dialog_for_intent(qualified_name) is not None:
                return persona
        return None


def _fit(factory: Callable[[], Classifier], domains: Sequence[Domain]) -> Classifier:
    classifier = factory()
    examples = [
        (phrase, intent.id)
        for domain in domains
        for intent in domain.intents.values()
        for phrase in intent.phrases
    ]
    classifier.fit(examples)
    return classifier
