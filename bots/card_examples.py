"""More examples of the Corporate Card desk's area (bots/card.py), for the router: messages
written the way employees write on Slack (context before the request, typos,
several sentences, another desk's words in passing) whose request is still this
desk's. bots/card_phrases.py adds them to its EXAMPLES; they live here to keep that
module short."""

SLACK_MESSAGES: list[str] = [
    # short and casual
    "card skimmed?? weird charges from brazil",
    "card app says my card is frozen, didnt do that",
    "virtual card number expired, can i get a new one",
    "can i choose my own pin",
    "uber receipt is only in my email, is that ok",
    "limit bump for the offsite pls",
    "double charged by the caterer",
    "atm in rome kept my company card",
    "who approves my card expenses",
    "annual fee on my card statement?",
    "chip is scratched but tap still works, new card?",
    "apple pay keeps asking me to verify the card",
    "expense report stuck in draft",
    "iban for paying back personal charges?",
    "how do i let my EA do my receipts",
    "why is there a late fee on the corp card",
    "expense tool says im missing 12 receipts",
    "lost receipt form where",
    "is amazon ok on the company card",
    "refund went to my personal card not the corporate one",
    # one sentence
    ("I paid the hotel in Prague with my corporate card and they charged me in dollars instead "
     "of koruna, can I get the conversion fee back?"),
    ("my card got declined for the AWS renewal this morning even though I'm way under my limit, "
     "what's going on?"),
    "The restaurant added a tip I never agreed to on my corporate card, how do I dispute it?",
    ("I'm becoming a team lead next month and will be paying for team dinners, how do I apply "
     "for a card and what limit do I get?"),
    "how do i mark a card transaction as a client entertainment meal in my expense report",
    ("My card expired last week and the replacement hasn't arrived, can I get a virtual number "
     "in the meantime?"),
    "Can my new card be sent to my home address since I work fully remote?",
    ("just realised my gym membership has been going on the corporate card for 3 months, how do "
     "I pay it back?"),
    "Why does my card show a pending hold of 500 euros from the rental car company?",
    "can I lock online payments on my card and only unlock them when I need to buy something?",
    ("The expense system won't let me submit because the card transaction hasn't posted yet, "
     "how long does that take?"),
    ("Finance says my card gets suspended Friday unless I clear my overdue receipts, can I get "
     "a few more days?"),
    "what receipt do I need for card purchases under 25 dollars",
    ("A vendor charged my card for a licence renewal we cancelled in January and won't refund "
     "it, can you dispute it?"),
    "The card app shows a different balance than my statement, which one is right?",
    ("I got an email from 'corporate card security' asking for my card number and CVV, is that "
     "really from our provider?"),
    ("Is the VAT on card purchases reclaimed automatically or do I need a proper VAT invoice "
     "for each one?"),
    "how do I split one card transaction across two projects in the expense report",
    ("Can I get a replacement card couriered to my hotel in Denver, mine snapped in half this "
     "morning?"),
    # two or three sentences, context first
    ("On my trip to Madrid I paid for the team dinner on my card but the restaurant only gave "
     "me the card slip, not an itemised receipt. Is the slip enough for my expense report?"),
    ("I'm at the rental desk at Faro airport and my corporate card just got declined. I have a "
     "client meeting in two hours, can you see what's blocking it?"),
    ("Got back from Tokyo and there are three charges from a hotel I never stayed at. I think "
     "my card was copied somewhere on the trip, please block it and send a new one."),
    ("I'm going on parental leave for 6 months from May. Should I hand my corporate card in or "
     "can it just be paused while I'm off?"),
    ("hi! joined 3 weeks ago and my manager says I need a card for buying lab supplies. who do "
     "I ask and how long does it take?"),
    ("I'm moving to the Amsterdam office next month. Will my current corporate card keep "
     "working or do I need a new one from the Dutch entity?"),
    ("Last month I paid back a personal charge by bank transfer, but it still shows as "
     "outstanding on my card account. Can someone match the payment?"),
    ("The airline refunded my cancelled flight as a voucher instead of back to the corporate "
     "card. How do I show that in my expense report so the charge balances?"),
    ("I tapped my corporate card instead of my own at the petrol station, twice this week 🤦 Can "
     "I just deduct it from my next expense claim?"),
    ("my card keeps getting declined on US websites because the billing zip doesn't match. what "
     "billing address should I put in for the corporate card?"),
    ("The PIN I set in the app worked last week, but every ATM in Athens now says incorrect "
     "PIN. I haven't changed it, did something reset?"),
    ("I'm approving expense reports for my team and one card has 4k of unexplained charges. How "
     "do I flag it to finance, and should the card be frozen?"),
    "Finance asked me to sign the cardholder agreement again. Why, and where do I find it?",
    ("The hotel in Vienna charged my card 180 euros for minibar and a film I never had. I've "
     "emailed them twice, can you open a dispute?"),
    ("Our team has one shared card for software subscriptions and the person holding it is "
     "leaving. Can it be moved to me instead of closed?"),
    ("trying to submit the expense report for my berlin trip but the card transactions landed "
     "in two different months. can I put them in one report?"),
    ("There's a 2% fee on my statement for the taxi in Cairo even though I paid in local "
     "currency like I was told. Why was I still charged?"),
    ("Someone rang pretending to be the bank and I gave them the code from my text before I "
     "realised. Please freeze my corporate card right now!"),
    ("Google Pay on my new phone won't take the corporate card, says the issuer declined it. It "
     "worked fine on my old phone."),
    ("I need to pay for our booth at the trade show in Las Vegas, it's 12,000 dollars and my "
     "limit is 5k. What's the best way to do this?"),
    ("My statement shows a cash advance fee for buying euros at the airport exchange counter. I "
     "didn't know that counted as cash, is it still an ok expense?"),
]
