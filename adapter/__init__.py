"""Baton: several specialized bots ("personas") in one Slack Bolt app, with warm transfers.

The public surface is what this module exports; everything else is internal.
"""

from .app import App
from .buttons import Button
from .errors import (
    BatonError,
    ConfigError,
    SlackError,
    SlackRefusedError,
    SlackUnreachableError,
    UnknownIntentError,
)
from .handoff import TransferContext, TransferResult
from .humans import Hours, HumanTeam
from .intents import Domain, IntentMatch
from .nlu import Classifier, KeywordClassifier
from .persona import Persona
from .router import Router
from .store import Store, StoreError
from .text import Mrkdwn
from .turn import Turn

__all__ = [
    "App", "BatonError", "Button", "Classifier", "ConfigError", "Domain", "Hours", "HumanTeam",
    "IntentMatch",
    "KeywordClassifier", "Mrkdwn", "Persona", "Router", "SlackError", "SlackRefusedError",
    "SlackUnreachableError", "Store", "StoreError", "TransferContext",
    "TransferResult", "Turn",
    "UnknownIntentError",
]
