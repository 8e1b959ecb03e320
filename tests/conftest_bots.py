"""The test helpdesk as a bots module, for ``baton --bots tests.conftest_bots``."""

from .conftest import helpdesk

PERSONAS = helpdesk()
ENTRY = "router"
