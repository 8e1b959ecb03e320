"""The local web playground: a Slack-like page in the browser, backed by FakeSlack.

``baton run`` serves it when there are no Slack credentials::

    playground = await serve_playground(app, host="127.0.0.1", port=3000)
    print(playground.url)      # http://127.0.0.1:3000/
    ...
    await playground.close()   # then app.close()

The app runs for real (Bolt, slack_sdk) against FakeSlack, exactly as in tests.
"""

from .server import Playground, serve_playground
from .workspace import CHANNELS, USERS, Channel, User

__all__ = ["CHANNELS", "USERS", "Channel", "Playground", "User", "serve_playground"]
