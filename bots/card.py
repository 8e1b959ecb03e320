"""Corporate Card desk: lost, declined and new cards, limits, unknown charges, receipts.

Remembers per user (context store, user scope) that it froze someone's card, so a later
"my card was declined", in any conversation, gets the real reason.
"""

from adapter import Domain, Persona, Turn

card_domain = Domain("card", {
    "lost_card": [
        "I lost my corporate card", "my company card was stolen",
        "I can't find my card anywhere", "someone took my wallet with the work card in it",
        "freeze my card, I left it in a taxi", "report a lost credit card",
        "I think I dropped my card somewhere on the way home", "block my card please",
        "my card is missing", "I left my company card at the restaurant",
        "lost card what do I do", "I need a replacement, my card got stolen",
        "my card was in my bag and the bag is gone",
        "I've lost my company card", "my work credit card was stolen last night",
        "I can't find my corporate card", "I left my card on the train",
        "my corporate card has disappeared", "I think my card fell out of my pocket",
        "please cancel my card, it's lost",
    ],
    "declined_card": [
        "my card was declined", "why did my card get rejected",
        "the payment didn't go through with my company card", "my card isn't working",
        "card declined at the restaurant", "the terminal said transaction refused",
        "my corporate card keeps getting declined online", "why can't I pay with my work card",
        "the cashier said my card was denied", "my card got blocked when I tried to pay",
        "contactless payment failed on my card", "card rejected at the gas station",
        "my card stopped working abroad",
        "my card got declined at the hotel", "the card was refused when I tried to pay",
        "why does my corporate card keep getting rejected", "payment with my card failed",
        "the shop wouldn't accept my company card", "my card doesn't work at the ATM",
        "card payment declined for a flight",
        "the restaurant couldn't charge my card", "the merchant says my card can't be charged",
    ],
    "card_limit": [
        "what is my card limit", "how much can I spend on my corporate card",
        "I need a higher limit", "increase my spending limit for next month",
        "can I raise my card limit temporarily", "what's the monthly cap on the company card",
        "how much credit is left on my card", "have I hit my card limit",
        "request a limit increase", "what's the maximum I can charge in one transaction",
        "is there a daily withdrawal limit on the card",
        "my upcoming conference costs more than my limit",
        "check my available balance on the card",
        "what's my spending limit", "can you raise the limit on my card",
        "how much have I got left to spend on the card this month",
        "I need a bigger limit for the conference", "what's the per transaction limit",
        "my limit is too low for my job", "how do I change my card limit",
    ],
    "new_card": [
        "how do I get a corporate card", "I need a company credit card",
        "apply for a corporate card", "request a new card", "I just joined, can I get a work card",
        "who is eligible for a company card",
        "my card expires next month, when do I get the new one",
        "order a card for a new team member", "how long does it take to receive a corporate card",
        "can I have a virtual card for online purchases",
        "my card is damaged and the chip doesn't work", "sign me up for a corporate amex",
        "does my manager need to approve a card request",
        "how can I get a company card", "I'd like to apply for a corporate credit card",
        "can new employees get a card", "I need a card for work purchases",
        "where do I order a corporate card", "can my assistant have a company card",
        "renew my corporate card", "my card is about to expire",
        "how do I get a replacement for an expired card",
    ],
    "suspicious_charge": [
        "there's a charge on my card I don't recognise", "I see a transaction I didn't make",
        "someone used my card without permission", "unknown payment on my corporate card statement",
        "I think my card has been hacked", "there is a purchase I never made",
        "dispute a charge", "I got charged twice for the same thing",
        "strange transaction from a shop I've never been to", "report fraud on my card",
        "my card was charged in a country I've never visited",
        "I was billed for a subscription I cancelled", "this amount on my statement is wrong",
        "there's a payment on my card I didn't make", "I don't recognise a charge on my statement",
        "I think someone is using my card", "I was charged twice for a hotel",
        "a merchant overcharged me", "how do I dispute a transaction",
        "fraudulent charges on my company card",
    ],
    "submit_receipts": [
        "how do I submit my receipts", "where do I upload receipts for card purchases",
        "I lost a receipt, what do I do", "do I need a receipt for a coffee",
        "when are receipts due", "how do I file an expense report",
        "attach a receipt to a card transaction", "I forgot to submit last month's receipts",
        "what happens if I don't hand in my receipts", "can I take a photo of the receipt",
        "how do I reconcile my card statement", "do I need itemised receipts for meals",
        "my expense report was rejected",
        "where do I send my receipts", "how do I upload a receipt",
        "I've lost the receipt for a dinner", "when is the deadline for expense receipts",
        "do I have to keep paper receipts", "how do I match receipts to card transactions",
        "my receipts are overdue",
    ],
})

card = Persona(
    "card", skill="card", display_name="Corporate Card", icon=":credit_card:",
    domains=[card_domain], namespaces={"card": 90 * 24 * 3600},
    description="lost, declined or new cards, limits, charges you don't recognise, receipts",
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


@card.welcome
async def welcome(turn: Turn) -> None:
    await turn.say("Hi, Corporate Card here. I can help with lost, declined or new cards, "
                   "limits, charges you don't recognise and receipts.")


@card.fallback
async def unsure(turn: Turn) -> None:
    await turn.say("I handle corporate cards: lost, declined or new cards, limits, charges you "
                   "don't recognise and receipts. Could you rephrase that?")
