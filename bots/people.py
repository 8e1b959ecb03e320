"""People Team: time off, pay and payslips, tax forms, benefits, leave, personal details,
remote work, reviews, training and leaving the company.

Its intents' phrases and the examples of its wider area are in bots/people_phrases.py.

Reads the "trip" namespace that the Travel Desk writes: a visa question handed over
by Travel arrives with the destination already known.
"""

from adapter import Persona, Turn

from .people_phrases import EXAMPLES, hr, people_domain
from .specialists import ASK_FOR_A_PERSON, specialists

people = Persona(
    "people", skill="hr", display_name="People Team", icon=":palm_tree:",
    domains=[hr, people_domain],
    description="time off, pay and payslips, tax forms, benefits, leave, your details, remote "
                "work, reviews, training, leaving",
    examples=EXAMPLES,
    namespaces={"trip": 7 * 24 * 3600},  # written by the Travel Desk; same TTL there
)


@people.dialog(pattern=ASK_FOR_A_PERSON)
async def person(turn: Turn) -> None:
    await turn.transfer(specialists.skills[0], message=turn.text,
                        notice="Sure, I'll ask one of our HR specialists to join you here.",
                        note="Asked the People Team for a person.")


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


@people.dialog(intent="people.payslip")
async def payslip(turn: Turn) -> None:
    await turn.say("Your payslips are in Workday under Pay > Payslips, as PDFs going back 7 "
                   "years; each month's appears 3 working days before payday. Need a stamped "
                   "copy for a bank or landlord? Email payroll@example.com.")


@people.dialog(intent="people.tax_forms")
async def tax_forms(turn: Turn) -> None:
    await turn.say("Year-end tax forms (W-2 in the US, P60 in the UK) are in Workday under Pay > "
                   "Tax Documents by January 31 (UK: May 31). To change what's withheld, update "
                   "your tax elections there (W-4 in the US) and it applies from the next "
                   "payroll; UK tax codes come from HMRC, so tell them if yours looks wrong.")


@people.dialog(intent="people.pay_issue")
async def pay_issue(turn: Turn) -> None:
    await turn.say("Sorry about that! Report it in Workday (Pay > Report a pay issue) or email "
                   "payroll@example.com with the month and what's wrong; we fix errors within 5 "
                   "working days, with an off-cycle payment if you're more than $200 short. "
                   "Overtime approved by the 15th is paid that month, later approvals the next.")


@people.dialog(intent="people.update_details")
async def update_details(turn: Turn) -> None:
    await turn.say("Update your address, phone, emergency contacts and bank account yourself in "
                   "Workday (Personal > Contact, Pay > Payment Elections); a bank change made by "
                   "the 15th applies to this month's salary. For a legal name change, upload the "
                   "certificate there and we'll update your email and badge within 5 working days.")


@people.dialog(intent="people.remote_work")
async def remote_work(turn: Turn) -> None:
    await turn.say("We're hybrid: 2 days a week in the office (Tuesday plus one your team picks), "
                   "the rest from home if your role allows. Working from another country is fine "
                   "for up to 20 working days a year with your manager's OK and a request in "
                   "Workday, and home-office equipment is covered up to $500 once.")


@people.dialog(intent="people.performance_review")
async def performance_review(turn: Turn) -> None:
    await turn.say("Reviews run twice a year, in June and December: a self-review in Workday, "
                   "then a conversation with your manager. Promotions and raises are decided in "
                   "the December round and start on January 1; the career framework at "
                   "people.example.com/careers says what each level expects.")


@people.dialog(intent="people.learning_budget")
async def learning_budget(turn: Turn) -> None:
    await turn.say("Everyone has $1,500 a year for courses, certifications, books and conference "
                   "tickets, plus 3 paid learning days. Agree it with your manager, then pay with "
                   "your corporate card or claim it in Expenses; free courses are on "
                   "learn.example.com.")


@people.dialog(intent="people.resignation")
async def resignation(turn: Turn) -> None:
    await turn.say("Sorry to see you go! Tell your manager, then resign in Workday (Me > Resign) "
                   "with your last day; the notice period is in your contract, usually 1 month (3 "
                   "for managers). We'll book an exit interview, and your final pay includes any "
                   "unused vacation days.")



@people.dialog(intent="people.special_leave")
async def special_leave(turn: Turn) -> None:
    await turn.say("On top of your vacation, we give paid special leave: up to 5 days of "
                   "bereavement leave for close family (2 for others), jury service at full pay, "
                   "up to 3 days for a family emergency and 1 day when you move house. Tell your "
                   "manager and log it in Workday (Time Off > Special leave).")

@people.welcome
async def welcome(turn: Turn) -> None:
    await turn.say("Hi, People Team here. Ask me about time off, sick days, pay and payslips, "
                   "tax forms, benefits, parental and special leave, letters, your personal "
                   "details, remote work, reviews, training or leaving.")


@people.fallback
async def unsure(turn: Turn) -> None:
    await turn.say("That one needs a person: the People handbook (people.example.com/handbook) "
                   "has every policy, or email people@example.com and the People Team replies "
                   "within 1 working day. Right away, I can answer questions on time off, sick "
                   "days, pay, payslips, tax forms, benefits, parental and special leave, "
                   "letters, your details, remote work, reviews, training and leaving.")
