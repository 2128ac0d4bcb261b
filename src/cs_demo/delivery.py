"""The delivery side of a story: product terms, the implementation project, success
plans and touchpoints, each scheduled at realistic offsets from the contract's dates.

Implementation staff (the support role) move the project's stages; the owning
CSM runs plans and records touchpoints. Milestones are mostly met on time, some
late (seed 001 measures lateness) and a few missed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from uuid import UUID

from cs_demo.catalogue import CORE_PRODUCT, FOLLOW_UP_OUTCOMES, TOUCHPOINT_NOTES
from cs_demo.context import DemoContext, StoryBase
from cs_demo.people import person_name
from cs_demo.traits import Traits
from cs_domain.contract import Contract
from cs_domain.plan import PlanStatus, SuccessPlan
from cs_domain.project import Project
from cs_domain.subscription import Subscription, SubscriptionStatus
from cs_domain.touchpoint import Touchpoint

SEATS = {"A": (200, 500), "B": (60, 200), "C": (15, 60), "D": (3, 15)}
# (stage, start offset or None, completion offset range) from the contract's start.
PROJECT_PLAN: tuple[tuple[str, tuple[int, int] | None, tuple[int, int]], ...] = (
    ("kickoff", None, (0, 5)),
    ("deployment", (2, 6), (15, 40)),
    ("training", None, (20, 45)),
    ("go-live", None, (30, 60)),
    ("acceptance", None, (50, 90)),
)


class DeliveryStory(StoryBase):
    def __init__(self, ctx: DemoContext, traits: Traits, rng: random.Random):
        super().__init__(ctx, traits, rng)
        self.subscriptions: dict[UUID, list[Subscription]] = {}
        self.open_plan: SuccessPlan | None = None
        self.last_plan_id: UUID | None = None
        self.project: Project | None = None

    # --- product terms (产品租期) ---------------------------------------------------
    def provision_terms(self, contract: Contract, seats: int) -> None:
        products = [CORE_PRODUCT] + ([self.t.add_on] if self.t.add_on else [])
        subs = []
        for product in products:
            sub = Subscription.provision(
                actor=self.actor, customer_id=self.customer_id, product=product.name,
                seats=seats if product is CORE_PRODUCT else max(1, seats // 3),
                start_date=contract.start_date, end_date=contract.end_date,
                contract_id=contract.id, subscription_id=self.new_id("subscription"),
            )
            subs.append(sub)
        self.keep(*subs)
        self.subscriptions[contract.id] = subs
        if self.chance(0.08):
            self.agenda.at(contract.start_date + self.days(100, 250), self.change_seats, subs[0])
        if self.chance(0.02):
            self.agenda.at(contract.start_date + self.days(100, 200), self.suspend, subs[0])

    def initial_seats(self) -> int:
        low, high = SEATS[self.t.size_grade]
        return self.rng.randint(low, high)

    def activate_terms(self, day: date, contract: Contract) -> None:
        for sub in self.subscriptions.get(contract.id, []):
            if sub.status == SubscriptionStatus.PROVISIONED:
                sub.activate(actor=self.actor, activated_on=day)

    def expire_terms(self, day: date, contract_id: UUID) -> None:
        for sub in self.subscriptions.get(contract_id, []):
            if sub.status in (SubscriptionStatus.ACTIVE, SubscriptionStatus.SUSPENDED):
                sub.expire(actor=self.actor, expired_on=day)

    def change_seats(self, day: date, sub: Subscription) -> None:
        if sub.status == SubscriptionStatus.ACTIVE and day <= sub.end_date:
            seats = sub.seats + max(1, sub.seats // self.rng.randint(4, 10))
            sub.change_seats(actor=self.actor, seats=seats, effective_on=day,
                             note="More users added mid-term")

    def suspend(self, day: date, sub: Subscription) -> None:
        if sub.status == SubscriptionStatus.ACTIVE and day < sub.end_date - timedelta(days=30):
            sub.suspend(actor=self.manager_actor, suspended_on=day, reason="Invoice overdue")
            self.agenda.at(day + self.days(7, 21), self.resume, sub)

    def resume(self, day: date, sub: Subscription) -> None:
        if sub.status == SubscriptionStatus.SUSPENDED:
            sub.resume(actor=self.manager_actor, resumed_on=day)

    # --- the implementation project (项目) -----------------------------------------
    def open_project(self, day: date, contract: Contract) -> None:
        project = Project.open(
            actor=self.support_actor, customer_id=self.customer_id, contract_id=contract.id,
            name=f"{CORE_PRODUCT.name} implementation", opened_on=day,
            project_id=self.new_id("project"),
        )
        self.keep(project)
        self.project = project
        start = contract.start_date
        last = start
        for stage, started, done in PROJECT_PLAN:
            if started is not None:
                self.agenda.at(start + self.days(*started), self.start_stage, stage)
            finish = start + self.days(*done)
            last = max(last, finish)
            self.agenda.at(finish, self.complete_stage, stage)
        self.agenda.at(last + self.days(0, 4), self.complete_project)

    def start_stage(self, day: date, stage: str) -> None:
        if self.project is not None and self.project.status == "active":
            self.project.start_stage(actor=self.support_actor, stage=stage, started_on=day)

    def complete_stage(self, day: date, stage: str) -> None:
        project = self.project
        if project is None or project.status != "active":
            return
        started = project.stages[project.index_of(stage)]["started_on"]
        project.complete_stage(actor=self.support_actor, stage=stage,
                               completed_on=max(day, started or day))

    def complete_project(self, day: date) -> None:
        project = self.project
        if project is not None and project.status == "active" and project.all_stages_done:
            last = max(s["completed_on"] for s in project.stages)
            project.complete(actor=self.support_actor, completed_on=max(day, last))

    def cancel_project(self, day: date, reason: str) -> None:
        if self.project is not None and self.project.status == "active":
            self.project.cancel(actor=self.support_actor, cancelled_on=day, reason=reason)

    # --- success plans (客成计划) ----------------------------------------------------
    def draft_plan(self, day: date, template: str, start_date: date | None = None) -> SuccessPlan:
        self.close_open_plan(day)
        plan = SuccessPlan.draft(
            actor=self.actor, customer_id=self.customer_id, start_date=start_date or day,
            template=template,
            previous_plan_id=self.last_plan_id, plan_id=self.new_id("plan"),
        )
        self.keep(plan)
        self.open_plan = plan
        self.last_plan_id = plan.id
        return plan

    def activate_plan(self, day: date, plan: SuccessPlan) -> None:
        if plan.status != PlanStatus.DRAFT:
            return
        plan.activate(actor=self.actor, activated_on=day)
        for m in plan.milestones:
            due: date = m["due_date"]
            roll = self.rng.random()
            if roll < 0.72:
                on, missed = due - self.days(0, 4), False
            elif roll < 0.93:
                on, missed = due + self.days(1, 21), False
            else:
                on, missed = due + self.days(3, 10), True
            self.agenda.at(max(on, plan.start_date, day), self.resolve_milestone, plan,
                           m["milestone_id"], missed)

    def start_plan(self, day: date, template: str, counted_from: date | None = None) -> None:
        """Drafts and activates a plan today; its milestones count from `counted_from`."""
        self.activate_plan(day, self.draft_plan(day, template, start_date=counted_from))

    def resolve_milestone(self, day: date, plan: SuccessPlan, milestone_id: UUID,
                          missed: bool) -> None:
        if plan.status != PlanStatus.ACTIVE:
            return
        if missed:
            plan.miss_milestone(actor=self.actor, milestone_id=milestone_id, missed_on=day,
                                note="Customer postponed; carried into the next plan")
        else:
            m = plan.milestones[plan.index_of(milestone_id)]
            plan.complete_milestone(actor=self.actor, milestone_id=milestone_id, completed_on=day,
                                    evidence=f"Met: {m['acceptance_criterion']}")
        if not plan.pending:
            plan.complete(actor=self.actor, completed_on=day)

    def close_open_plan(self, day: date) -> None:
        """A new plan takes over: what is still pending of the old one is missed."""
        plan = self.open_plan
        if plan is None or plan.status != PlanStatus.ACTIVE:
            return
        for m in plan.pending:
            plan.miss_milestone(actor=self.actor, milestone_id=m["milestone_id"],
                                missed_on=max(day, plan.start_date),
                                note="Carried into the next plan")
        plan.complete(actor=self.actor, completed_on=max(day, plan.start_date))

    def abandon_plan(self, day: date, reason: str) -> None:
        plan = self.open_plan
        if plan is not None and plan.status in (PlanStatus.DRAFT, PlanStatus.ACTIVE):
            plan.abandon(actor=self.actor, abandoned_on=day, reason=reason)

    # --- touchpoints -------------------------------------------------------------
    def touch(self, day: date, kind: str, week_start: date | None = None) -> Touchpoint:
        contact = person_name(self.t.index * 3 + self.rng.randint(0, 2),
                              self.t.region.chinese_names)
        touchpoint = Touchpoint.record(
            actor=self.actor, customer_id=self.customer_id, kind=kind, occurred_on=day,
            summary=self.rng.choice(TOUCHPOINT_NOTES[kind]),
            participants=[self.owner.name, contact],
            next_steps=["Send the summary to the customer"] if kind != "weekly_report" else [],
            week_start=week_start, touchpoint_id=self.new_id("touchpoint"),
        )
        self.keep(touchpoint)
        return touchpoint

    def training(self, day: date) -> None:
        touchpoint = self.touch(day, "training")
        self.agenda.at(day + self.days(5, 12), self.follow_up, touchpoint)

    def follow_up(self, day: date, touchpoint: Touchpoint) -> None:
        touchpoint.record_follow_up(actor=self.actor, follow_up_on=day,
                                    outcome=self.rng.choice(FOLLOW_UP_OUTCOMES))

    def record(self, day: date, kind: str) -> None:
        """Agenda action: a touchpoint of `kind` (kept only from the team's start on)."""
        if self.recorded(day):
            self.touch(day, kind)
