"""HR specialists: people, not a bot. The Helpdesk and the People Team hand a thread to
them when someone asks for a person; the first specialist to click Claim on the card in
#hr-desk answers in the thread, and hands it back with "Back to bots" or
``/baton release [skill or domain.intent]``. Nobody claiming within 15 minutes, the People
Team answers again."""

from adapter import Hours, HumanTeam

specialists = HumanTeam(
    "hr_specialists", channel="C0HRDESK", display_name="HR specialists",
    icon=":busts_in_silhouette:", claim_timeout=15 * 60,
    description="a person from HR, for what the bots cannot settle",
    hours=Hours("00:00-24:00", days="mon-sun", tz="UTC"),  # the demo desk never closes
)

# How people ask for a person, to the Helpdesk or to the People Team.
ASK_FOR_A_PERSON = ["*(talk|speak|chat) (to|with) (a|an|some|a real) (person|human|someone)*",
                    "*(talk|speak) to (someone|somebody) (in|from) (hr|people)*",
                    "*(real|actual) (person|human)*"]
