"""The shipped personas: an explicit list, and the entry persona."""

from .people import people
from .router import router
from .travel import travel

PERSONAS = [router, people, travel]
ENTRY = "router"
