"""Success plan (客成计划): milestones with due dates and acceptance criteria.

A plan is drafted for a customer, usually from a template in
:mod:`cs_domain.plan_templates` (the template's milestones are instantiated
with due date = start date + offset), or empty with a name. Custom milestones
can be added while it is draft or active. Flow: draft → active → completed
(only when no milestone is still pending) | abandoned (from draft or active).
While the plan is active, each pending milestone is completed (with the date and
an evidence note for its acceptance criterion) or missed; a completion after its
due date records the days late (seed 001 measures lateness). A customer may run
plans in sequence (handover → continuous operation): a plan can name the
previous plan it follows. Tasks will hang off plans later (domain-a owns Task).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from cs_domain.base import LedgerAggregate, check_text, index_id
from cs_domain.days import shift
from cs_domain.errors import InvalidInput, Validator
from cs_domain.number_checks import check_date, check_not_before, check_optional_text
from cs_domain.plan_templates import TEMPLATES, PlanTemplate

MAX_MILESTONES = 100


class PlanStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class MilestoneStatus(StrEnum):
    PENDING = "pending"
    COMPLETED = "completed"
    MISSED = "missed"


OPEN = {PlanStatus.DRAFT.value, PlanStatus.ACTIVE.value}


def template_for(v: Validator, key: str | None) -> PlanTemplate | None:
    if key is None:
        return None
    v.check(key in TEMPLATES, "template", f"must be one of: {', '.join(TEMPLATES)}")
    return TEMPLATES.get(key)


def milestone_state(milestone_id: UUID, title: str, due_date: date,
                    acceptance_criterion: str) -> dict[str, Any]:
    return {"milestone_id": milestone_id, "title": title, "due_date": due_date,
            "acceptance_criterion": acceptance_criterion, "status": MilestoneStatus.PENDING.value,
            "resolved_on": None, "note": None, "days_late": None}


class SuccessPlan(LedgerAggregate):
    KIND = "plan"

    class Drafted(LedgerAggregate.Created):
        actor: str
        customer_id: UUID
        name: str
        template: str | None
        start_date: date
        previous_plan_id: UUID | None
        milestones: list[dict[str, Any]]

    class MilestoneAdded(LedgerAggregate.Event):
        actor: str
        milestone_id: UUID
        title: str
        due_date: date
        acceptance_criterion: str

        def apply(self, p: SuccessPlan) -> None:
            p.milestones.append(milestone_state(self.milestone_id, self.title, self.due_date,
                                                self.acceptance_criterion))

    class MilestoneCompleted(LedgerAggregate.Event):
        actor: str
        milestone_id: UUID
        completed_on: date
        evidence: str

        def apply(self, p: SuccessPlan) -> None:
            m = p.milestones[p.index_of(self.milestone_id)]
            m["status"], m["resolved_on"], m["note"] = (
                MilestoneStatus.COMPLETED.value, self.completed_on, self.evidence)
            m["days_late"] = max(0, (self.completed_on - m["due_date"]).days)

    class MilestoneMissed(LedgerAggregate.Event):
        actor: str
        milestone_id: UUID
        missed_on: date
        note: str | None

        def apply(self, p: SuccessPlan) -> None:
            m = p.milestones[p.index_of(self.milestone_id)]
            m["status"], m["resolved_on"], m["note"] = (
                MilestoneStatus.MISSED.value, self.missed_on, self.note)

    class Activated(LedgerAggregate.Event):
        actor: str
        activated_on: date

        def apply(self, p: SuccessPlan) -> None:
            p.status, p.activated_on = PlanStatus.ACTIVE.value, self.activated_on

    class Completed(LedgerAggregate.Event):
        actor: str
        completed_on: date

        def apply(self, p: SuccessPlan) -> None:
            p.status, p.closed_on = PlanStatus.COMPLETED.value, self.completed_on

    class Abandoned(LedgerAggregate.Event):
        actor: str
        abandoned_on: date
        reason: str

        def apply(self, p: SuccessPlan) -> None:
            p.status, p.closed_on = PlanStatus.ABANDONED.value, self.abandoned_on

    def __init__(self, actor: str, customer_id: UUID, name: str, template: str | None,
                 start_date: date, previous_plan_id: UUID | None,
                 milestones: list[dict[str, Any]]):
        self.customer_id = customer_id
        self.name = name
        self.template = template
        self.start_date = start_date
        self.previous_plan_id = previous_plan_id
        # Copies: state must never share mutable parts with the (pending) event.
        self.milestones: list[dict[str, Any]] = [
            milestone_state(m["milestone_id"], m["title"], m["due_date"],
                            m["acceptance_criterion"]) for m in milestones
        ]
        self.status: str = PlanStatus.DRAFT.value
        self.activated_on: date | None = None
        self.closed_on: date | None = None

    @classmethod
    def draft(
        cls, *, actor: str, customer_id: UUID, start_date: date, template: str | None = None,
        name: str | None = None, previous_plan_id: UUID | None = None,
        plan_id: UUID | None = None,
    ) -> SuccessPlan:
        v = Validator()
        tpl = template_for(v, template)
        check_date(v, start_date, "start_date")
        if name is not None or template is None:
            check_text(v, name, "name")
        v.done()
        pid = plan_id or uuid4()
        milestones = [
            {"milestone_id": index_id("milestone", f"{pid}:{i}"), "title": m.title,
             "due_date": shift(start_date, m.offset_days),
             "acceptance_criterion": m.acceptance_criterion}
            for i, m in enumerate(tpl.milestones if tpl else ())
        ]
        # Validated above: without a template the name is given.
        plan_name = name.strip() if name is not None else tpl.name if tpl else ""
        return cls._create(
            cls.Drafted, id=pid, actor=actor, customer_id=customer_id,
            name=plan_name,
            template=template, start_date=start_date, previous_plan_id=previous_plan_id,
            milestones=milestones,
        )

    # --- queries -----------------------------------------------------------------
    def index_of(self, milestone_id: UUID) -> int:
        for i, m in enumerate(self.milestones):
            if m["milestone_id"] == milestone_id:
                return i
        raise InvalidInput.one("milestone_id", "is not a milestone of this plan")

    @property
    def pending(self) -> list[dict[str, Any]]:
        return [m for m in self.milestones if m["status"] == MilestoneStatus.PENDING]

    # --- commands ----------------------------------------------------------------
    def add_milestone(self, *, actor: str, title: str, due_date: date,
                      acceptance_criterion: str, milestone_id: UUID | None = None) -> UUID:
        v = Validator()
        check_text(v, title, "title")
        check_not_before(v, due_date, "due_date", self.start_date, "the plan's start_date")
        check_text(v, acceptance_criterion, "acceptance_criterion", max_len=2000)
        v.done()
        if self.status not in OPEN:
            raise self.refuse("add a milestone to", self.status)
        if len(self.milestones) >= MAX_MILESTONES:
            raise InvalidInput.one("title", f"a plan holds at most {MAX_MILESTONES} milestones")
        mid = milestone_id or uuid4()
        self.trigger_event(self.MilestoneAdded, actor=actor, milestone_id=mid, title=title.strip(),
                           due_date=due_date, acceptance_criterion=acceptance_criterion.strip())
        return mid

    def _pending_milestone(self, action: str, milestone_id: UUID) -> dict[str, Any]:
        m = self.milestones[self.index_of(milestone_id)]
        if self.status != PlanStatus.ACTIVE:
            raise self.refuse(f"{action} a milestone of", self.status)
        if m["status"] != MilestoneStatus.PENDING:
            raise self.refuse(f"{action} a milestone that is {m['status']} in", self.status)
        return m

    def complete_milestone(self, *, actor: str, milestone_id: UUID, completed_on: date,
                           evidence: str) -> None:
        v = Validator()
        check_not_before(v, completed_on, "completed_on", self.start_date, "the plan's start_date")
        check_text(v, evidence, "evidence", max_len=5000)
        v.done()
        self._pending_milestone("complete", milestone_id)
        self.trigger_event(self.MilestoneCompleted, actor=actor, milestone_id=milestone_id,
                           completed_on=completed_on, evidence=evidence.strip())

    def miss_milestone(self, *, actor: str, milestone_id: UUID, missed_on: date,
                       note: str | None = None) -> None:
        v = Validator()
        check_not_before(v, missed_on, "missed_on", self.start_date, "the plan's start_date")
        check_optional_text(v, note, "note")
        v.done()
        self._pending_milestone("miss", milestone_id)
        self.trigger_event(self.MilestoneMissed, actor=actor, milestone_id=milestone_id,
                           missed_on=missed_on, note=note)

    def activate(self, *, actor: str, activated_on: date) -> None:
        v = Validator()
        check_date(v, activated_on, "activated_on")
        v.done()
        if self.status != PlanStatus.DRAFT:
            raise self.refuse("activate", self.status)
        self.trigger_event(self.Activated, actor=actor, activated_on=activated_on)

    def complete(self, *, actor: str, completed_on: date) -> None:
        last = max((m["resolved_on"] for m in self.milestones if m["resolved_on"]),
                   default=self.activated_on)
        v = Validator()
        check_not_before(v, completed_on, "completed_on", last, "the last milestone or activation")
        v.done()
        if self.status != PlanStatus.ACTIVE:
            raise self.refuse("complete", self.status)
        if self.pending:
            raise self.refuse("complete", f"active with {len(self.pending)} pending milestone(s)")
        self.trigger_event(self.Completed, actor=actor, completed_on=completed_on)

    def abandon(self, *, actor: str, abandoned_on: date, reason: str) -> None:
        v = Validator()
        check_date(v, abandoned_on, "abandoned_on")
        check_text(v, reason, "reason", max_len=5000)
        v.done()
        if self.status not in OPEN:
            raise self.refuse("abandon", self.status)
        self.trigger_event(self.Abandoned, actor=actor, abandoned_on=abandoned_on,
                           reason=reason.strip())
