"""One customer's history: registration, handover, annual contracts with renewals
(some early, some late, with expansions and contractions), churns with their
reasons, win-backs, lifecycle stages, and the delivery records around them.

The cross-aggregate steps the application's commands take are mirrored here:
activating a contract moves a signed or reactivated customer to onboarding, a
renewal moves a customer in the renewal stage to mature, a churn moves it to
churned, and every contract number is claimed in the ContractNumber index.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from cs_demo.catalogue import (
    CHURN_STORIES,
    CONTACT_ROLES_L1,
    CONTACT_ROLES_L2,
    EXPECTATIONS,
    HANDOVER_SUMMARIES,
    INTENT_NOTES,
)
from cs_demo.growth import GrowthStory
from cs_demo.people import DemoUser, person_name
from cs_demo.traits import BLOCK, money
from cs_demo.work import WorkStory
from cs_domain.contract import Contract, ContractNumber, ContractStatus
from cs_domain.customer import Customer, Stage
from cs_domain.rules import add_months

CHURN_RATE = {"strategic": 0.05, "growth": 0.09, "basic": 0.15}
INTENTS = {  # current renewal intent by usage pattern: (high, medium, low) weights
    "healthy": (65, 28, 7), "steady": (35, 45, 20), "declining": (10, 30, 60),
    "silent": (10, 30, 60),
}


def term_end(start: date) -> date:
    return add_months(start, 12) - timedelta(days=1)


class CustomerStory(WorkStory, GrowthStory):
    """Runs one customer's agenda up to today; ``items`` are the aggregates to save."""

    customer: Customer

    def write(self) -> None:
        # Every customer exists by today: one starting soon signed already.
        signed_on = min(self.t.first_start - self.days(7, 40), self.ctx.today)
        self.agenda.at(signed_on, self.register)
        self.plan_current_risk()
        self.agenda.run(self.ctx.today)
        if self.is_live and (self.t.health in ("declining", "silent")
                             or self.t.scenario == "due_soon_low_intent"):
            self.weekly_follow_ups()
        if self.is_live:
            self.milestone_task()

    def weekly_follow_ups(self) -> None:
        """Seed 003: the CSM reports weekly on an account at risk (the last three weeks)."""
        today = self.ctx.today
        monday = today - timedelta(days=today.weekday())
        for weeks_back in (3, 2, 1):
            week = monday - timedelta(weeks=weeks_back)
            if week >= self.live_from[-1]:
                self.touch(week + timedelta(days=4), "weekly_report", week_start=week)

    # --- the customer ----------------------------------------------------------
    def register(self, day: date) -> None:
        t = self.t
        team = self.ctx.team
        # A few customers came from a colleague: the manager moved them to today's owner.
        moved = max(day, self.ctx.records_since) + self.days(30, 200)
        final_owner = self.owner
        if len(team.csms) > 1 and self.chance(0.04) and moved <= self.ctx.today:
            self.owner = team.csms[(t.csm + 1) % len(team.csms)]
            self.actor = str(self.owner.id)
            self.agenda.at(moved, self.reassign, final_owner)
        first_owner = self.owner
        self.customer = Customer.register(
            actor=str(first_owner.id), name=t.name, tier=t.tier, owner_id=first_owner.id,
            industry=t.industry, region=t.region.name, size_grade=t.size_grade,
            support_manager_id=team.support[t.support].id, customer_id=self.customer_id,
        )
        self.keep(self.customer)
        chinese = t.region.chinese_names
        levels = [("1", CONTACT_ROLES_L1), ("2", CONTACT_ROLES_L2)]
        if t.tier == "strategic":
            levels.append(("1", CONTACT_ROLES_L2))
        for k, (level, roles) in enumerate(levels):
            name = person_name(t.index * 3 + k, chinese)
            self.customer.add_contact(
                actor=str(first_owner.id), name=name, role=self.rng.choice(roles), level=level,
                attitude=self.rng.choice(("champion", "supportive") if level == "1"
                                         else ("supportive", "neutral", "skeptical")),
                email=f"{name.lower().replace(' ', '.')}@example.com",
                contact_id=self.new_id("contact"),
            )
        if self.recorded(day):
            self.customer.record_handover(
                actor=str(first_owner.id), sales_rep=person_name(t.index + 11, chinese),
                handed_over_on=day, summary=self.rng.choice(HANDOVER_SUMMARIES),
                expectations=self.rng.sample(EXPECTATIONS, 2),
            )
        self.start_engagement(day, self.t.first_start)

    def reassign(self, day: date, owner: DemoUser) -> None:
        self.customer.assign_owner(actor=self.manager_actor, owner_id=owner.id)
        self.owner, self.actor = owner, str(owner.id)

    def move(self, day: date, stage: Stage, when: tuple[Stage, ...]) -> None:
        if self.customer.stage in when:
            self.customer.move_to(actor=self.actor, stage=stage.value, effective_on=day)

    # --- contracts ---------------------------------------------------------------
    def start_engagement(self, signed_on: date, start: date) -> None:
        self.engagements += 1
        number = f"CT-{start.year}-{self.t.index + 1:05d}"
        if self.engagements > 1:
            number += f"-W{self.engagements - 1}"
            self.move(signed_on, Stage.REACTIVATED, (Stage.CHURNED,))
        usd = self.t.annual_usd * (1.0 if self.engagements == 1 else self.rng.uniform(0.7, 1.0))
        contract = Contract.draft(
            actor=self.actor, customer_id=self.customer_id, number=number,
            amount=money(usd, self.t.region), currency=self.t.region.currency,
            start_date=start, end_date=term_end(start), contract_id=self.new_id("contract"),
        )
        contract.sign(actor=self.actor, signed_on=signed_on)
        self.keep(contract, ContractNumber.claim(actor=self.actor, number=number,
                                                 contract_id=contract.id))
        self.begin_term(contract, first=True, seats=self.initial_seats())
        if self.recorded(start):
            self.agenda.at(signed_on + self.days(1, 5), self.open_project, contract)
            # Basic tier is low-touch (seed 004): a short 30/60/90 roadmap, no operation plan.
            template = "roadmap_30_60_90" if self.t.tier == "basic" else "implementation_handover"
            plan = self.draft_plan(signed_on, template, start_date=start)
            self.agenda.at(start, self.activate_plan, plan)

    def begin_term(self, contract: Contract, *, first: bool, seats: int) -> None:
        start, end = contract.start_date, contract.end_date
        if end >= self.ctx.records_since:
            self.provision_terms(contract, seats)
        self.agenda.at(max(start, contract.signed_on or start), self.activate, contract, first)
        self.agenda.at(end - self.days(76, 90), self.renewal_window, contract)
        self.plan_outcome(contract)

    def activate(self, day: date, contract: Contract, first: bool) -> None:
        contract.activate(actor=self.actor, activated_on=day)
        self.move(day, Stage.ONBOARDING, (Stage.SIGNED, Stage.REACTIVATED))
        self.activate_terms(day, contract)
        if first:
            self.live_from.append(day)
            self.plan_work(day)
            self.plan_growth(day)
            self.agenda.at(day + timedelta(days=91), self.move, Stage.GROWTH, (Stage.ONBOARDING,))
            if self.recorded(day):
                self.touch(day, "check_in")
                self.agenda.at(day + self.days(10, 18), self.training)
            # Every tier's first term gets the operation plan (basic too: its milestones are
            # the CSM milestones of seed 001, counted from the customer's start — no basic
            # questions by month 4, own activities by month 9). A first term older than the
            # team's records brings its plan along (imported).
            self.agenda.at(day + timedelta(days=91), self.first_term_plan, day)
        else:
            self.move(day, Stage.MATURE, (Stage.GROWTH,))
            if self.recorded(day) and self.t.tier != "basic":
                self.start_plan(day, "continuous_operation")
        if self.t.tier != "basic":
            self.agenda.at(day + self.days(80, 100), self.record, "qbr")
        if self.t.tier == "strategic":
            self.agenda.at(day + self.days(120, 200), self.record, "onsite_visit")

    def first_term_plan(self, day: date, counted_from: date) -> None:
        if self.recorded(day):
            self.start_plan(day, "continuous_operation", counted_from)
            return
        # Imported: drawn from its own generator, so the rest of the story is unchanged.
        story_rng, self.rng = self.rng, random.Random(f"{self.ctx.seed}:{self.t.index}:plan")
        try:
            self.start_plan(day, "continuous_operation", counted_from)
        finally:
            self.rng = story_rng

    def is_current(self, contract: Contract) -> bool:
        """The term whose end the renewal board shows now (not yet past by a year)."""
        return contract.end_date >= self.ctx.today - timedelta(days=30)

    def renewal_window(self, day: date, contract: Contract) -> None:
        if contract.status != ContractStatus.ACTIVE:
            return
        self.move(day, Stage.RENEWAL, (Stage.GROWTH, Stage.MATURE))
        scenario = self.t.scenario
        if scenario == "due_soon_low_intent":
            intent = "low"
        elif scenario == "due_soon_high_intent":
            intent = "high"
        elif self.is_current(contract):
            high, medium, low = INTENTS[self.t.health]
            intent = self.rng.choices(("high", "medium", "low"), weights=(high, medium, low))[0]
        elif self.chance(0.7):
            intent = self.rng.choices(("high", "medium", "low"), weights=(60, 30, 10))[0]
        else:
            return
        potential = None
        if intent != "low" and self.chance(0.4):
            potential = (contract.amount * Decimal(self.rng.randint(1, 4)) / 10).quantize(Decimal(1))
        contract.set_renewal_intent(actor=self.actor, intent=intent, expansion_potential=potential,
                                    note=INTENT_NOTES[intent])
        self.agenda.at(day + self.days(1, 10), self.record, "call")

    def plan_outcome(self, contract: Contract) -> None:
        """Schedules the term's renewal or churn (only what falls before today happens)."""
        end, today, scenario = contract.end_date, self.ctx.today, self.t.scenario
        last_before_today = end <= today < term_end(end + timedelta(days=1))
        churns = False
        if scenario == "churned":
            churns = last_before_today
        elif scenario == "win_back":
            churns = self.engagements == 1
        elif scenario == "random" and not (self.is_current(contract) and self.t.health == "healthy"):
            rate = CHURN_RATE[self.t.tier] * (2.0 if self.t.health in ("declining", "silent") else 1)
            churns = self.chance(rate)
        if churns:
            churn_on = end - self.days(0, 25)
            self.agenda.at(churn_on - self.days(30, 90), self.warn_of_churn)
            self.agenda.at(churn_on, self.churn, contract)
            return
        if scenario.startswith("due_soon") and self.is_current(contract):
            return  # undecided: the renewal board shows it with its intent
        roll = self.rng.random()
        if scenario == "early_renewal" and end > today:
            renew_on = min(today - timedelta(days=1), end - timedelta(days=45)) - self.days(0, 20)
        elif roll < 0.15:  # early renewal
            renew_on = end - self.days(45, 120)
        elif roll < 0.92:
            renew_on = end - self.days(0, 30)
        else:  # late: the customer signs after the term ended
            renew_on = end + self.days(1, 25)
        self.agenda.at(renew_on, self.renew, contract)

    def renew(self, day: date, contract: Contract) -> None:
        if contract.status != ContractStatus.ACTIVE:
            return
        roll = self.rng.random()
        if roll < 0.6:
            factor = self.rng.uniform(1.0, 1.06)  # price uplift
        elif roll < 0.85:
            factor = self.rng.uniform(1.1, 1.5)  # expansion
        else:
            factor = self.rng.uniform(0.7, 0.95)  # contraction
        amount = (contract.amount * Decimal(f"{factor:.3f}") / 100).quantize(Decimal(1)) * 100
        successor = contract.renew(actor=self.actor, renewed_on=day, amount=amount,
                                   new_end_date=term_end(contract.end_date + timedelta(days=1)))
        self.keep(successor, ContractNumber.claim(actor=self.actor, number=successor.number,
                                                  contract_id=successor.id))
        self.move(day, Stage.MATURE, (Stage.RENEWAL,))
        seats = self.subscriptions[contract.id][0].seats if contract.id in self.subscriptions \
            else self.initial_seats()
        self.agenda.at(contract.end_date + timedelta(days=1), self.expire_terms, contract.id)
        self.begin_term(successor, first=False, seats=max(1, round(seats * factor)))

    def churn(self, day: date, contract: Contract) -> None:
        if contract.status not in (ContractStatus.SIGNED, ContractStatus.ACTIVE):
            return
        reasons = list(CHURN_STORIES)
        reason = self.rng.choices(reasons, weights=[CHURN_STORIES[r][0] for r in reasons])[0]
        contract.churn(actor=self.actor, churned_on=day, reason_category=reason,
                       note=self.rng.choice(CHURN_STORIES[reason][1]))
        self.move(day, Stage.CHURNED, tuple(s for s in Stage if s != Stage.CHURNED))
        self.ended_on.append(contract.end_date)
        self.agenda.at(contract.end_date + timedelta(days=1), self.expire_terms, contract.id)
        self.abandon_plan(day, "Customer churned")
        self.close_everything(day, "Customer churned")
        self.cancel_project(day, "Customer churned before acceptance")
        win_back = self.t.scenario == "win_back"
        if self.recorded(day) and (win_back or self.chance(0.5)):
            self.agenda.at(day + self.days(1, 7), self.start_plan, "churn_recovery")
        if win_back:  # every other one signed again lately and starts soon (stage reactivated)
            back = self.ctx.today - self.days(1, 6) if self.t.index // BLOCK % 2 == 0 \
                else min(day + self.days(200, 300), self.ctx.today - timedelta(days=20))
            self.agenda.at(back, self.start_engagement, back + self.days(7, 14))
