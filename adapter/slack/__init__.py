"""The Slack side, the only code importing slack_bolt and slack_sdk: receiving events with
Bolt (HTTP or Socket Mode), posting with slack_sdk, and the app manifest."""

from .bridge import SLACK_API_URL, SlackBridge
from .serving import EVENTS_PATH, Serving
from .translate import button_blocks, to_click, to_message

__all__ = ["EVENTS_PATH", "SLACK_API_URL", "Serving", "SlackBridge", "button_blocks",
           "to_click", "to_message"]
