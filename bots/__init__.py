"""The shipped personas: an employee helpdesk. An explicit list, and the entry persona.

- router (Helpdesk): classifies each message and hands it to the right desk
- people (People Team): time off, sick days, pay, benefits, parental leave, letters
- travel (Travel Desk): flights, hotels, changes, visas, exchange rates, policy
- card (Corporate Card): lost, declined and new cards, limits, unknown charges, receipts

Settings: BATON_FX_URL, the exchange-rate service's base URL (bots/fx.py).
"""

from .card import card
from .people import people
from .router import router
from .travel import travel

PERSONAS = [router, people, travel, card]
ENTRY = "router"
