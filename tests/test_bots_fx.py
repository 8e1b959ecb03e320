"""The Travel Desk's exchange rates come from an HTTP backend (BATON_FX_URL), faked with respx.

The mocks are strict: every route must be called, and any other request fails the test.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import respx

from adapter import App
from adapter.testing import FakeSlack, Reply
from bots.fx import DEFAULT_FX_URL, fx_url

from .bots_helpers import helpdesk_app

FX_URL = "http://fx.test/v1"
DOWN = ("Sorry, the exchange-rate service isn't answering right now, so I can't give you "
        "EUR to USD. Please try again in a few minutes.")
GARBLED = ("Sorry, the exchange-rate service sent an answer I couldn't read, so I can't give "
           "you EUR to USD right now. Please try again later.")


@pytest.fixture
def app(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> App:
    monkeypatch.setenv("BATON_FX_URL", FX_URL + "/")  # a trailing slash is fine
    built = helpdesk_app(tmp_path, tmp_path_factory)
    yield built
    built.close()


def rates(base: str, **quoted: float) -> httpx.Response:
    return httpx.Response(200, json={"amount": 1.0, "base": base, "date": "2025-05-09",
                                     "rates": quoted})


async def test_a_rate_is_fetched_from_the_backend(slack: FakeSlack) -> None:
    convo = slack.conversation()
    with respx.mock(assert_all_called=True) as fx:
        latest = fx.get(f"{FX_URL}/latest").mock(return_value=rates("EUR", USD=1.1245))
        await convo.user_says("what's the euro worth in dollars today?")
    assert convo.replies == [Reply("travel", "1 EUR = 1.1245 USD (rate of 2025-05-09).")]
    [call] = latest.calls
    assert call.request.url == f"{FX_URL}/latest?base=EUR&symbols=USD"


async def test_an_amount_is_converted(slack: FakeSlack) -> None:
    convo = slack.conversation()
    with respx.mock(assert_all_called=True) as fx:
        fx.get(f"{FX_URL}/latest", params={"base": "GBP", "symbols": "JPY"}).mock(
            return_value=rates("GBP", JPY=193.784))
        await convo.user_says("how much is 1,500 pounds in yen?")
    assert convo.replies == [Reply("travel", "1,500.00 GBP = 290,676.00 JPY, at 1 GBP = "
                                   "193.78 JPY (rate of 2025-05-09).")]


async def test_one_currency_is_quoted_against_the_dollar(slack: FakeSlack) -> None:
    convo = slack.conversation()
    with respx.mock(assert_all_called=True) as fx:
        fx.get(f"{FX_URL}/latest", params={"base": "USD", "symbols": "INR"}).mock(
            return_value=rates("USD", INR=83.4))
        await convo.user_says("current exchange rate for the Indian rupee")
    assert convo.replies == [Reply("travel", "1 USD = 83.4000 INR (rate of 2025-05-09).")]


async def test_without_currencies_it_asks_and_calls_nothing(slack: FakeSlack) -> None:
    convo = slack.conversation()
    with respx.mock(assert_all_called=True):  # no routes: any request would fail the test
        await convo.user_says("can you check an exchange rate for me")
        assert convo.replies == [Reply("travel", "Which currencies? For example: 'EUR to USD' "
                                       "or '100 pounds in yen'.")]

        await convo.user_says("what's the exchange rate for rubles")
        assert convo.replies[-1] == convo.replies[0]


@pytest.mark.parametrize("failure", [
    httpx.ConnectError("connection refused"),
    httpx.ReadTimeout("timed out"),
    httpx.Response(503, text="Service Unavailable"),
], ids=["refused", "timeout", "503"])
async def test_a_backend_that_is_down_gets_a_clear_answer(
    slack: FakeSlack, failure: Exception | httpx.Response
) -> None:
    convo = slack.conversation()
    with respx.mock(assert_all_called=True) as fx:
        route = fx.get(f"{FX_URL}/latest", params={"base": "EUR", "symbols": "USD"})
        if isinstance(failure, httpx.Response):
            route.mock(return_value=failure)
        else:
            route.mock(side_effect=failure)
        await convo.user_says("EUR to USD please")
    assert convo.replies == [Reply("travel", DOWN)]
    assert convo.owner == "travel"

    await convo.user_says("when is payday?")  # the conversation carries on
    assert convo.replies[-1] == Reply("people", "Salaries are paid on the 25th of each month.")


@pytest.mark.parametrize("answer", [
    httpx.Response(200, text="<html>Gateway login</html>"),
    httpx.Response(200, json={"base": "EUR", "rates": {}}),
    httpx.Response(200, json={"base": "EUR", "rates": {"USD": "1.12"}}),
    httpx.Response(200, json={"base": "EUR", "rates": {"USD": -1}}),
    httpx.Response(200, json=["EUR", "USD", 1.12]),
    httpx.Response(404, json={"message": "not found"}),
], ids=["html", "no-rate", "string-rate", "negative-rate", "list", "404"])
async def test_a_garbled_answer_gets_a_clear_answer(
    slack: FakeSlack, answer: httpx.Response
) -> None:
    convo = slack.conversation()
    with respx.mock(assert_all_called=True) as fx:
        fx.get(f"{FX_URL}/latest").mock(return_value=answer)
        await convo.user_says("EUR to USD please")
    assert convo.replies == [Reply("travel", GARBLED)]


def test_the_backend_url_defaults_to_frankfurter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BATON_FX_URL", raising=False)
    assert fx_url() == DEFAULT_FX_URL == "https://api.frankfurter.dev/v1"
