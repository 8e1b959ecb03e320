"""More examples of the People Team's area (bots/people.py), for the router: messages
written the way employees write on Slack (context before the request, typos,
several sentences, another desk's words in passing) whose request is still this
desk's. bots/people_phrases.py adds them to its EXAMPLES; they live here to keep that
module short."""

SLACK_MESSAGES: list[str] = [
    # short and casual
    "payslip not in workday yet??",
    "is easter monday a bank holiday for us",
    "how does the 401k vesting work",
    "need a copy of my contract pls",
    "whats the overtime rate on sundays",
    "can i buy extra holiday days",
    "who approves my leave now my manager left",
    "pension opt out form?",
    "do we get a christmas bonus this year",
    "can i sell back unused vacation",
    "health insurance card never arrived",
    "is the 13th month salary paid in june",
    "P11D for my company car, where?",
    "salary sacrifice into pension, how?",
    "mat leave keep in touch days??",
    "notice period during probabtion?",
    "dental reimbursment form where",
    "time in lieu for weekend work?",
    "bereavement leave for an aunt?",
    "is the referal bonus taxed",
    # one sentence
    ("Can someone explain why my pension contribution dropped from 5% to 3% on this month's "
     "payslip?"),
    ("i got a letter from the tax office saying i underpaid last year, can payroll check how my "
     "deductions were worked out"),
    "What happens to my health cover if I take two months of unpaid leave?",
    "Does travel time to a client site count as working hours or do I have to make them up?",
    "how many hours a week am i actually contracted for, my offer letter doesnt say",
    "Could someone send me the signed contract amendment from when I moved to the data team?",
    ("I have IVF appointments coming up, is there leave for fertility treatment or do I have to "
     "use sick days?"),
    ("my manager wants me on the night shift from next month, is there a shift premium and can "
     "I refuse?"),
    "Does the company match donations I make through payroll giving?",
    ("I'm relocating from Dublin to the Toronto office in March, who sorts out the moving "
     "allowance and temporary housing?"),
    "whats the process for a career break, can i come back to the same job after a year",
    "My offer said the sign-on bonus comes with my first salary but it's nowhere on my payslip.",
    "Is there any support for staff going through menopause, like flexible hours or time off?",
    "does the holiday year reset in january or april, trying to plan my leave",
    "My 360 feedback form closes tomorrow and I still can't see which peers I'm meant to review.",
    "how does severance work if my role is made redundant in the restructure",
    "do interns get paid holidays or is that only for permanent staff",
    "Is the gym reimbursement paid through payroll, and is it taxed as a benefit?",
    "I'm a contractor converting to permanent, does my benefits start date reset?",
    "Where can I read the whistleblowing policy before I decide whether to raise something?",
    # two or three sentences, context first
    ("I'm flying back to Brazil for good after my last day on the 30th. Will my final payslip "
     "and P45 be emailed, or posted to my old address here?"),
    ("landed in Lisbon last night for the offsite and just saw payroll ran today. my salary is "
     "like 300 short, no idea why. who do I talk to?"),
    ("hi quick one. my son starts school in september and i'd like to switch to 9:30-5:30 so i "
     "can do drop off. is that a formal flexible working request or just a chat with my "
     "manager?"),
    ("My corporate card issue got sorted, thanks! While I'm here though: the car allowance has "
     "vanished from my payslip since March, can someone check?"),
    ("My partner is having a big operation next month and will need looking after for a couple "
     "of weeks. What kind of leave can I use beyond normal vacation?"),
    ("We want to hire two engineers in Portugal but we don't have an entity there. How does HR "
     "handle contracts for people in countries where we aren't registered?"),
    ("Got promoted in December (yay) but the new salary still isn't on my January payslip. Is "
     "it backdated or did something get missed?"),
    ("Just back from 6 months of parental leave and my vacation balance looks way too low. Do "
     "holiday days keep accruing while you're on leave?"),
    ("I'm on a work permit tied to this job and want to move to another team internally. Does "
     "switching roles affect my visa sponsorship?"),
    ("I've already booked flights for my sister's wedding in Kerala, 3 weeks in December. My "
     "manager is fine with it but Workday won't let me go negative, can I take some of it "
     "unpaid?"),
    ("After my trip to the Singapore office my expenses were reimbursed fine, but they showed "
     "up on my payslip as taxable income. Is that right??"),
    ("Our new hire starts on the 1st. Her laptop is sorted with IT, my question is whether her "
     "contract has gone out, she hasn't received anything."),
    ("I've been on 4 days a week since last month. How is my holiday allowance prorated now, "
     "and does it change my pension contributions?"),
    ("i've been asked to be a witness in an internal investigation about a colleague. can i "
     "bring someone to the interview and is it confidential?"),
    ("We moved to Spain from the UK in the summer and I'm still on UK payroll. Do I need a "
     "Spanish contract, and who sorts out social security?"),
    ("Friday is my last day and I still have 6 days of holiday left. Will they be paid out or "
     "should I take them before I go?"),
    ("My manager keeps asking me to work weekends without logging it. What's the policy on "
     "maximum working hours, and who can I talk to?"),
    ("Hello! Got my first payslip and there's a deduction called NI and another called EE "
     "pension. What are they, and can I change the pension one?"),
    ("I'm doing two weeks of army reserve training in July. Is that paid leave or do I have to "
     "use my vacation days?"),
    ("My salary review letter says 4% but in our 1:1 my manager said 6%. Which one is right, "
     "and who do I ask?"),
]
