"""Playbook (手册, seed 002): a versioned definition of what to do when a signal fires.

A definition names its trigger (kind + parameters), the customer goal and the
business goal, ordered actions (title, owner role, channel, offset in days from
the trigger date) and success metrics. Managers define and revise playbooks;
each revision bumps `definition_version`, and every run records the version it
followed, so effectiveness can be compared per version.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any
from uuid import UUID

from cs_domain.base import LedgerAggregate, check_enum, check_text, index_id
from cs_domain.business_change import BusinessChangeKind
from cs_domain.errors import Validator
from cs_domain.touchpoint import TouchpointKind


class TriggerKind(StrEnum):
    CONTRACT_ACTIVATED = "contract_activated"  # onboarding
    USAGE_DROP = "usage_drop"  # params: drop_ratio, window_days
    INACTIVITY = "inactivity"  # params: days
    RENEWAL_WINDOW = "renewal_window"  # params: days_before (the first checkpoint)
    USAGE_GROWTH = "usage_growth"  # params: weeks, growth_ratio
    QUARTERLY = "quarterly"  # params: tiers
    CONTRACT_CHURNED = "contract_churned"  # win-back
    BUSINESS_CHANGE = "business_change"  # params: kinds (optional: the change kinds it reacts to)
    NO_REPLY = "no_reply"  # params: days (outreach unanswered that long; cs_domain.signals)
    CHURN_RISK = "churn_risk"  # params: threshold (0.05..0.99), horizon_days (7..365, 30)


class OwnerRole(StrEnum):
    """Who gets an action's task: the customer's owner CSM unless the role says otherwise."""

    OWNER_CSM = "owner_csm"
    SUPPORT_MANAGER = "support_manager"


class Channel(StrEnum):
    EMAIL = "email"
    CALL = "call"
    MEETING = "meeting"
    IN_APP = "in_app"
    ONSITE = "onsite"
    INTERNAL = "internal"


class MetricKind(StrEnum):
    TASKS_DONE = "tasks_done"  # every step done within `within_days`
    MEETING_HELD = "meeting_held"  # the step named by `step` done within `within_days`
    USAGE_RECOVERED = "usage_recovered"  # active days back to the pre-drop level
    RENEWED = "renewed"  # the contract that triggered the run was renewed
    REACTIVATED = "reactivated"  # a churned customer signed again


def _check_actions(v: Validator, actions: Any) -> None:
    if not isinstance(actions, list) or not actions:
        v.check(False, "actions", "must be a non-empty list")
        return
    for i, a in enumerate(actions):
        f = f"actions[{i}]"
        if not isinstance(a, dict):
            v.check(False, f, "must be an object")
            continue
        check_text(v, a.get("title"), f"{f}.title")
        check_enum(v, OwnerRole, a.get("owner_role"), f"{f}.owner_role")
        check_enum(v, Channel, a.get("channel"), f"{f}.channel")
        offset = a.get("offset_days")
        v.check(isinstance(offset, int) and not isinstance(offset, bool) and 0 <= offset <= 730,
                f"{f}.offset_days", "must be a whole number of days from 0 to 730")
        _check_optional_action_fields(v, a, f)


MAX_COMPLETED_BY = 6


def _check_optional_action_fields(v: Validator, a: dict[str, Any], f: str) -> None:
    """`must_happen` (a late run catches this step up) and `completed_by` (the touchpoint
    kinds that complete this step, at most 6): both optional."""
    v.check(a.get("must_happen") in (None, True, False), f"{f}.must_happen",
            "must be true or false")
    kinds = a.get("completed_by")
    if kinds is None:
        return
    ok = isinstance(kinds, list) and len(kinds) <= MAX_COMPLETED_BY and all(
        k in TouchpointKind.__members__.values() for k in kinds)
    v.check(ok, f"{f}.completed_by", f"must be a list of at most {MAX_COMPLETED_BY} touchpoint "
            f"kinds ({', '.join(TouchpointKind)})")


def _check_metrics(v: Validator, metrics: Any, step_count: int) -> None:
    if not isinstance(metrics, list):
        v.check(False, "success_metrics", "must be a list")
        return
    for i, m in enumerate(metrics):
        f = f"success_metrics[{i}]"
        if not isinstance(m, dict):
            v.check(False, f, "must be an object")
            continue
        check_text(v, m.get("name"), f"{f}.name")
        check_enum(v, MetricKind, m.get("kind"), f"{f}.kind")
        within = m.get("within_days")
        v.check(isinstance(within, int) and not isinstance(within, bool) and 0 < within <= 730,
                f"{f}.within_days", "must be a whole number of days from 1 to 730")
        if m.get("kind") == MetricKind.MEETING_HELD:
            step = m.get("step")
            v.check(isinstance(step, int) and 0 <= step < step_count, f"{f}.step",
                    "must be the index of one of the actions")


def _check_trigger(v: Validator, kind: Any, params: Any) -> None:
    check_enum(v, TriggerKind, kind, "trigger_kind")
    if not isinstance(params, dict):
        v.check(False, "trigger_params", "must be an object")
        return
    # Whole days/weeks, and ratios given as numbers or decimal strings ("0.30").
    whole = {"window_days", "days", "days_before", "weeks"}
    number_params = {
        TriggerKind.USAGE_DROP: ("drop_ratio", "window_days"),
        TriggerKind.INACTIVITY: ("days",),
        TriggerKind.RENEWAL_WINDOW: ("days_before",),
        TriggerKind.USAGE_GROWTH: ("weeks", "growth_ratio"),
        TriggerKind.NO_REPLY: ("days",),
    }
    if kind == TriggerKind.BUSINESS_CHANGE and params.get("kinds") is not None:
        kinds = params["kinds"]
        ok = isinstance(kinds, list) and 0 < len(kinds) <= len(BusinessChangeKind) and all(
            isinstance(k, str) and k in BusinessChangeKind.__members__.values() for k in kinds)
        v.check(ok, "trigger_params.kinds", "must be a non-empty list of business change kinds "
                f"({', '.join(BusinessChangeKind)})")
    if kind == TriggerKind.CHURN_RISK:
        _check_churn_risk(v, params)
    for name in number_params.get(kind, ()):  # type: ignore[call-overload]
        value = params.get(name)
        field = f"trigger_params.{name}"
        if name in whole:
            ok = isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 730
            v.check(ok, field, "is required and must be a whole number from 1 to 730")
            continue
        try:
            ratio = Decimal(str(value)) if not isinstance(value, bool) and value is not None \
                else None
        except InvalidOperation:
            ratio = None
        ok = ratio is not None and ratio.is_finite() and 0 < ratio <= (1 if name == "drop_ratio"
                                                                       else 100)
        v.check(ok, field, "is required and must be a ratio greater than 0"
                + (" and at most 1" if name == "drop_ratio" else ""))


CHURN_THRESHOLD_MIN, CHURN_THRESHOLD_MAX = Decimal("0.05"), Decimal("0.99")


def _check_churn_risk(v: Validator, params: dict[str, Any]) -> None:
    """threshold: a probability 0.05..0.99 (required); horizon_days: 7..365 (default 30)."""
    value = params.get("threshold")
    try:
        threshold = Decimal(str(value)) if not isinstance(value, bool) and value is not None \
            else None
    except InvalidOperation:
        threshold = None
    v.check(threshold is not None and threshold.is_finite()
            and CHURN_THRESHOLD_MIN <= threshold <= CHURN_THRESHOLD_MAX,
            "trigger_params.threshold",
            f"is required and must be a probability from {CHURN_THRESHOLD_MIN} to "
            f"{CHURN_THRESHOLD_MAX}")
    horizon = params.get("horizon_days", 30)
    v.check(isinstance(horizon, int) and not isinstance(horizon, bool) and 7 <= horizon <= 365,
            "trigger_params.horizon_days", "must be a whole number of days from 7 to 365")


def validate_definition(fields: dict[str, Any]) -> None:
    v = Validator()
    check_text(v, fields.get("name"), "name")
    check_text(v, fields.get("customer_goal"), "customer_goal", max_len=2000)
    check_text(v, fields.get("business_goal"), "business_goal", max_len=2000)
    _check_trigger(v, fields.get("trigger_kind"), fields.get("trigger_params"))
    _check_actions(v, fields.get("actions"))
    actions = fields.get("actions")
    _check_metrics(v, fields.get("success_metrics"), len(actions) if isinstance(actions, list) else 0)
    v.done()


DEFINITION_FIELDS = ("name", "trigger_kind", "trigger_params", "customer_goal", "business_goal",
                     "actions", "success_metrics")


class Playbook(LedgerAggregate):
    KIND = "playbook"

    class Defined(LedgerAggregate.Created):
        actor: str
        key: str
        name: str
        trigger_kind: str
        trigger_params: dict[str, Any]
        customer_goal: str
        business_goal: str
        actions: list[dict[str, Any]]
        success_metrics: list[dict[str, Any]]

    class Revised(LedgerAggregate.Event):
        actor: str
        definition_version: int
        name: str
        trigger_kind: str
        trigger_params: dict[str, Any]
        customer_goal: str
        business_goal: str
        actions: list[dict[str, Any]]
        success_metrics: list[dict[str, Any]]

        def apply(self, p: Playbook) -> None:
            p.definition_version = self.definition_version
            for f in DEFINITION_FIELDS:
                setattr(p, f, getattr(self, f))

    class Retired(LedgerAggregate.Event):
        actor: str
        reason: str

        def apply(self, p: Playbook) -> None:
            p.active = False

    class Reinstated(LedgerAggregate.Event):
        actor: str

        def apply(self, p: Playbook) -> None:
            p.active = True

    def __init__(
        self, actor: str, key: str, name: str, trigger_kind: str, trigger_params: dict[str, Any],
        customer_goal: str, business_goal: str, actions: list[dict[str, Any]],
        success_metrics: list[dict[str, Any]],
    ):
        self.key = key
        self.name = name
        self.trigger_kind = trigger_kind
        self.trigger_params = trigger_params
        self.customer_goal = customer_goal
        self.business_goal = business_goal
        self.actions = actions
        self.success_metrics = success_metrics
        self.definition_version = 1
        self.active = True

    @staticmethod
    def id_for(key: str) -> UUID:
        return index_id("playbook", key.strip().casefold())

    @classmethod
    def define(cls, *, actor: str, key: str, **fields: Any) -> Playbook:
        v = Validator()
        v.check(isinstance(key, str) and key.replace("_", "").replace("-", "").isalnum()
                and 0 < len(key) <= 64, "key", "must be 1-64 letters, digits, '-' or '_'")
        v.done()
        validate_definition(fields)
        return cls._create(cls.Defined, id=cls.id_for(key), actor=actor, key=key,
                           **{f: fields[f] for f in DEFINITION_FIELDS})

    def revise(self, *, actor: str, **fields: Any) -> None:
        merged = {f: fields.get(f, getattr(self, f)) for f in DEFINITION_FIELDS}
        merged = {f: (getattr(self, f) if merged[f] is None else merged[f]) for f in merged}
        validate_definition(merged)
        if not self.active:
            raise self.refuse("revise", "retired")
        self.trigger_event(self.Revised, actor=actor,
                           definition_version=self.definition_version + 1, **merged)

    def retire(self, *, actor: str, reason: str) -> None:
        v = Validator()
        check_text(v, reason, "reason", max_len=2000)
        v.done()
        if not self.active:
            raise self.refuse("retire", "retired")
        self.trigger_event(self.Retired, actor=actor, reason=reason)

    def reinstate(self, *, actor: str) -> None:
        if self.active:
            raise self.refuse("reinstate", "active")
        self.trigger_event(self.Reinstated, actor=actor)

    def definition(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in DEFINITION_FIELDS}
