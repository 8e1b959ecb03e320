"""People Team: time off, sick days, pay, benefits, parental leave and employment letters.

Reads the "trip" namespace that the Travel Desk writes: a visa question handed over
by Travel arrives with the destination already known.
"""

from adapter import Domain, Persona, Turn

hr = Domain("hr", {
    "pto_balance": [
        "how many vacation days do I have left", "what is my pto balance",
        "how much time off do I have", "how many days off are left this year",
        "check my leave balance", "do I have any holiday days remaining",
        "how much annual leave have I got", "show me my remaining vacation",
        "did my unused days carry over from last year", "am I running low on vacation days",
        "what's my current time off allowance", "how many hours of pto have I accrued",
        "vacation balance please", "how many PTO days are still available to me",
        "what's left of my holiday entitlement", "tell me my leave balance",
        "how many days of annual leave remain", "how much vacation have I used so far",
        "do I still have vacation days to use before year end",
        "how many holidays have I got left to take",
    ],
    "request_time_off": [
        "I want to book some time off", "how do I request vacation",
        "I'd like to take next Friday off", "can I take two weeks off in August",
        "submit a leave request", "put in for a day off",
        "I need to request holidays for the summer", "how do I ask my manager for time off",
        "book annual leave from the 3rd to the 7th",
        "I'm planning a vacation, how do I get it approved", "request pto for Monday",
        "can I take a long weekend off", "I want to take a half day tomorrow afternoon",
        "I'd like to go on holiday in July, how do I book it", "time off request for my wedding",
        "please book me off work next Thursday", "how do I schedule leave in Workday",
        "I want some days off around Christmas", "how much notice do I need to give for leave",
        "apply for vacation days", "can I book Wednesday as a holiday",
        "I'd like to book some days of annual leave",
    ],
    "sick_day": [
        "I'm sick today", "I woke up with a fever and can't come in",
        "how do I report a sick day", "I need to call in sick",
        "feeling unwell, not working today", "what's the sick leave policy",
        "do I need a doctor's note for sick leave", "how many sick days do we get",
        "my kid is ill and I have to stay home", "I've got the flu",
        "who do I tell when I'm off sick", "I'm not well enough to work this morning",
        "I have a migraine and need to log off",
        "I'm ill and won't make it in", "I've got a bad cold so I'm staying home",
        "I was throwing up all night", "what do I do if I get sick",
        "I've tested positive for covid",
        "I'm too sick to come to the office", "going home early because I feel ill",
        "who do I need to inform when I'm unwell",
    ],
    "payday": [
        "when do we get paid", "when is payday", "what day is salary paid",
        "when will I receive my paycheck", "next pay date", "is salary paid monthly or biweekly",
        "when does my salary hit my account", "what date do wages go out this month",
        "has payroll run yet", "when's the next paycheck", "why hasn't my pay arrived yet",
        "do we get paid early before the holidays", "when is the salary transferred in december",
        "which day of the month do salaries arrive", "is payday this Friday",
        "what date will wages be paid", "when does payroll pay out",
        "how often do we get paid", "when will my salary be deposited",
        "when are wages paid", "when do I receive my wages",
    ],
    "benefits": [
        "what health insurance do we have", "tell me about our benefits",
        "how do I add my spouse to my medical plan", "does the company offer dental coverage",
        "what does our health plan cover", "when is open enrollment",
        "is there a gym membership benefit", "how does the pension plan work",
        "what's the company match on retirement contributions", "do we have life insurance",
        "are eye exams covered", "what wellness perks do employees get",
        "how do I enroll in the benefits program",
        "tell me about the retirement plan", "does our insurance cover physiotherapy",
        "what medical benefits do I get", "how do I add my children to health insurance",
        "what is the employer pension contribution", "is mental health support covered",
        "what perks does the company offer",
        "what does the dental insurance cover", "is orthodontics included in the dental plan",
        "how do I join the pension scheme", "sign me up for the benefits plan",
    ],
    "parental_leave": [
        "how much parental leave do we get", "I'm having a baby, what leave am I entitled to",
        "what is the maternity leave policy", "how long is paternity leave",
        "my partner is due in march, what leave do I get as a father",
        "what's the adoption leave policy", "is parental leave paid",
        "when should I tell HR I'm pregnant", "can I split my parental leave into two blocks",
        "how do I apply for maternity leave", "going back to work after having a baby",
        "what support is there for new parents", "how many weeks off does a new dad get",
        "how does maternity pay work", "we're expecting a baby in May",
        "my wife is pregnant, how much leave can I take", "what leave do I get when we adopt",
        "is there shared parental leave", "how much paid leave for a newborn",
        "can I work part time after my parental leave",
    ],
    "employment_letter": [
        "I need an employment verification letter", "can HR give me proof of employment",
        "my landlord wants a letter from my employer", "request a certificate of employment",
        "I need a letter confirming my salary for a mortgage",
        "how do I get an employment confirmation letter",
        "the bank is asking for proof that I work here",
        "can you write a letter stating my job title and start date",
        "I need a reference letter from the company", "get me a salary certificate",
        "official letter confirming I'm employed here",
        "letter of employment for an apartment application",
        "my embassy appointment needs a letter from my employer",
        "can I get a letter proving I work here",
        "please send me a letter confirming my employment",
        "the mortgage lender wants proof of my income from the company",
        "I need an employment certificate", "letter from HR with my salary details",
        "can you confirm my employment in writing for the bank",
        "how long does it take to get an employer letter",
    ],
})

people = Persona(
    "people", skill="hr", display_name="People Team", icon=":palm_tree:", domains=[hr],
    description="time off, sick days, pay, benefits, parental leave, employment letters",
    namespaces={"trip": 7 * 24 * 3600},  # written by the Travel Desk; same TTL there
)


@people.dialog(intent="hr.pto_balance")
async def pto_balance(turn: Turn) -> None:
    await turn.say("You have 12 vacation days left this year, and up to 5 unused days carry "
                   "over into next year.")


@people.dialog(intent="hr.request_time_off")
async def request_time_off(turn: Turn) -> None:
    await turn.say("Request time off in Workday (Time Off > Request). Your manager gets a "
                   "notification and usually answers within 2 working days; for a week or more, "
                   "please ask at least two weeks ahead.")


@people.dialog(intent="hr.sick_day")
async def sick_day(turn: Turn) -> None:
    await turn.say("Sorry you're unwell. Tell your manager before 10:00 and log the day in "
                   "Workday (Time Off > Sick). You have 10 paid sick days a year; from the 4th "
                   "day in a row we need a doctor's note. Get well soon!")


@people.dialog(intent="hr.payday")
async def payday(turn: Turn) -> None:
    await turn.say("Salaries are paid on the 25th of each month.")


@people.dialog(intent="hr.benefits")
async def benefits(turn: Turn) -> None:
    await turn.say("Everyone gets health, dental and vision cover from day one, a 5% pension "
                   "match and a $50 monthly wellness allowance. Change plans or add family in "
                   "the Benefits portal during open enrollment in November, or within 30 days "
                   "of a life event.")


@people.dialog(intent="hr.parental_leave")
async def parental_leave(turn: Turn) -> None:
    await turn.say("Congratulations! Birth and adoptive parents get 16 weeks of fully paid "
                   "parental leave, in up to two blocks within the child's first year. Tell "
                   "your manager and us at least 8 weeks before you want to start.")


@people.dialog(intent="hr.employment_letter")
async def employment_letter(turn: Turn) -> None:
    city = await turn.store.get("trip", "city")  # set by Travel when a visa brought you here
    purpose = f" for your visa application for {city}" if city else ""
    await turn.say(f"I've requested an employment letter{purpose}, confirming your job title, "
                   "start date and salary. It will be in your inbox as a signed PDF within "
                   "2 working days.")


@people.welcome
async def welcome(turn: Turn) -> None:
    await turn.say("Hi, People Team here. Ask me about time off, sick days, pay, benefits, "
                   "parental leave or employment letters.")


@people.fallback
async def unsure(turn: Turn) -> None:
    await turn.say("I can help with time off, sick days, pay, benefits, parental leave and "
                   "employment letters. Could you rephrase that?")
