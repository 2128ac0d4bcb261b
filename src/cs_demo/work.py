"""The work around a customer: risks, requirements, complaints and tasks.

Risks follow seed 000's loop: raised by the CSM or support → a manager sets a
strategy whose todos become tasks → mitigation → closed with a resolution (销项);
a few are escalated or reopened, and the ones still open past their due date
are overdue (red). Customers whose usage is falling or silent carry an open
adoption risk; a churn closes its customer's risks and cancels their tasks.
Requirements run seed 001's loop (collected → classified → analysed → handed to
product → scheduled → delivered or rejected → feedback), complaints theirs
(received → investigating → resolved, 24 h when resources are needed → reviewed).
Each live customer with an active plan has an open task for its next milestone,
so every workbench shows work overdue, due today and due this week.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from cs_demo.catalogue import (
    COMPLAINT_STORIES,
    RELEASES,
    REQUIREMENT_STORIES,
    RISK_RESOLUTIONS,
    RISK_STORIES,
    RISK_STRATEGIES,
    RISK_TODOS,
)
from cs_demo.context import DemoContext
from cs_demo.delivery import DeliveryStory
from cs_demo.people import person_name
from cs_demo.traits import Traits
from cs_domain.complaint import Complaint
from cs_domain.plan import PlanStatus
from cs_domain.requirement import Requirement, RequirementStatus
from cs_domain.risk import Risk, RiskStatus, Todo
from cs_domain.task import Task, TaskStatus

SEVERITY = ("low", "medium", "high", "critical")
# Yearly rates per customer, from the team's start in CS Ledger on.
RISKS_PER_YEAR, REQUIREMENTS_PER_YEAR, COMPLAINTS_PER_YEAR = 0.3, 0.4, 0.1


class WorkStory(DeliveryStory):
    def __init__(self, ctx: DemoContext, traits: Traits, rng: random.Random):
        super().__init__(ctx, traits, rng)
        self.risks: list[Risk] = []
        self.tasks: list[Task] = []

    def at_random(self, start: date, per_year: float, action: Callable[[date], None]) -> None:
        """Puts `action` on the agenda at Poisson-spread days from `start` until today."""
        if per_year <= 0:
            return
        day = max(start, self.ctx.records_since)
        while True:
            day += timedelta(days=int(self.rng.expovariate(per_year / 365)) + 1)
            if day > self.ctx.today:
                return
            self.agenda.at(day, self.while_live, self.engagements, action)

    def while_live(self, day: date, engagement: int, action: Callable[[date], None]) -> None:
        """Runs a recurring action only while the engagement it was planned for lasts."""
        if self.is_live and engagement == self.engagements:
            action(day)

    def plan_work(self, live_from: date) -> None:
        self.at_random(live_from, RISKS_PER_YEAR, self.random_risk)
        self.at_random(live_from, REQUIREMENTS_PER_YEAR, self.collect_requirement)
        self.at_random(live_from, COMPLAINTS_PER_YEAR, self.receive_complaint)

    # --- risks -------------------------------------------------------------------
    def plan_current_risk(self) -> None:
        """Customers at risk now carry an open risk; falling silent weeks ago makes it overdue."""
        today, health = self.ctx.today, self.t.health
        if self.t.scenario == "due_soon_low_intent":  # service trouble soured the renewal
            day, category, due_in = today - self.days(20, 60), "commercial", 30
            self.agenda.at(day - self.days(10, 30), self.while_live, 1, self.receive_complaint)
        elif health == "declining":  # raised days ago: the manager's review is still ahead
            day, category, due_in = today - self.days(3, 10), "adoption", 21
            self.agenda.at(day, self.current_risk, category, due_in, (11, 20))
            return
        elif health == "silent":
            day, category, due_in = today - self.days(25, 40), "adoption", 14
        else:
            return
        self.agenda.at(day, self.current_risk, category, due_in, (1, 4))

    def current_risk(self, day: date, category: str, due_in: int,
                     strategy_in: tuple[int, int]) -> None:
        if self.is_live:
            self.raise_risk(day, category, resolve=False, due_in=due_in, strategy_in=strategy_in)

    def warn_of_churn(self, day: date) -> None:
        """Before a churn the CSM raised a commercial or relationship risk."""
        if self.is_live and self.recorded(day):
            self.raise_risk(day, self.rng.choice(("commercial", "relationship", "competitor")),
                            resolve=False)

    def random_risk(self, day: date) -> None:
        category = self.rng.choice([c for c in RISK_STORIES if c != "adoption"])
        self.raise_risk(day, category, resolve=True)

    def raise_risk(self, day: date, category: str, *, resolve: bool, due_in: int = 0,
                   strategy_in: tuple[int, int] = (1, 4)) -> Risk:
        raiser = self.actor if self.chance(0.7) else self.support_actor
        title = self.rng.choice(RISK_STORIES[category])
        risk = Risk.raise_risk(
            actor=raiser, customer_id=self.customer_id, title=title, category=category,
            severity=self.rng.choices(SEVERITY, weights=(20, 45, 25, 10))[0],
            due_date=day + timedelta(days=due_in or self.rng.randint(14, 45)), raised_on=day,
            description=f"{title} ({self.t.name}).", owner_id=self.owner.id,
            risk_id=self.new_id("risk"),
        )
        self.keep(risk)
        self.risks.append(risk)
        self.agenda.at(day + self.days(*strategy_in), self.set_strategy, risk, resolve)
        if risk.severity == "critical" and self.chance(0.5):
            self.agenda.at(day + self.days(2, 8), self.escalate, risk)
        if resolve:
            close_on = risk.due_date + self.days(-12, 10)  # some close late: overdue for a while
            self.agenda.at(max(close_on, day + timedelta(days=5)), self.close_risk, risk)
        return risk

    def set_strategy(self, day: date, risk: Risk, resolve: bool) -> None:
        if risk.status == RiskStatus.CLOSED:
            return
        assignees = [self.owner.id, self.ctx.team.support[self.t.support].id]
        todos = [Todo(title, self.rng.choice(assignees), day + self.days(5, 20))
                 for title in self.rng.sample(RISK_TODOS, self.rng.randint(1, 2))]
        tasks = risk.set_strategy(actor=self.manager_actor, strategy=self.rng.choice(RISK_STRATEGIES),
                                  owner_id=self.owner.id, todos=todos, set_on=day)
        self.keep(*tasks)
        self.tasks.extend(tasks)
        for task in tasks:
            self.agenda.at(day + self.days(0, 4), self.start_task, task)
            if resolve or self.chance(0.3):
                self.agenda.at(task.due_date + self.days(-4, 6), self.complete_task, task)
        self.agenda.at(day + self.days(3, 12), self.mitigate, risk)

    def mitigate(self, day: date, risk: Risk) -> None:
        if risk.status != RiskStatus.CLOSED:
            risk.record_mitigation(actor=self.actor, recorded_on=day,
                                   note="Todos under way; customer informed of the plan.")

    def escalate(self, day: date, risk: Risk) -> None:
        if risk.status != RiskStatus.CLOSED:
            risk.escalate(actor=self.actor, escalated_to=self.ctx.team.managers[0].id,
                          reason="Critical and the customer's sponsor asked for management",
                          escalated_on=day)

    def close_risk(self, day: date, risk: Risk) -> None:
        if risk.status == RiskStatus.CLOSED:
            return
        risk.close(actor=self.actor, resolution=self.rng.choice(RISK_RESOLUTIONS), closed_on=day)
        if self.chance(0.08):
            again = day + self.days(5, 20)
            self.agenda.at(again, self.reopen_risk, risk)

    def reopen_risk(self, day: date, risk: Risk) -> None:
        if risk.status == RiskStatus.CLOSED:
            risk.reopen(actor=self.actor, reason="The problem came back", reopened_on=day,
                        due_date=day + timedelta(days=21))
            self.agenda.at(day + self.days(7, 25), self.close_risk, risk)

    def close_everything(self, day: date, why: str) -> None:
        """A churn ends the work: open risks close, open tasks are cancelled."""
        for risk in self.risks:
            if risk.status != RiskStatus.CLOSED:
                risk.close(actor=self.actor, resolution=why, closed_on=max(day, risk.raised_on))
        for task in self.tasks:
            if task.is_open:
                task.cancel(actor=self.actor, cancelled_on=day, reason=why)

    # --- tasks -------------------------------------------------------------------
    def start_task(self, day: date, task: Task) -> None:
        if task.status == TaskStatus.TODO:
            task.start(actor=str(task.assignee_id), started_on=day)

    def complete_task(self, day: date, task: Task) -> None:
        self.start_task(day, task)
        if task.status == TaskStatus.DOING:
            task.complete(actor=str(task.assignee_id), completed_on=max(day, task.started_on or day))

    def milestone_task(self) -> None:
        """The next milestone of the active plan, on the owner's workbench."""
        plan = self.open_plan
        if plan is None or plan.status != PlanStatus.ACTIVE or not plan.pending:
            return
        milestone = min(plan.pending, key=lambda m: m["due_date"])
        # Mostly ahead (today, this week, next week), a few overdue: a team that keeps up.
        due = self.ctx.today + self.days(-2, 12)
        task = Task.create(
            actor=self.actor, customer_id=self.customer_id, title=f"Prepare: {milestone['title']}",
            assignee_id=self.owner.id, due_date=due, source_kind="plan", source_id=plan.id,
            task_id=self.new_id("task"),
        )
        self.keep(task)
        if self.chance(0.5):
            task.start(actor=self.actor, started_on=min(self.ctx.today, due))

    # --- requirements ------------------------------------------------------------
    def collect_requirement(self, day: date) -> None:
        summary, category = self.rng.choice(REQUIREMENT_STORIES)
        requirement = Requirement.collect(
            actor=self.actor, customer_id=self.customer_id, on=day, summary=summary,
            requested_by=person_name(self.t.index * 3 + self.rng.randint(0, 1),
                                     self.t.region.chinese_names),
            requirement_id=self.new_id("requirement"),
        )
        self.keep(requirement)
        self.agenda.at(day + self.days(1, 5), self.requirement_step, requirement, category)

    def requirement_step(self, day: date, r: Requirement, category: str) -> None:
        """Takes the requirement's next step and schedules the one after."""
        status, actor = r.status, self.actor
        then = day + self.days(2, 12)
        if status == RequirementStatus.COLLECTED:
            r.classify(actor=actor, category=category, on=day,
                       priority=self.rng.choices(SEVERITY[::-1], weights=(5, 20, 50, 25))[0])
        elif status == RequirementStatus.CLASSIFIED:
            fit = self.rng.choices(("full", "partial", "none"), weights=(20, 60, 20))[0]
            r.analyse(actor=actor, product_fit=fit, on=day,
                      note={"full": "Already possible: the customer needs guidance.",
                            "partial": "Fits the roadmap with a small extension.",
                            "none": "Outside the product's scope."}[fit])
        elif status == RequirementStatus.ANALYSED:
            if r.product_fit == "partial" or (r.product_fit == "none" and self.chance(0.3)):
                r.hand_to_product(actor=actor, on=day, product_ref=f"PRD-{self.rng.randint(100, 9999)}")
            else:
                r.reject(actor=actor, on=day, reason="Not a product gap (去伪求真): guidance given"
                         if r.product_fit == "full" else "Outside the product's scope")
        elif status == RequirementStatus.HANDED_OVER:
            if self.chance(0.15):
                r.reject(actor=actor, on=day, reason="Product declined: conflicts with the roadmap")
            else:
                target = day + self.days(30, 120)
                r.schedule(actor=actor, target_date=target, on=day, release=self.rng.choice(RELEASES))
                then = target + self.days(-10, 20)
        elif status == RequirementStatus.SCHEDULED:
            r.deliver(actor=actor, on=day, note="Shipped; customer notified")
        elif status in (RequirementStatus.DELIVERED, RequirementStatus.REJECTED):
            r.give_feedback(actor=actor, on=day, feedback="Outcome explained to the requester")
            return
        else:
            return
        self.agenda.at(then, self.requirement_step, r, category)

    # --- complaints ---------------------------------------------------------------
    def receive_complaint(self, day: date) -> None:
        summary, category, cause, improvement = self.rng.choice(COMPLAINT_STORIES)
        received = datetime.combine(day, time(self.rng.randint(1, 9), self.rng.randint(0, 59)),
                                    tzinfo=UTC)
        needs_resources = self.chance(0.4)
        complaint = Complaint.receive(
            actor=self.support_actor, customer_id=self.customer_id,
            channel=self.rng.choice(("phone", "email", "chat", "ticket")), summary=summary,
            severity=self.rng.choices(SEVERITY, weights=(20, 50, 25, 5))[0],
            needs_resources=needs_resources, received_at=received,
            complaint_id=self.new_id("complaint"),
        )
        self.keep(complaint)
        started = received + timedelta(minutes=self.rng.randint(5, 90))
        complaint.start_investigation(actor=self.support_actor, started_at=started)
        hours = self.rng.uniform(2, 22) if self.chance(0.85) else self.rng.uniform(26, 60)
        resolved = started + timedelta(hours=hours if needs_resources else self.rng.uniform(0.5, 4))
        if resolved.date() <= self.ctx.today:
            complaint.resolve(actor=self.support_actor, resolved_at=resolved,
                              resolution="Fixed and confirmed with the customer",
                              compensation="One month of the add-on free" if hours > 24 else None)
            reviewed = resolved.date() + self.days(1, 10)
            if reviewed <= self.ctx.today:
                complaint.review(actor=self.manager_actor, category=category, root_cause=cause,
                                 improvement=improvement, reviewed_on=reviewed)
