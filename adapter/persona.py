"""Persona: one bot with its name, look, skills, domains and dialogs."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .buttons import Button
from .errors import ConfigError, caller_location
from .intents import Domain, Pattern
from .small_talk import KINDS, default_reply, kind_of

if TYPE_CHECKING:
    from .turn import Turn

DialogFn = Callable[["Turn"], Awaitable[None]]
_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


@dataclass(frozen=True)
class Dialog:
    """A dialog function and what starts it: patterns and/or one intent."""

    fn: DialogFn
    patterns: tuple[Pattern, ...] = ()
    intent: str | None = None  # "domain.intent"

    @property
    def name(self) -> str:
        return getattr(self.fn, "__qualname__", repr(self.fn))


@dataclass(eq=False)  # a persona is itself: two with equal fields are still two
class Persona:
    """One bot hosted by the app.

    ``skill``/``skills`` are what transfers target; ``domains`` hold the intents
    its dialogs can start on; ``examples`` are messages from its area beyond them.
    ``icon`` is an emoji (":palm_tree:") or an image URL.
    ``reroute=False`` keeps off-topic follow-ups with this persona instead of
    handing them to a better-suited skill. ``namespaces`` are the context-store
    namespaces it uses, with their TTL in seconds (None: forever).
    """

    name: str
    skill: str | None = None
    skills: Sequence[str] = ()
    display_name: str | None = None
    icon: str | None = None
    domains: Sequence[Domain] = ()
    available: bool = True
    reroute: bool = True
    namespaces: Mapping[str, float | None] = field(default_factory=dict)
    description: str | None = None  # what it helps with, for the router's menu
    # Messages from its area that no intent of its own names ("where is my tax form?"): the
    # router learns which skill a message belongs to from these, the intents' phrases and
    # the description, and sends such a message here for this persona's own matching.
    examples: Sequence[str] = ()
    timeout: float | None = None  # seconds one of its dialogs may run; None: the app's
    receipt: bool = True  # its first answer after a transfer says whom it came from, and why
    dialogs: list[Dialog] = field(default_factory=list, init=False, repr=False)
    welcome_fn: DialogFn | None = field(default=None, init=False, repr=False)
    fallback_fn: DialogFn | None = field(default=None, init=False, repr=False)
    transfer_failed_fn: DialogFn | None = field(default=None, init=False, repr=False)
    button_fns: dict[str, DialogFn] = field(default_factory=dict, init=False, repr=False)
    answer_fns: dict[str, DialogFn] = field(default_factory=dict, init=False, repr=False)
    small_talk_fns: dict[str, DialogFn] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self.defined_at = caller_location()
        if not isinstance(self.name, str) or not _NAME.match(self.name):
            raise ConfigError(
                f"persona name {self.name!r} is not allowed: use 1-40 lowercase letters, digits, "
                "'-' or '_', starting with a letter (e.g. 'travel')."
            )
        if self.skill and self.skills:
            raise ConfigError(
                f"persona {self.name!r} sets both skill= and skills=; use skills=[...] for several."
            )
        self.skills = tuple([self.skill] if self.skill else self.skills)
        self.display_name = self.display_name or self.name.replace("_", " ").title()
        if self.icon is not None and not _is_icon(self.icon):
            raise ConfigError(
                f"persona {self.name!r} has icon {self.icon!r}: use an emoji like ':robot_face:' "
                "or an https:// image URL."
            )
        self.domains = tuple(self.domains)
        if isinstance(self.examples, str) or not all(
                isinstance(e, str) and e.strip() for e in self.examples):
            raise ConfigError(f"persona {self.name!r} has examples={self.examples!r}: give a "
                              "list of example messages from its area, e.g. "
                              "examples=['where do I find my tax form?'].")
        self.examples = tuple(self.examples)
        if self.timeout is not None and (isinstance(self.timeout, bool) or
                                         not isinstance(self.timeout, (int, float))
                                         or self.timeout <= 0):
            raise ConfigError(f"persona {self.name!r} has timeout={self.timeout!r}: give the "
                              "seconds a dialog may run (> 0), or None for the app's.")

    # --- registration -----------------------------------------------------

    def dialog(
        self,
        *,
        pattern: str | Iterable[str] | None = None,
        regex: str | None = None,
        intent: str | None = None,
    ) -> Callable[[DialogFn], DialogFn]:
        """Register a dialog started by a pattern (``*``, ``(a|b)``), a regex, and/or an intent."""
        sources = [pattern] if isinstance(pattern, str) else list(pattern or [])
        patterns = tuple(Pattern(p) for p in sources) + ((Pattern(regex, True),) if regex else ())
        if not patterns and intent is None:
            raise ConfigError(
                f"persona {self.name!r}: @dialog() needs a starter: "
                "pattern='help*', regex=r'...', or intent='domain.intent'."
            )

        def register(fn: DialogFn) -> DialogFn:
            self._add(Dialog(fn, patterns, intent))
            return fn

        return register

    def _add(self, dialog: Dialog) -> None:
        taken = {key: d for d in self.dialogs for key in _starter_keys(d)}
        for key in _starter_keys(dialog):
            if key in taken:
                raise ConfigError(
                    f"persona {self.name!r}: dialogs {taken[key].name!r} and {dialog.name!r} have "
                    f"the same starter {key.split(':', 1)[1]!r}; remove it from one of them."
                )
        self.dialogs.append(dialog)

    def welcome(self, fn: DialogFn) -> DialogFn:
        """Register the dialog run when a transfer brings no intent and no message."""
        self.welcome_fn = _once(self, "welcome", self.welcome_fn, fn)
        return fn

    def fallback(self, fn: DialogFn) -> DialogFn:
        """Register the dialog run when nothing else matches."""
        self.fallback_fn = _once(self, "fallback", self.fallback_fn, fn)
        return fn

    def transfer_failed(self, fn: DialogFn) -> DialogFn:
        """Register the dialog that answers the user when a transfer of this persona fails."""
        self.transfer_failed_fn = _once(self, "transfer_failed", self.transfer_failed_fn, fn)
        return fn

    def button(self, action: str = "choice") -> Callable[[DialogFn], DialogFn]:
        """Register the dialog run when a user clicks one of this persona's buttons
        whose ``action`` is this name."""
        return _named(self, self.button_fns, f"a @button({action!r})", action,
                      "give the other buttons another action name")

    def answer(self, name: str) -> Callable[[DialogFn], DialogFn]:
        """Register the dialog that takes the answer to a question asked with
        ``await turn.expect(name)``: the conversation's next message comes here first."""
        return _named(self, self.answer_fns, f"an @answer({name!r})", name,
                      "give the other question another name")

    def small_talk(self, kind: str) -> Callable[[DialogFn], DialogFn]:
        """Register this persona's own answer to small talk: "thanks", "bye" or "ok"
        (without one, Baton answers politely itself)."""
        if kind not in KINDS:
            raise ConfigError(f"persona {self.name!r}: small talk {kind!r} is not one of "
                              f"{', '.join(map(repr, KINDS))}.")
        return _named(self, self.small_talk_fns, f"a @small_talk({kind!r})", kind,
                      "keep one answer per kind")

    # --- lookup -----------------------------------------------------------

    def check_reply(self, text: object, buttons: Sequence[Button],
                    button_dialog: Callable[[str, str], object] | None = None) -> None:
        """Refuse what Slack would refuse, or no dialog could answer, before it is posted.
        ``button_dialog(persona, action)`` finds another persona's button dialog."""
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"turn.say() got {text!r} from persona {self.name!r}; Slack "
                             "refuses empty messages: say something, or say nothing.")
        for button in buttons:
            owner = button.persona or self.name
            found = button.action in self.button_fns if owner == self.name else \
                button_dialog is not None and button_dialog(owner, button.action) is not None
            if not found:
                raise ConfigError(
                    f"button {button.label!r} of persona {owner!r} has action "
                    f"{button.action!r}, but there is no @{owner}.button({button.action!r})"
                    " dialog to answer its click; add one.")

    def dialog_for_text(self, text: str) -> Dialog | None:
        """The first dialog whose pattern matches ``text``."""
        for dialog in self.dialogs:
            if any(p.matches(text) for p in dialog.patterns):
                return dialog
        return None

    def dialog_for_small_talk(self, text: str) -> Dialog | None:
        """This persona's answer when ``text`` is small talk ("thanks!", "bye"), else None."""
        kind = kind_of(text)
        if kind is None:
            return None
        return Dialog(self.small_talk_fns.get(kind) or default_reply(kind), (KINDS[kind],))

    def dialog_for_intent(self, qualified_name: str) -> Dialog | None:
        """The dialog started by the intent "domain.intent", if this persona has one."""
        return next((d for d in self.dialogs if d.intent == qualified_name), None)


def _starter_keys(dialog: Dialog) -> list[str]:
    keys = [p.key for p in dialog.patterns]
    return keys + ([f"intent:{dialog.intent}"] if dialog.intent else [])


def _named(persona: Persona, table: dict[str, DialogFn], kind: str, name: str,
           fix: str) -> Callable[[DialogFn], DialogFn]:
    """A decorator registering a dialog under ``name`` in ``table``, once."""

    def register(fn: DialogFn) -> DialogFn:
        if name in table:
            raise ConfigError(f"persona {persona.name!r} already has {kind} dialog; {fix}.")
        table[name] = fn
        return fn

    return register


def _once(persona: Persona, kind: str, current: DialogFn | None, fn: DialogFn) -> DialogFn:
    if current is not None:
        raise ConfigError(
            f"persona {persona.name!r} already has a {kind} dialog "
            f"({current.__qualname__!r}); a persona has one {kind}."
        )
    return fn


def _is_icon(icon: str) -> bool:
    emoji = re.fullmatch(r":[a-z0-9_+\-']+:", icon) is not None
    return emoji or icon.startswith(("https://", "http://"))
