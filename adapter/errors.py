"""The errors Baton raises on purpose."""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Iterable


class BatonError(Exception):
    """Base class of every error Baton raises on purpose."""


class ConfigError(BatonError, ValueError):
    """A persona, skill or app setting is wrong; the message names the value and the fix."""


class UnknownIntentError(ConfigError, LookupError):
    """An intent name that no domain defines."""


class SlackError(BatonError):
    """Slack's Web API could not be used; the subclass says whose side it is on."""


class SlackUnreachableError(SlackError):
    """Slack could not be reached: no connection, a timeout, or Slack's own server error."""

    def __init__(self, url: str, cause: str) -> None:
        super().__init__(f"cannot reach Slack at {url} ({cause}); check this machine's network, "
                         "or BATON_SLACK_API_URL if you set it.")
        self.url, self.cause = url, cause


class SlackRefusedError(SlackError, ConfigError):
    """Slack answered and refused a credential; ``error`` is Slack's code (invalid_auth)."""

    def __init__(self, credential: str, method: str, error: str, fix: str) -> None:
        super().__init__(f"Slack refused the {credential} ({method}: {error}); {fix}")
        self.credential, self.method, self.error = credential, method, error


def caller_location() -> tuple[str, int]:
    """Where user code called into Baton: the first frame outside this package."""
    frame = sys._getframe(1)
    package = os.path.dirname(__file__)
    while frame is not None and (frame.f_code.co_filename.startswith(package)
                                 or frame.f_code.co_filename.startswith("<")):
        frame = frame.f_back
    return (frame.f_code.co_filename, frame.f_lineno) if frame else ("<unknown>", 0)


def closest(value: str, known: Iterable[str]) -> str | None:
    """The known name most like ``value``, or None when nothing is close."""
    matches = difflib.get_close_matches(value, list(known), n=1, cutoff=0.7)
    return matches[0] if matches else None


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """' Did you mean 'x'?' when a known name is close to ``value``, else ''."""
    guess = closest(value, known)
    return f" Did you mean {guess!r}?" if guess else ""


class DeliveryError(BatonError):
    """A reply could not be posted: Slack refused it for good (``permanent``), or the
    retry budget ran out; its Run stays in the inbox for a later attempt."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
