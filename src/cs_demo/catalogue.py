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
