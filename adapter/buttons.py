"""Button: a button under a persona's message, whose click runs one of its dialogs."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ConfigError


@dataclass(frozen=True)
class Button:
    """A button under a persona's message: a click runs the persona's
    ``@persona.button(action)`` dialog, with ``turn.clicked`` set to this button."""

    label: str
    value: str = ""
    action: str = "choice"
    style: str | None = None  # "primary" or "danger"
    # The persona whose @button dialog answers the click; None: the one that posts it.
    persona: str | None = None

    def __post_init__(self) -> None:
        if not self.label or len(self.label) > 75:
            raise ConfigError(f"button label {self.label!r}: give 1-75 characters (Slack's limit).")
        if len(self.value) > 2000:
            raise ConfigError(f"button {self.label!r}: its value has {len(self.value)} characters; "
                              "Slack allows 2000. Keep big data in turn.store instead.")
        if self.style not in (None, "primary", "danger"):
            raise ConfigError(f"button {self.label!r}: style {self.style!r} is not 'primary' or "
                              "'danger'.")
