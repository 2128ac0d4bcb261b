"""Who each demo customer is and how its story goes, drawn from its own seeded RNG.

Each customer has its own ``random.Random`` seeded with (seed, index), so one
customer's draws never shift another's. Most customers are drawn at random with
realistic rates; one slot in every block of twenty is a *showcase* scenario, so
that even a tiny demo (a dozen customers) holds what the views and playbooks
need: a renewal due soon with low intent, an early renewal, a churn with its
reason, declining and silent usage, a signed customer not yet live, a customer in
onboarding, a win-back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from cs_demo.catalogue import ADD_ONS, INDUSTRIES, NAME_WORDS, REGIONS, Product, Region
from cs_domain.rules import add_months

SHOWCASES: tuple[str, ...] = (
    "due_soon_low_intent", "early_renewal", "churned", "silent", "declining", "signed_not_live",
    "onboarding", "win_back", "due_soon_high_intent",
)
BLOCK = 20

TIER_WEIGHTS = (("strategic", 10), ("growth", 35), ("basic", 55))
GRADES = {"strategic": ("A", "B"), "growth": ("B", "C"), "basic": ("C", "D")}
# Annual list price in USD by tier (low, high).
PRICE_USD = {"strategic": (90_000, 300_000), "growth": (24_000, 90_000), "basic": (4_000, 24_000)}


@dataclass(frozen=True)
class Traits:
    index: int
    scenario: str  # a showcase name, or "random"
    name: str
    tier: str
    size_grade: str
    industry: str
    region: Region
    city: str
    first_start: date
    annual_usd: int
    # The customer's current usage pattern: healthy | steady | declining | silent.
    health: str
    add_on: Product | None
    csm: int  # index of the owning CSM
    support: int  # index of the support manager


def weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in pairs], weights=[w for _, w in pairs])[0]


def scenario_of(index: int) -> str:
    slot = index % BLOCK
    return SHOWCASES[slot] if slot < len(SHOWCASES) else "random"


def start_for_end_in(today: date, days: int, years: int) -> date:
    """A first start date whose `years`-th annual term ends `days` after today."""
    return add_months(today + timedelta(days=days + 1), -12 * years)


def first_start_for(rng: random.Random, scenario: str, today: date) -> date:
    if scenario in ("due_soon_low_intent", "due_soon_high_intent"):
        return start_for_end_in(today, rng.randint(15, 80), rng.randint(1, 3))
    if scenario == "early_renewal":
        return start_for_end_in(today, rng.randint(20, 75), rng.randint(1, 3))
    if scenario == "signed_not_live":
        return today + timedelta(days=rng.randint(5, 40))
    if scenario == "onboarding":
        return today - timedelta(days=rng.randint(10, 80))
    if scenario == "churned":
        return today - timedelta(days=rng.randint(400, 1300))
    if scenario == "win_back":
        return today - timedelta(days=rng.randint(700, 880))
    # Start dates spread over the last four years, a few still ahead.
    return today - timedelta(days=rng.randint(-30, 4 * 365))


def health_for(rng: random.Random, scenario: str) -> str:
    if scenario in ("silent", "declining"):
        return scenario
    if scenario == "due_soon_low_intent":
        return "declining"
    return weighted(rng, (("healthy", 62), ("steady", 26), ("declining", 7), ("silent", 5)))


def draw_traits(index: int, seed: int, today: date, csms: int, supports: int,
                used_names: set[str]) -> tuple[Traits, random.Random]:
    rng = random.Random(f"cs-ledger-demo:{seed}:{index}")
    scenario = scenario_of(index)
    tier = weighted(rng, TIER_WEIGHTS)
    region = rng.choices(REGIONS, weights=[r.weight for r in REGIONS])[0]
    city = rng.choice(region.cities)
    industry, nouns = rng.choice(INDUSTRIES)
    name = f"{city} {rng.choice(NAME_WORDS)} {rng.choice(nouns)}"
    suffix = 2
    base = name
    while name in used_names:  # names stay unique, so search by name finds one customer
        name = f"{base} {suffix}"
        suffix += 1
    used_names.add(name)
    low, high = PRICE_USD[tier]
    traits = Traits(
        index=index, scenario=scenario, name=name, tier=tier,
        size_grade=rng.choice(GRADES[tier]), industry=industry, region=region, city=city,
        first_start=first_start_for(rng, scenario, today),
        annual_usd=rng.randint(low, high), health=health_for(rng, scenario),
        add_on=rng.choice(ADD_ONS) if tier != "basic" and rng.random() < 0.5 else None,
        csm=index % csms, support=index % supports,
    )
    return traits, rng


def money(usd: int | float, region: Region) -> Decimal:
    """An amount in the region's currency, rounded to whole hundreds."""
    local = Decimal(int(usd)) * region.rate
    return (local / 100).quantize(Decimal(1)) * 100
