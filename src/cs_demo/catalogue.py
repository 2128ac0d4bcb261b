"""Plain data the demo draws from: people, places, industries, products, texts.

Regions carry their currency (three in all), so amounts and the renewal metrics
come out per currency as they would for a company selling in China, the US and
Europe. Texts are short and business-like; the seeds' Chinese terms appear where
the seeds name a document (客户交接表, 培训回访).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Region:
    name: str
    currency: str
    cities: tuple[str, ...]
    # Amounts are drawn in USD and converted with this (rounded) rate.
    rate: Decimal
    chinese_names: bool
    weight: int


REGIONS: tuple[Region, ...] = (
    Region("East China", "CNY", ("Shanghai", "Hangzhou", "Suzhou", "Nanjing", "Ningbo"),
           Decimal(7), True, 30),
    Region("North China", "CNY", ("Beijing", "Tianjin", "Qingdao", "Jinan"), Decimal(7), True, 15),
    Region("South China", "CNY", ("Shenzhen", "Guangzhou", "Xiamen", "Foshan"), Decimal(7), True, 15),
    Region("North America", "USD", ("Boston", "Austin", "Denver", "Toronto", "Seattle"),
           Decimal(1), False, 20),
    Region("Europe", "EUR", ("Berlin", "Lyon", "Rotterdam", "Milan", "Vienna"),
           Decimal("0.92"), False, 20),
)

INDUSTRIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dental clinics", ("Dental Clinic", "Dental Group", "Smile Centre")),
    ("healthcare", ("Medical Centre", "Health Partners", "Care Clinics")),
    ("retail", ("Retail", "Stores", "Outfitters")),
    ("manufacturing", ("Precision", "Manufacturing", "Industries")),
    ("logistics", ("Logistics", "Freight", "Supply Chain")),
    ("education", ("Academy", "Learning", "Schools")),
    ("financial services", ("Capital", "Finance", "Accounting")),
    ("hospitality", ("Hotels", "Hospitality", "Restaurants")),
    ("software", ("Software", "Digital", "Labs")),
)

NAME_WORDS: tuple[str, ...] = (
    "Lotus", "Evergreen", "Harbor", "Summit", "Bright", "Jade", "Pioneer", "Silverline", "Oak",
    "Crescent", "Golden Gate", "Riverside", "Maple", "Orchid", "Northstar", "Bluewater", "Cedar",
    "Phoenix", "Lighthouse", "Meridian", "Sunrise", "Granite", "Willow", "Bamboo", "Aurora",
    "Keystone", "Vista", "Horizon", "Unity", "Pearl", "Redwood", "Clearview", "Ascent", "Nova",
    "Heritage", "Prime", "Zenith", "Atlas", "Beacon", "Cobalt",
)

CHINESE_SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu",
                    "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Gao")
CHINESE_GIVEN = ("Wei", "Fang", "Na", "Min", "Jing", "Lei", "Jun", "Yan", "Tao", "Hui", "Qiang",
                 "Xiu Ying", "Ming", "Li", "Hao", "Yu", "Jie", "Ping", "Ying", "Bo")
WESTERN_FIRST = ("Anna", "James", "Maria", "David", "Sophie", "Lukas", "Emma", "Noah", "Laura",
                 "Daniel", "Julia", "Marco", "Sarah", "Thomas", "Elena", "Peter", "Clara", "Ben",
                 "Nina", "Oliver")
WESTERN_LAST = ("Miller", "Schmidt", "Rossi", "Martin", "Johnson", "Weber", "Dubois", "Brown",
                "Jansen", "Fischer", "Garcia", "Moore", "Bauer", "Taylor", "Meyer", "Lopez",
                "Wagner", "Clark", "Hoffmann", "Laurent")

CONTACT_ROLES_L1 = ("CEO", "Clinic director", "Head of operations", "COO", "General manager")
CONTACT_ROLES_L2 = ("IT lead", "Office manager", "Head of finance", "Team lead",
                    "Front-desk supervisor", "Project coordinator")

# Seed 001: the customer's expectations agreed at handover (客户预期).
EXPECTATIONS = (
    "All front-desk staff work in the product within 30 days",
    "Monthly reconciliation automated within 60 days",
    "Appointment no-shows reduced by 20 % within two quarters",
    "One consolidated report for the management meeting every month",
    "Data migrated from the old system without loss",
    "Support answers within one business day",
    "Quarterly business reviews with the account team",
)

HANDOVER_SUMMARIES = (
    "Signed after a three-month evaluation; decision driven by the operations lead.",
    "Replaces a legacy on-premise system; migration is the main concern.",
    "Expansion from a pilot team; management wants company-wide adoption this year.",
    "Price-sensitive buyer; value must be visible in the first quarter.",
    "Referred by an existing customer; expects a fast start.",
)


@dataclass(frozen=True)
class Product:
    name: str
    core_features: int
    features: int


CORE_PRODUCT = Product("Core platform", 12, 40)
ADD_ONS: tuple[Product, ...] = (Product("Analytics add-on", 6, 15),
                               Product("Integration hub", 4, 10))

# Seed 001: churn reason categories (the Contract's ChurnReason values) with a story each.
CHURN_STORIES: dict[str, tuple[int, tuple[str, ...]]] = {
    "competitor": (25, ("Moved to a cheaper local competitor.",
                        "Group headquarters standardised on a competitor's suite.")),
    "value_not_realised": (30, ("Adoption never went beyond the pilot team.",
                                "Could not show the promised time savings to management.")),
    "business_closed": (10, ("The business closed two of three sites and stopped the service.",
                             "Company was acquired and merged into the buyer's systems.")),
    "price": (20, ("Budget cut; the renewal price was not approved.",
                   "Asked for a 40 % discount we could not give.")),
    "service": (10, ("Unhappy with response times during the busy season.",
                     "Implementation dragged on and trust was lost.")),
    "other": (5, ("Decision maker left; the new one brought their own tools.",)),
}

TOUCHPOINT_NOTES: dict[str, tuple[str, ...]] = {
    "check_in": ("Kick-off call: goals, contacts and the onboarding timeline agreed.",
                 "Routine check-in: no blockers, usage steady.",
                 "Check-in after the renewal window opened: budget owner confirmed."),
    "call": ("Renewal call with the decision maker.",
             "Escalation call about open support tickets.",
             "Call to discuss the usage drop of the last weeks."),
    "onsite_visit": ("Onsite visit (出差上门): workflow review with the team.",
                     "Onsite visit: trained new staff and met the management."),
    "training": ("Admin and front-desk training (first training).",
                 "Second training on reports and automation."),
    "qbr": ("Quarterly business review: value delivered against goals, next quarter's plan.",
            "QBR: adoption figures reviewed, expansion discussed."),
    "weekly_report": ("Weekly follow-up: reached the IT lead, usage recovery plan agreed.",
                      "Weekly follow-up: no answer from the decision maker yet.",
                      "Weekly follow-up: training refresher booked."),
}

FOLLOW_UP_OUTCOMES = (
    "Trained users work on their own; two asked for a reporting session.",
    "Most users active; the night shift still needs a short refresher.",
    "Users confident with daily workflows.",
)

INTENT_NOTES = {
    "high": "Decision maker confirmed the budget for next year.",
    "medium": "Positive, but the budget is decided next quarter.",
    "low": "Usage dropped and the champion left; renewal at risk.",
}

# Risks (seed 000): category → (severity weights low/medium/high/critical, titles).
RISK_STORIES: dict[str, tuple[str, ...]] = {
    "adoption": ("Usage dropped sharply over the last two weeks",
                 "No activity since the last training",
                 "Only the pilot team uses the product"),
    "relationship": ("Champion left the company", "Decision maker unresponsive for a month"),
    "product": ("Reporting module does not cover the customer's month-end close",
                "Performance complaints from the largest site"),
    "delivery": ("Data migration behind schedule", "Go-live date slipped twice"),
    "commercial": ("Budget for next year not approved", "Asked for a steep discount at renewal"),
    "competitor": ("Competitor running a trial at two sites",),
    "other": ("Reorganisation at the customer; priorities unclear",),
}
RISK_STRATEGIES = (
    "Re-engage the decision maker with a value review; support fixes the open tickets first.",
    "Run a targeted retraining for the affected team and track weekly usage for a month.",
    "Escalate the blocking issue to product and agree an interim workaround with the customer.",
    "Prepare a renewal offer tied to measurable goals; CSM and manager meet the sponsor.",
)
RISK_TODOS = ("Call the decision maker", "Fix the open support tickets",
              "Hold a refresher training", "Send the usage review", "Agree a recovery plan",
              "Meet the new champion")
RISK_RESOLUTIONS = ("Usage back to its level for three weeks; risk closed (销项).",
                    "Sponsor confirmed the budget after the value review.",
                    "Workaround accepted; the fix ships in the next release.",
                    "New champion onboarded and trained.")

# Requirements (seed 001): (summary, category).
REQUIREMENT_STORIES: tuple[tuple[str, str], ...] = (
    ("Export appointments to the accounting system", "integration"),
    ("Custom fields on the patient record", "feature"),
    ("Faster month-end report", "improvement"),
    ("Bulk import of last year's invoices", "data"),
    ("Reminder SMS in the customer's own template", "feature"),
    ("Dashboard totals differ from the export", "bug"),
    ("Extra onsite training for new staff", "service"),
    ("Single sign-on with the corporate directory", "integration"),
)
RELEASES = ("2025.4", "2026.1", "2026.2", "2026.3", "2026.4", "2027.1")

# Complaints (seed 001): (summary, review category, root cause, improvement).
COMPLAINT_STORIES: tuple[tuple[str, str, str, str], ...] = (
    ("System slow every morning at opening time", "performance",
     "Nightly job overran into business hours", "Moved the job and added an alert"),
    ("Support did not call back as promised", "response_time",
     "Ticket was not handed over between shifts", "Hand-over checklist for open callbacks"),
    ("Invoice charged seats that were removed", "billing",
     "Seat change not synced to billing", "Seat changes now update billing the same day"),
    ("Report shows wrong totals after the update", "product_defect",
     "Rounding regression in the release", "Regression test added for the report totals"),
    ("Trainer arrived late and unprepared", "service_attitude",
     "Schedule change not communicated", "Confirm trainings with the trainer the day before"),
)
