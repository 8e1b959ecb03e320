"""The shipped personas: an employee helpdesk. An explicit list, and the entry persona.

- router (Helpdesk): classifies each message and hands it to the right desk
- people (People Team): time off, sick days, pay, payslips, tax forms, benefits, parental
  and special leave, letters, personal details, remote work, reviews, training, leaving
- travel (Travel Desk): flights, trains, hotels, rental cars, changes, visas, exchange rates,
  insurance, lost luggage, itineraries, loyalty programmes, policy
- card (Corporate Card): lost, declined, new and unactivated cards, PINs, limits, unknown
  charges, refunds, fees abroad, cash, phone wallets, personal purchases, statements,
  closing a card, receipts

Each desk's intents' phrases, and examples of the rest of its area, are in <desk>_phrases.py.

Settings: BATON_FX_URL, the exchange-rate service's base URL (bots/fx.py).
"""

from .card import card
from .people import people
from .router import router
from .specialists import specialists
from .travel import travel

PERSONAS = [router, people, travel, card, specialists]
ENTRY = "router"
