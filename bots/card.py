"""Corporate Card desk: lost, declined, new and unactivated cards, PINs, limits, unknown
charges, refunds, fees abroad, cash, phone wallets, personal purchases, statements, closing
a card, receipts.

Its intents' phrases and the examples of its wider area are in bots/card_phrases.py.

Remembers per user (context store, user scope) that it froze someone's card, so a later
"my card was declined", in any conversation, gets the real reason.
"""

from adapter import Persona, Turn

from .card_phrases import EXAMPLES, card_domain, cardholder

card = Persona(
    "card", skill="card", display_name="Corporate Card", icon=":credit_card:",
    domains=[card_domain, cardholder], namespaces={"card": 90 * 24 * 3600},
    description="lost, declined or new cards, PINs, limits, charges you don't recognise, "
                "refunds, fees, receipts",
    examples=EXAMPLES,
)


@card.dialog(intent="card.lost_card")
async def lost_card(turn: Turn) -> None:
    await turn.store.set("card", "frozen", "lost", scope="user")
    await turn.say("I've frozen your corporate card, so nobody can use it. A replacement will "
                   "reach your office within 3 working days. If the old card turns up, cut it "
                   "up: it stays frozen.")


@card.dialog(intent="card.suspicious_charge")
async def suspicious_charge(turn: Turn) -> None:
    await turn.store.set("card", "frozen", "disputed", scope="user")
    await turn.say("I've frozen your card as a precaution and opened a dispute. Finance will "
                   "email you within 2 working days to go through the charge; you won't pay for "
                   "anything you didn't buy, and a new card is on its way.")


@card.dialog(intent="card.declined_card")
async def declined_card(turn: Turn) -> None:
    frozen = await turn.store.get("card", "frozen", scope="user")
    if frozen:
        why = "reported it lost" if frozen == "lost" else "reported a charge"
        await turn.say(f"That's because your card is frozen: you {why}. Your replacement card "
                       "is on its way; until it arrives, ask your manager to pay urgent costs.")
        return
    await turn.say("Sorry about that. A card is usually declined because the monthly limit is "
                   "reached, the shop is in a blocked category (cash, gambling), or the terminal "
                   "needs your PIN instead of contactless. The card app shows the exact reason.")


@card.dialog(intent="card.card_limit")
async def card_limit(turn: Turn) -> None:
    await turn.say("The standard limit is $5,000 a month and $1,500 per payment; the card app "
                   "shows what's left. For a trip or event that needs more, your manager can "
                   "approve a temporary raise in the Finance portal, effective the same day.")


@card.dialog(intent="card.new_card")
async def new_card(turn: Turn) -> None:
    await turn.say("Request a corporate card in the Finance portal (Cards > Request). Your "
                   "manager approves it, and the card reaches your office within 5 working "
                   "days; a virtual card for online purchases is ready the same day.")


@card.dialog(intent="card.submit_receipts")
async def submit_receipts(turn: Turn) -> None:
    await turn.say("Snap each receipt in the Expenses app within 30 days: it matches the card "
                   "payment by itself. Meals and anything over $75 need an itemised receipt; for "
                   "a lost one, fill in the missing-receipt form in the same app.")


@card.dialog(intent="cardholder.activate_card")
async def activate_card(turn: Turn) -> None:
    await turn.say("Activate your new card in the card app (Cards > Activate); it works for "
                   "online payments straight away. Make one chip-and-PIN payment in a shop first, "
                   "and contactless switches on by itself.")


@card.dialog(intent="cardholder.card_pin")
async def card_pin(turn: Turn) -> None:
    await turn.say("Your PIN is in the card app under Cards > View PIN, and you can change it at "
                   "any ATM that offers PIN services. After 3 wrong tries it locks: unlock it in "
                   "the app (Cards > Unlock PIN) and it works again within an hour.")


@card.dialog(intent="cardholder.personal_purchase")
async def personal_purchase(turn: Turn) -> None:
    await turn.say("No problem, it happens. Mark the payment as Personal in the Expenses app and "
                   "repay it within 30 days, by bank transfer to the account shown there or from "
                   "your next salary; personal use more than twice a year is flagged to your "
                   "manager.")


@card.dialog(intent="cardholder.merchant_refund")
async def merchant_refund(turn: Turn) -> None:
    await turn.say("Refunds go back to the card and usually show up within 5-10 working days; "
                   "the Expenses app then matches the credit to the original payment by itself. "
                   "Nothing after 15 working days? Forward the merchant's confirmation to "
                   "cards@example.com and we'll chase it.")


@card.dialog(intent="cardholder.foreign_fees")
async def foreign_fees(turn: Turn) -> None:
    await turn.say("The corporate card has no foreign transaction fees: payments abroad are "
                   "converted at the card network's rate of the day and shown in dollars in the "
                   "card app. When a terminal offers to charge you in dollars, choose the local "
                   "currency: it's cheaper.")


@card.dialog(intent="cardholder.cash_withdrawal")
async def cash_withdrawal(turn: Turn) -> None:
    await turn.say("Cash withdrawals are switched off on corporate cards. If you need cash for a "
                   "trip, take it out with your own card and claim it back, fees included, in the "
                   "Expenses app; for larger sums, Finance can arrange a cash advance at "
                   "finance.example.com/advance.")


@card.dialog(intent="cardholder.mobile_wallet")
async def mobile_wallet(turn: Turn) -> None:
    await turn.say("Yes: add the card to Apple Pay or Google Pay from the card app (Cards > Add "
                   "to wallet), even before the plastic arrives. Phone and watch payments work "
                   "like the card itself, with the same limits, and the receipts still go into "
                   "the Expenses app.")


@card.dialog(intent="cardholder.card_statement")
async def card_statement(turn: Turn) -> None:
    await turn.say("The company pays the card bill in full every month, so nothing comes out of "
                   "your pocket and it doesn't touch your credit score. Statements close on the "
                   "last day of the month and appear in the card app (Statements) 3 days later; "
                   "all you owe us is your receipts.")



@card.dialog(intent="cardholder.close_card")
async def close_card(turn: Turn) -> None:
    await turn.say("Close the card in the card app (Cards > Close card) at least a week before "
                   "your last day, once all your receipts are in; then cut it up, there's no need "
                   "to send it back. Managers can close a leaver's card in the Finance portal.")

@card.welcome
async def welcome(turn: Turn) -> None:
    await turn.say("Hi, Corporate Card here. I can help with lost, declined, new or unactivated "
                   "cards, PINs, limits, charges you don't recognise, refunds, fees abroad, cash, "
                   "Apple Pay and Google Pay, personal purchases, statements, closing a card and "
                   "receipts.")


@card.fallback
async def unsure(turn: Turn) -> None:
    await turn.say("That one needs a person: the card handbook (finance.example.com/cards) "
                   "covers it, or email cards@example.com and Finance replies within 1 working "
                   "day. Right away, I can answer questions on lost, declined, new or unactivated "
                   "cards, PINs, limits, unknown charges, refunds, fees abroad, cash, phone "
                   "wallets, personal purchases, statements, closing a card and receipts.")
