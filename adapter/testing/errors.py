"""FakeSlackError: the app called Slack in a way real Slack would refuse."""


class FakeSlackError(AssertionError):
    """The app called Slack in a way real Slack would refuse (or a test asked FakeSlack
    for something it cannot do)."""
