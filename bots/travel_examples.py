"""More examples of the Travel Desk's area (bots/travel.py), for the router: messages
written the way employees write on Slack (context before the request, typos,
several sentences, another desk's words in passing) whose request is still this
desk's. bots/travel_phrases.py adds them to its EXAMPLES; they live here to keep that
module short."""

SLACK_MESSAGES: list[str] = [
    # short and casual
    "whats the per diem for tokyo",
    "hotel says no booking found??",
    "can i book outside the travel tool if its cheaper",
    "layover hotel for an 11hr connection?",
    "is the visa fee reimburseable",
    "multi city trip paris > milan > home",
    "late checkout fee ok to claim?",
    "mileage rate if i drive my own car to the client",
    "who approves travel for contractors",
    "uber from hotel to office every day ok?",
    "hotel marked me as a no show but i was there",
    "first class train ok for 4hr trips?",
    "book me to krakow thurs back sat",
    "evacuation plan for our team in tel aviv?",
    "laundry on a 3 week trip claimable?",
    "seat next to my colleague on the flight pls",
    "can my EA book my trips for me",
    "overnight bus to porto is cheaper, allowed?",
    "any travel advisory for lagos next wk",
    "rest day after a red-eye flight?",
    # one sentence
    ("I'm stuck in Frankfurt because of fog and the airline rebooked me for tomorrow, can you "
     "get me a hotel near the airport tonight?"),
    "Does the per diem cover the whole day if my flight home leaves at 9am, or only part of it?",
    ("Our client in Riyadh wants us on site for two weeks, what's the process to get that trip "
     "approved and booked?"),
    ("the conference hotel in san diego is above our nightly cap, can i still book it since "
     "everyone's staying there?"),
    "Is there a list of airlines we're not allowed to fly for safety reasons?",
    ("My passport is at the embassy for a visa, can I fly domestically next week with just my "
     "driving licence?"),
    ("The hotel in Mumbai wants a credit card guarantee but I booked through our agency, "
     "shouldn't that already be covered?"),
    ("Who pays for the visa photos and courier fees for my India business visa, do I claim them "
     "or does travel pay?"),
    ("can someone check if the 6:40 train from Utrecht to Brussels still has seats, my meeting "
     "moved to 10"),
    ("I got bumped off an overbooked flight in Chicago and the airline offered a voucher, do I "
     "keep it or does it belong to the company?"),
    ("whats the rule on taking a flight with a long layover to save money vs a direct one that "
     "costs more"),
    ("My colleague collapsed at the airport in Doha on the way to the client and is in hospital "
     "now, who needs to know and who pays?"),
    ("I travel with insulin, can you note that on my booking and ask the hotel for a fridge in "
     "the room?"),
    "Is there any guidance for LGBTQ+ employees travelling to the Dubai office?",
    ("The booking tool flagged my Berlin trip as over budget because of the currency "
     "conversion, can someone approve it anyway?"),
    ("Does the company book travel for an onsite interview if I'm applying internally for a "
     "role in the Austin office?"),
    "How many days before departure do international trips need to be approved?",
    "do i still get the meal allowance on travel days if the airline feeds me on the plane",
    "the airport taxi in bogota was cash only and the driver had no receipt, how do I claim it",
    "Can you find me a hotel in Zurich within walking distance of the office, I won't have a car?",
    # two or three sentences, context first
    ("I'm at the airport in Lisbon and the gate agent says my return was cancelled because I "
     "no-showed the first leg. I came down by train instead — can you reinstate the flight "
     "home?"),
    ("Hi travel team. 8 of us from sales are going to the Hannover trade fair in April and "
     "hotels are already filling up. Can you block rooms near the fairground?"),
    ("The project in Oslo is running two days over. Can you extend my hotel and move my flight "
     "home to Thursday? I'll put the extra nights on my corporate card as usual."),
    ("Landed in Nairobi and nobody from the car service showed up, it's getting late. Is there "
     "an approved taxi company I can use?"),
    ("I have a wedding in Italy the weekend after my Milan meetings. Can I fly home from Rome "
     "on Monday instead, and will the company still cover the return?"),
    ("just got an email that my hotel in Seoul was cancelled by the agency, no reason given. i "
     "arrive tomorrow morning, please help"),
    ("The hotel in Bangalore has no hot water and the wifi is dead, and I've got calls all "
     "evening. Can you move me to another hotel tonight?"),
    ("I'm 6'5 and eleven hours in economy to Singapore is brutal. Any way to get premium "
     "economy approved on medical grounds?"),
    ("There are protests near our hotel in Santiago and the embassy just sent a warning. Should "
     "we move hotels or fly out early?"),
    ("Our board is meeting in Edinburgh in June and I'm organising it. Can the travel desk "
     "handle flights and rooms for 12 directors coming from 4 countries?"),
    ("The airline strike left me stranded and the agency line was closed at 2am, so I bought a "
     "new ticket myself. How do I get that refunded, and should I have done anything different?"),
    ("My trip to Lagos needs a yellow fever certificate and I don't have one. Where can I get "
     "it quickly, and is it covered?"),
    ("I'm doing a 3 week rotation in the Manila office. Is there a weekly allowance instead of "
     "the daily per diem, and can I get a serviced apartment?"),
    ("The client wants me back Monday and my flight home is Friday. Staying the weekend is "
     "cheaper than flying back and forth, so is the hotel covered for Sat and Sun?"),
    ("drove the hire car from Lyon to Geneva and only now noticed the cross-border fee. was "
     "that allowed? not sure how to claim it"),
    ("Train strike in France on the 14th. I'm on the Eurostar to Paris then a TGV to Bordeaux, "
     "should I rebook now or wait and see?"),
    ("I left my passport in the hotel safe in Prague and I'm already at the airport, flight "
     "leaves in 2 hours. What do I do??"),
    ("Bit of an unusual one: I travel with a service dog. Which of our airlines take her in the "
     "cabin, and can you add it to the booking?"),
    ("We're visiting three customers in Ohio next week, two nights in each town. Can you put "
     "together the whole itinerary with hotels and a car?"),
    ("My mum is joining me at the end of my Cape Town trip for a holiday. Can I push my return "
     "date and pay the fare difference myself?"),
]
