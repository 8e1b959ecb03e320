"""Loading a bots module (PERSONAS, ENTRY and optional FALLBACK_SKILLS), in one place."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from ..app import App
from ..errors import BatonError
from ..settings import Settings


@dataclass(frozen=True)
class BotsModule:
    """A bots module as Baton reads it."""

    name: str
    module: ModuleType
    personas: list[Any]
    entry: str
    fallback_skills: dict[str, str] | None


class BotsImportError(BatonError):
    """The bots module does not import (a missing module, or a mistake raised in it)."""

    def __init__(self, message: str, cause: BaseException) -> None:
        super().__init__(message)
        self.cause = cause


def load_bots(name: str) -> BotsModule:
    """Import ``name`` and read its PERSONAS and ENTRY; a ``BatonError`` says what to fix."""
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as error:
        raise BotsImportError(f"cannot import {name!r}: {error}; pass --bots with an "
                              "importable module.", error) from None
    except BatonError as error:  # e.g. two dialogs with one starter, raised at decoration
        raise BotsImportError(str(error), error) from None
    missing = [part for part in ("PERSONAS", "ENTRY") if not hasattr(module, part)]
    if missing:
        raise BatonError(f"{name} lacks {' and '.join(missing)}: define PERSONAS = [...] and "
                         "ENTRY = 'persona name'.")
    fallback = getattr(module, "FALLBACK_SKILLS", None)
    return BotsModule(name, module, list(module.PERSONAS), module.ENTRY,
                      dict(fallback) if fallback else None)


def build_app(settings: Settings) -> App:
    """The app ``baton run`` serves: the bots module's personas with the settings."""
    bots = load_bots(settings.bots)
    return App(personas=bots.personas, entry=bots.entry, db=settings.database,
               cache_dir=settings.cache_dir, slack_api_url=settings.slack_api_url,
               fallback_skills=bots.fallback_skills, slack_timeout=settings.slack_timeout,
               dialog_timeout=settings.dialog_timeout, stop_timeout=settings.stop_timeout,
               lease=settings.lease, instance=settings.instance,
               pool_size=settings.pool_size)
