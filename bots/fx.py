"""Exchange rates for the Travel Desk: currencies named in a message, and the rate backend.

The backend speaks the Frankfurter API (``GET {BATON_FX_URL}/latest?base=EUR&symbols=USD``
answers ``{"base": "EUR", "date": "2025-05-09", "rates": {"USD": 1.12}}``). Its base URL
is the environment variable ``BATON_FX_URL``, read at each call so a deployment or a test
can point it elsewhere; the default is the public https://api.frankfurter.dev/v1.
"""

from __future__ import annotations

import logging
import math
import os
import re
from dataclasses import dataclass

import httpx

log = logging.getLogger("bots.fx")

DEFAULT_FX_URL = "https://api.frankfurter.dev/v1"
HOME_CURRENCY = "USD"  # what a single named currency is compared with
TIMEOUT = 5.0  # seconds; the user is waiting in Slack

CODES = frozenset({"AUD", "BRL", "CAD", "CHF", "CNY", "DKK", "EUR", "GBP", "HKD", "INR", "JPY",
                   "MXN", "NOK", "NZD", "PLN", "SEK", "SGD", "USD", "ZAR"})
NAMES = {  # longest first wins in the regex below, so "swiss franc" beats "franc"
    "australian dollar": "AUD", "canadian dollar": "CAD", "singapore dollar": "SGD",
    "hong kong dollar": "HKD", "new zealand dollar": "NZD", "us dollar": "USD",
    "dollar": "USD", "buck": "USD", "euro": "EUR", "pound": "GBP", "sterling": "GBP",
    "yen": "JPY", "swiss franc": "CHF", "franc": "CHF", "norwegian krone": "NOK",
    "norwegian kroner": "NOK", "danish krone": "DKK", "danish kroner": "DKK",
    "swedish krona": "SEK", "swedish kronor": "SEK", "kronor": "SEK", "krona": "SEK",
    "krone": "NOK", "kroner": "NOK", "rupee": "INR", "yuan": "CNY", "peso": "MXN",
    "zloty": "PLN", "rand": "ZAR",
}
_WORDS = "|".join(sorted(map(re.escape, NAMES), key=len, reverse=True))
_CURRENCY = re.compile(rf"\b(?:(?P<name>{_WORDS})s?|(?P<code>[a-z]{{3}}))\b", re.IGNORECASE)
_AMOUNT = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Request:
    """What to convert: from ``base`` to ``quote``, optionally an amount of ``base``."""

    base: str
    quote: str
    amount: float | None = None


def parse(text: str) -> Request | None:
    """The conversion a message asks for, or None when it names no usable currency.

    The currency right after a number is the one converted from ("50 euros in kronor");
    otherwise the first named is. A single currency is compared with ``HOME_CURRENCY``.
    """
    found: list[tuple[str, float | None]] = []  # (code, the amount just before it)
    for match in _CURRENCY.finditer(text):
        if match["name"]:
            code = NAMES[match["name"].casefold()]
        elif match["code"].upper() in CODES:
            code = match["code"].upper()
        else:
            continue
        before = _AMOUNT.search(text[:match.start()])
        if code not in [c for c, _ in found]:
            found.append((code, float(before[1].replace(",", "")) if before else None))
    if not found or [c for c, _ in found] == [HOME_CURRENCY]:
        return None
    with_amount = [item for item in found if item[1] is not None]
    base, amount = with_amount[0] if with_amount else found[0]
    others = [c for c, _ in found if c != base]
    if others:
        return Request(base, others[0], amount)
    if amount is not None:  # "how much is 5000 yen": in home currency
        return Request(base, HOME_CURRENCY, amount)
    return Request(HOME_CURRENCY, base)  # "the rate for rupees": one home unit in rupees


class BackendDown(Exception):
    """The rate service could not be reached or failed (timeout, refused, HTTP 5xx)."""


class BadAnswer(Exception):
    """The rate service answered, but not with a rate we can trust."""


@dataclass(frozen=True)
class Rate:
    base: str
    quote: str
    rate: float
    date: str | None


def fx_url() -> str:
    return (os.environ.get("BATON_FX_URL") or DEFAULT_FX_URL).rstrip("/")


async def latest_rate(http: httpx.AsyncClient, base: str, quote: str) -> Rate:
    """The latest rate of ``base`` in ``quote``; raises ``BackendDown`` or ``BadAnswer``."""
    url = f"{fx_url()}/latest"
    try:
        response = await http.get(url, params={"base": base, "symbols": quote}, timeout=TIMEOUT)
    except httpx.HTTPError as error:
        log.warning("exchange-rate service %s unreachable: %r", url, error)
        raise BackendDown(str(error)) from error
    if response.status_code >= 500:
        log.warning("exchange-rate service %s answered HTTP %s", url, response.status_code)
        raise BackendDown(f"HTTP {response.status_code}")
    try:
        if response.status_code != 200:
            raise ValueError(f"HTTP {response.status_code}")
        body = response.json()
        rate, date = body["rates"][quote], body.get("date")
        if isinstance(rate, bool) or not isinstance(rate, int | float) \
                or not math.isfinite(rate) or rate <= 0:
            raise ValueError(f"rate {rate!r}")
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        log.warning("exchange-rate service %s sent an unusable answer: %s (%.200r)", url,
                    error, response.text)
        raise BadAnswer(str(error)) from error
    return Rate(base, quote, float(rate), date if isinstance(date, str) else None)


def describe(rate: Rate, amount: float | None = None) -> str:
    """'1 EUR = 1.1200 USD (rate of 2025-05-09).', or the converted amount first."""
    unit = f"1 {rate.base} = {_number(rate.rate)} {rate.quote}"
    when = f" (rate of {rate.date})" if rate.date else ""
    if amount is None:
        return f"{unit}{when}."
    return f"{amount:,.2f} {rate.base} = {amount * rate.rate:,.2f} {rate.quote}, at {unit}{when}."


def _number(rate: float) -> str:
    if rate >= 100:
        return f"{rate:,.2f}"
    return f"{rate:.4f}" if rate >= 0.01 else f"{rate:.6f}"
