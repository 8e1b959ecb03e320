"""``baton run``: check the bots, build the app, serve it in the mode the credentials choose."""

from __future__ import annotations

import sys

from ..serve import configure_logging, run_app
from ..settings import Settings
from .loading import build_app
from .validate import validate


def run(settings: Settings, *, force_http: bool = False, terminal: bool = False) -> int:
    """Validate the bots, build the app, and run it until a signal stops it."""
    configure_logging(settings.log_level)
    mode = "http" if force_http else settings.mode  # half-given credentials stop here
    problems = validate(settings.bots)
    for problem in problems:
        print(problem if problem.blocking else f"warning: {problem}", file=sys.stderr)
    blocking = [p for p in problems if p.blocking]
    if blocking:
        print(f"baton: {settings.bots} has {len(blocking)} problem"
              f"{'s' if len(blocking) > 1 else ''}; fix {'them' if len(blocking) > 1 else 'it'} "
              "(`baton validate` lists the same).", file=sys.stderr)
        return 1
    return run_app(build_app(settings), settings, force_http=mode == "http", terminal=terminal)
