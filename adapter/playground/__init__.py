"""The local web playground: a Slack-like page in the browser, backed by FakeSlack.

``baton run`` serves it when there are no Slack credentials::

    playground = await serve_playground(app, host="127.0.0.1", port=3000)
    print(playground.url)      # http://127.0.0.1:3000/
    ...
    await playground.close()   # then app.close()

The app runs for real (Bolt, slack_sdk) against FakeSlack, exactly as in tests.
"""


from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .server import Playground, serve_playground
    from .workspace import CHANNELS, USERS, Channel, User

__all__ = ["CHANNELS", "USERS", "Channel", "Playground", "User", "serve_playground"]
# Loaded when first asked for: serving Slack imports this package for its app protocol
# (app_view) and must not pay for the playground's server and FakeSlack at start-up.
_HOMES = {"Playground": ".server", "serve_playground": ".server", "CHANNELS": ".workspace",
          "USERS": ".workspace", "Channel": ".workspace", "User": ".workspace"}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_HOMES[name], __name__), name)
