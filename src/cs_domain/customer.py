"""Customer (客户台账): the hub every other item links to.

Lifecycle stage flow (seed 001): signed → onboarding → growth → mature → renewal,
and churned / reactivated. Key contacts are level 1 (decision makers, heavy
users) or level 2. The sales→CSM handover and agreed expectations are recorded.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from cs_domain.base import LedgerAggregate, check_enum, check_text
from cs_domain.errors import InvalidInput, Validator
from cs_domain.lifecycle import (
    ACTIVATED_STAGES,
    LIFECYCLE_ACTOR,
    REASONS,
    Fact,
    StageFacts,
    StagePoint,
    manual_refusal,
    step,
)


class Tier(StrEnum):
    STRATEGIC = "strategic"
    GROWTH = "growth"
    BASIC = "basic"


class Stage(StrEnum):
    SIGNED = "signed"
    ONBOARDING = "onboarding"
    GROWTH = "growth"
    MATURE = "mature"
    RENEWAL = "renewal"
    CHURNED = "churned"
    REACTIVATED = "reactivated"


class SizeGrade(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


class ContactLevel(StrEnum):
    LEVEL_1 = "1"
    LEVEL_2 = "2"


class Attitude(StrEnum):
    CHAMPION = "champion"
    SUPPORTIVE = "supportive"
    NEUTRAL = "neutral"
    SKEPTICAL = "skeptical"
    DETRACTOR = "detractor"


PROFILE_FIELDS = ("name", "tier", "industry", "region", "size_grade")


def validate_profile(v: Validator, values: dict[str, Any], *, partial: bool) -> None:
    if not partial or values.get("name") is not None:
        check_text(v, values.get("name"), "name")
    if not partial or values.get("tier") is not None:
        check_enum(v, Tier, values.get("tier"), "tier")
    for field in ("industry", "region"):
        if values.get(field) is not None:
            check_text(v, values[field], field, max_len=100)
    if values.get("size_grade") is not None:
        check_enum(v, SizeGrade, values["size_grade"], "size_grade")


class Customer(LedgerAggregate):
    KIND = "customer"

    class Registered(LedgerAggregate.Created):
        actor: str
        name: str
        tier: str
        owner_id: UUID
        industry: str | None
        region: str | None
        size_grade: str | None
        support_manager_id: UUID | None
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            # v1 had no support manager: customers registered then have none.
            state["support_manager_id"] = None

    class ProfileUpdated(LedgerAggregate.Event):
        actor: str
        name: str | None
        tier: str | None
        industry: str | None
        region: str | None
        size_grade: str | None

        def apply(self, c: Customer) -> None:
            for field in PROFILE_FIELDS:
                value = getattr(self, field)
                if value is not None:
                    setattr(c, field, value)

    class OwnerAssigned(LedgerAggregate.Event):
        actor: str
        owner_id: UUID
        previous_owner_id: UUID

        def apply(self, c: Customer) -> None:
            c.owner_id = self.owner_id

    class SupportManagerAssigned(LedgerAggregate.Event):
        actor: str
        support_manager_id: UUID | None

        def apply(self, c: Customer) -> None:
            c.support_manager_id = self.support_manager_id

    class StageChanged(LedgerAggregate.Event):
        """A stage change: by `system:lifecycle` when a fact moves it (cs_domain.lifecycle),
        or by hand (the manager's or CSM's actor), with its reason and business date."""

        actor: str
        stage: str
        previous_stage: str
        effective_on: date
        reason: str | None
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["reason"] = None  # v1 recorded no reason

        def apply(self, c: Customer) -> None:
            c.stage = self.stage
            c.stage_since = self.effective_on
            c.stage_by_hand = self.actor != LIFECYCLE_ACTOR
            if self.stage == Stage.ONBOARDING and c.onboarded_on is None:
                c.onboarded_on = self.effective_on
            if self.stage == Stage.REACTIVATED:
                c.activated = False  # a win-back starts a new engagement
            elif self.stage in ACTIVATED_STAGES:
                c.activated = True

    class ContactAdded(LedgerAggregate.Event):
        actor: str
        contact_id: UUID
        name: str
        role: str
        level: str
        attitude: str
        email: str | None

        def apply(self, c: Customer) -> None:
            c.contacts[str(self.contact_id)] = {
                "name": self.name, "role": self.role, "level": self.level,
                "attitude": self.attitude, "email": self.email,
            }

    class ContactRemoved(LedgerAggregate.Event):
        actor: str
        contact_id: UUID
        reason: str | None

        def apply(self, c: Customer) -> None:
            c.contacts.pop(str(self.contact_id), None)

    class HandoverRecorded(LedgerAggregate.Event):
        """The sales→CSM handover form (客户交接表) with the customer's expectations."""

        actor: str
        sales_rep: str
        handed_over_on: date
        summary: str
        expectations: list[str]

        def apply(self, c: Customer) -> None:
            c.handover = {
                "sales_rep": self.sales_rep, "handed_over_on": self.handed_over_on,
                "summary": self.summary,
            }
            c.expectations = list(self.expectations)

    class ExpectationsAgreed(LedgerAggregate.Event):
        actor: str
        expectations: list[str]
        agreed_on: date

        def apply(self, c: Customer) -> None:
            c.expectations = list(self.expectations)

    def __init__(
        self,
        actor: str,
        name: str,
        tier: str,
        owner_id: UUID,
        industry: str | None,
        region: str | None,
        size_grade: str | None,
        support_manager_id: UUID | None,
    ):
        self.name = name
        self.tier = tier
        self.owner_id = owner_id
        self.industry = industry
        self.region = region
        self.size_grade = size_grade
        self.support_manager_id = support_manager_id
        self.stage: str = Stage.SIGNED.value
        self.stage_since: date | None = None
        self.onboarded_on: date | None = None
        self.stage_by_hand = False
        self.activated = False  # past onboarding in its current engagement
        self.contacts: dict[str, dict[str, Any]] = {}
        self.handover: dict[str, Any] | None = None
        self.expectations: list[str] = []
        self.registered_by = actor

    # --- commands --------------------------------------------------------------
    @classmethod
    def register(
        cls,
        *,
        actor: str,
        name: str,
        tier: str,
        owner_id: UUID,
        industry: str | None = None,
        region: str | None = None,
        size_grade: str | None = None,
        support_manager_id: UUID | None = None,
        customer_id: UUID | None = None,
    ) -> Customer:
        v = Validator()
        validate_profile(v, {"name": name, "tier": tier, "industry": industry, "region": region,
                             "size_grade": size_grade}, partial=False)
        v.done()
        return cls._create(
            cls.Registered, id=customer_id or uuid4(), actor=actor, name=name.strip(), tier=tier,
            owner_id=owner_id, industry=industry, region=region, size_grade=size_grade,
            support_manager_id=support_manager_id,
        )

    def update_profile(self, *, actor: str, **changes: Any) -> None:
        unknown = set(changes) - set(PROFILE_FIELDS)
        if unknown:
            raise InvalidInput.one(sorted(unknown)[0], "is not a profile field")
        v = Validator()
        validate_profile(v, changes, partial=True)
        v.check(any(val is not None for val in changes.values()), "body", "names no change")
        v.done()
        values = {f: changes.get(f) for f in PROFILE_FIELDS}
        if values["name"] is not None:
            values["name"] = values["name"].strip()
        self.trigger_event(self.ProfileUpdated, actor=actor, **values)

    def assign_owner(self, *, actor: str, owner_id: UUID) -> None:
        if owner_id == self.owner_id:
            raise InvalidInput.one("owner_id", "is already the owner")
        self.trigger_event(
            self.OwnerAssigned, actor=actor, owner_id=owner_id, previous_owner_id=self.owner_id
        )

    def assign_support_manager(self, *, actor: str, support_manager_id: UUID | None) -> None:
        self.trigger_event(
            self.SupportManagerAssigned, actor=actor, support_manager_id=support_manager_id
        )

    def move_to(self, *, actor: str, stage: str, effective_on: date,
                reason: str | None = None) -> None:
        """A stage set by hand: refused (422 on `stage`) where the facts forbid it
        (:func:`cs_domain.lifecycle.manual_refusal`)."""
        v = Validator()
        check_enum(v, Stage, stage, "stage")
        if reason is not None:
            check_text(v, reason, "reason", max_len=500)
        v.done()
        facts = StageFacts(stage=self.stage, onboarded_on=self.onboarded_on,
                           activated=self.activated)
        refusal = manual_refusal(facts, stage)
        if refusal is not None:
            raise InvalidInput.one("stage", refusal)
        self.trigger_event(
            self.StageChanged, actor=actor, stage=stage, previous_stage=self.stage,
            effective_on=effective_on, reason=reason,
        )

    def follow(self, fact: Fact, on: date, detail: str | None = None) -> bool:
        """Applies a dated fact by the stage rules (:func:`cs_domain.lifecycle.step`) as
        `system:lifecycle`; False when it changes nothing."""
        after = step(StagePoint(self.stage, self.stage_since, self.stage_by_hand), fact, on)
        if after is None:
            return False
        reason = REASONS[fact] if detail is None else f"{REASONS[fact]}: {detail}"
        self.trigger_event(
            self.StageChanged, actor=LIFECYCLE_ACTOR, stage=after.stage,
            previous_stage=self.stage, effective_on=after.since, reason=reason,
        )
        return True

    def add_contact(
        self, *, actor: str, name: str, role: str, level: str, attitude: str = "neutral",
        email: str | None = None, contact_id: UUID | None = None,
    ) -> UUID:
        v = Validator()
        check_text(v, name, "name")
        check_text(v, role, "role", max_len=100)
        check_enum(v, ContactLevel, level, "level")
        check_enum(v, Attitude, attitude, "attitude")
        if email is not None:
            v.check("@" in email and len(email) <= 200, "email", "must be an e-mail address")
        v.done()
        cid = contact_id or uuid4()
        self.trigger_event(
            self.ContactAdded, actor=actor, contact_id=cid, name=name.strip(), role=role,
            level=level, attitude=attitude, email=email,
        )
        return cid

    def remove_contact(self, *, actor: str, contact_id: UUID, reason: str | None = None) -> None:
        if str(contact_id) not in self.contacts:
            raise InvalidInput.one("contact_id", "is not a contact of this customer")
        self.trigger_event(self.ContactRemoved, actor=actor, contact_id=contact_id, reason=reason)

    def record_handover(
        self, *, actor: str, sales_rep: str, handed_over_on: date, summary: str,
        expectations: list[str],
    ) -> None:
        v = Validator()
        check_text(v, sales_rep, "sales_rep")
        check_text(v, summary, "summary", max_len=5000)
        v.check(all(isinstance(e, str) and e.strip() for e in expectations), "expectations",
                "must be non-empty texts")
        v.done()
        self.trigger_event(
            self.HandoverRecorded, actor=actor, sales_rep=sales_rep, handed_over_on=handed_over_on,
            summary=summary, expectations=list(expectations),
        )

    def agree_expectations(self, *, actor: str, expectations: list[str], agreed_on: date) -> None:
        v = Validator()
        v.check(bool(expectations) and all(isinstance(e, str) and e.strip() for e in expectations),
                "expectations", "must be a non-empty list of texts")
        v.done()
        self.trigger_event(
            self.ExpectationsAgreed, actor=actor, expectations=list(expectations),
            agreed_on=agreed_on,
        )

    @property
    def is_churned(self) -> bool:
        return self.stage == Stage.CHURNED
