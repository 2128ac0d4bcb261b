"""Seed 001's growth practices in a story: activities run with the customer (§二.4),
benchmark cases (§二.6) and referrals (§二.7), scheduled from the first term's activation.

They draw from their own random stream (seeded by the demo seed and the customer), so
adding them leaves every other record of the demo as it was: the story's and the usage
reports' draws are unchanged.
"""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from cs_demo.context import DemoContext, StoryBase
from cs_demo.traits import Traits
from cs_domain.activity import Activity, ActivityStatus
from cs_domain.benchmark import BenchmarkCase, BenchmarkStage
from cs_domain.referral import Referral, ReferralStatus

ACTIVITIES = {
    "influence": ("Open day with free check-ups", "Points for reviews on the clinic's page",
                  "Community talk on children's dental care"),
    "revenue": ("Spring whitening week", "Members' cleaning package", "Implant consultation "
                                                                      "month"),
}
PROSPECTS = ("Bright Smile Clinic", "Pearl Dental", "Green Leaf Clinic", "Harmony Dental",
             "Sunrise Stomatology")
ACTIVITY, REFERRAL = "activity", "referral"


class GrowthStory(StoryBase):
    def __init__(self, ctx: DemoContext, traits: Traits, rng: random.Random):
        super().__init__(ctx, traits, rng)
        self.growth_rng = random.Random(f"{ctx.seed}:growth:{traits.index}")
        self._growth_serial = itertools.count(1)

    def _growth_id(self, kind: str) -> UUID:
        return self.ctx.ids.of(kind, self.t.index, "growth", next(self._growth_serial))

    def _later(self, day: date, low: int, high: int) -> date:
        return day + timedelta(days=self.growth_rng.randint(low, high))

    def plan_growth(self, activated_on: date) -> None:
        """From the first activation: an activity by month 5-8 (the month-9 milestone),
        a benchmark case for healthy strategic customers, a referral from some others."""
        if self.t.tier == "basic":
            return
        # Records are kept from the team's start on: a customer live before it runs its
        # activities from then.
        start = max(activated_on, self.ctx.records_since - timedelta(days=120))
        self.agenda.at(self._later(start, 150, 240), self.plan_activity)
        if self.t.tier == "strategic" and self.t.health == "healthy":
            self.agenda.at(self._later(start, 200, 280), self.nominate_case)
        if self.t.health in ("healthy", "steady") and self.growth_rng.random() < 0.4:
            self.agenda.at(self._later(start, 120, 330), self.introduce_referral)

    # --- activities ----------------------------------------------------------------
    def plan_activity(self, day: date) -> None:
        if not self.is_live:
            return
        kind = "revenue" if self.t.tier == "strategic" else "influence"
        activity = Activity.plan(actor=self.actor, customer_id=self.customer_id, kind=kind,
                                 title=self.growth_rng.choice(ACTIVITIES[kind]), on=day,
                                 goal="Run it with the clinic's front desk on the system",
                                 activity_id=self._growth_id(ACTIVITY))
        self.keep(activity)
        if self.growth_rng.random() < 0.1:
            self.agenda.at(self._later(day, 3, 10), self.cancel_activity, activity)
            return
        prepared = self._later(day, 5, 10)
        launched = self._later(prepared, 7, 14)
        reviewed = self._later(launched, 7, 10)
        self.agenda.at(prepared, self.step_activity, activity, "prepare")
        self.agenda.at(launched, self.step_activity, activity, "launch")
        self.agenda.at(reviewed, self.review_activity, activity)
        if self.growth_rng.random() < 0.7:
            self.agenda.at(self._later(reviewed, 2, 5), self.step_activity, activity, "improve")

    def step_activity(self, day: date, activity: Activity, step: str) -> None:
        if step == "prepare" and activity.status == ActivityStatus.PLANNED:
            activity.prepare(actor=self.actor, on=day, note="Posters and the offer set up")
        elif step == "launch" and activity.status == ActivityStatus.PREPARED:
            activity.launch(actor=self.actor, on=day)
        elif step == "improve" and activity.status == ActivityStatus.REVIEWED:
            activity.improve(actor=self.actor, on=day,
                             improvement="Announce it a week earlier on WeChat")

    def review_activity(self, day: date, activity: Activity) -> None:
        if activity.status != ActivityStatus.LAUNCHED:
            return
        participants = self.growth_rng.randint(30, 300)
        revenue = (Decimal(participants * self.growth_rng.randint(80, 200)).quantize(
            Decimal("0.01")) if activity.kind == "revenue" else None)
        activity.review(actor=self.actor, participants=participants, revenue=revenue,
                        currency="CNY" if revenue is not None else None, on=day,
                        note="Most sign-ups came through the WeChat post")

    def cancel_activity(self, day: date, activity: Activity) -> None:
        if activity.status == ActivityStatus.PLANNED:
            activity.cancel(actor=self.actor, on=day, reason="The clinic postponed it")

    # --- benchmark cases -------------------------------------------------------------
    def nominate_case(self, day: date) -> None:
        if not self.is_live:
            return
        case = BenchmarkCase.nominate(actor=self.actor, customer_id=self.customer_id,
                                      title=f"{self.t.name}: one system for every clinic",
                                      on=day)
        self.keep(case)
        case.record_recognition(actor=self.actor, industry_known=True, on=day,
                                note="Board member of the city dental association")
        self.agenda.at(self._later(day, 20, 40), self.measure_case, case)
        self.agenda.at(self._later(day, 45, 70), self.advance_case, case, "build")
        self.agenda.at(self._later(day, 100, 140), self.advance_case, case, "replicate")

    def measure_case(self, day: date, case: BenchmarkCase) -> None:
        if case.stage != BenchmarkStage.DROPPED:
            case.record_outcome(actor=self.actor, measured_on=day,
                                cost_down_pct=Decimal(self.growth_rng.randint(50, 250)) / 10,
                                growth_pct=Decimal(self.growth_rng.randint(10, 40)),
                                note="Front-desk hours and revenue, year on year")

    def advance_case(self, day: date, case: BenchmarkCase, step: str) -> None:
        if case.stage == {"build": BenchmarkStage.CANDIDATE,
                          "replicate": BenchmarkStage.BUILT}[step]:
            case.advance(actor=self.actor, step=step, on=max(day, case.last_step_on),
                         note="Case write-up shared with marketing" if step == "build"
                         else "Shown to three prospects by sales")

    # --- referrals -------------------------------------------------------------------
    def introduce_referral(self, day: date) -> None:
        if not self.is_live:
            return
        referral = Referral.introduce(
            actor=self.actor, customer_id=self.customer_id, credited_owner_id=self.owner.id,
            prospect_name=self.growth_rng.choice(PROSPECTS), incentive_policy="Referral bonus",
            incentive_amount=Decimal("2000.00"), incentive_currency="CNY", on=day,
            referral_id=self._growth_id(REFERRAL))
        self.keep(referral)
        contacted = self._later(day, 3, 10)
        proposed = self._later(contacted, 10, 20)
        self.agenda.at(contacted, self.step_referral, referral, "contact")
        self.agenda.at(proposed, self.step_referral, referral, "propose")
        self.agenda.at(self._later(proposed, 10, 30), self.close_referral, referral,
                       self.growth_rng.random() < 0.6)

    def step_referral(self, day: date, referral: Referral, step: str) -> None:
        if step == "contact" and referral.status == ReferralStatus.INTRODUCED:
            referral.contact(actor=self.actor, on=day)
        elif step == "propose" and referral.status == ReferralStatus.CONTACTED:
            referral.propose(actor=self.actor, on=day)

    def close_referral(self, day: date, referral: Referral, won: bool) -> None:
        if referral.status != ReferralStatus.PROPOSAL:
            return
        if won:
            referral.win(actor=self.actor, on=day, deal_amount=Decimal("36000.00"),
                         currency="CNY")
        else:
            referral.lose(actor=self.actor, on=day, reason="Chose a cheaper local system")
