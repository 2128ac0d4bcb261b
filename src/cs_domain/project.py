"""Project (项目): implementation delivery of a contract, in ordered, weighted stages.

The default stages are kickoff, deployment, training, go-live and acceptance,
weighted 10/30/20/25/15 (sum 100); a project may bring its own list (unique
names, positive int or Decimal weights). Stages are kept in order for display,
but the order is not enforced: deployment and training often overlap. A stage is
pending → in_progress → done, and a done stage can be reopened (back to
in_progress). The project is active until it is completed (only once every
stage is done) or cancelled; both are final.

Progress (seed 000 "进度条") is completed weight / total weight, a Decimal ratio
in 0..1, rounded down to 4 places so that it is 1 exactly when, and only when,
every stage is done. A contract's progress is the weight-average of its
projects' progress (weighted by each project's total stage weight), leaving out
cancelled projects: :func:`contract_progress`, which the read side reuses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID, uuid4

from cs_domain.base import LedgerAggregate, check_text
from cs_domain.errors import InvalidInput, Validator
from cs_domain.number_checks import as_decimal, check_date, check_not_before, is_number

DEFAULT_STAGES: tuple[tuple[str, int], ...] = (
    ("kickoff", 10), ("deployment", 30), ("training", 20), ("go-live", 25), ("acceptance", 15),
)
MAX_STAGES = 30
MAX_WEIGHT = Decimal(1_000_000)
PROGRESS_STEP = Decimal("0.0001")

StageSpec = tuple[str, int | Decimal] | Mapping[str, Any]


class ProjectStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class StageStatus(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    DONE = "done"


def progress_ratio(completed_weight: Decimal, total_weight: Decimal) -> Decimal:
    """completed / total in 0..1, rounded down so only a full completion reads 1."""
    if total_weight <= 0:
        return Decimal(0)
    return (completed_weight / total_weight).quantize(PROGRESS_STEP, rounding=ROUND_DOWN)


class HasWeights(Protocol):
    @property
    def completed_weight(self) -> Decimal: ...
    @property
    def total_weight(self) -> Decimal: ...
    @property
    def is_cancelled(self) -> bool: ...


@dataclass(frozen=True)
class ProjectWeights:
    """What the read side keeps per project to draw a contract's progress bar."""

    completed_weight: Decimal
    total_weight: Decimal
    is_cancelled: bool = False


def contract_progress(projects: Iterable[HasWeights]) -> Decimal | None:
    """Weight-average progress of a contract's projects; None when none is delivering.

    Equals the sum of completed stage weight over the sum of total stage weight of
    the contract's projects that are not cancelled.
    """
    live = [p for p in projects if not p.is_cancelled]
    if not live:
        return None
    return progress_ratio(sum((p.completed_weight for p in live), Decimal(0)),
                          sum((p.total_weight for p in live), Decimal(0)))


def _stage_parts(spec: Any) -> tuple[Any, Any]:
    if isinstance(spec, Mapping):
        return spec.get("name"), spec.get("weight")
    if isinstance(spec, tuple | list) and len(spec) == 2:
        return spec[0], spec[1]
    return None, None


def normalise_stages(v: Validator, stages: Sequence[StageSpec] | None) -> list[dict[str, Any]]:
    """Validates a custom stage list (or takes the default) as [{name, weight}]."""
    specs: Sequence[Any] = DEFAULT_STAGES if stages is None else stages
    if not isinstance(specs, Sequence) or isinstance(specs, str) or not 0 < len(specs) <= MAX_STAGES:
        v.check(False, "stages", f"must list 1 to {MAX_STAGES} stages")
        return []
    result: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, spec in enumerate(specs):
        name, weight = _stage_parts(spec)
        ok_name = isinstance(name, str) and 0 < len(name.strip()) <= 100
        v.check(ok_name, f"stages[{i}].name", "must be non-empty text of at most 100 characters")
        ok_weight = is_number(weight) and 0 < weight <= MAX_WEIGHT
        v.check(ok_weight, f"stages[{i}].weight", f"must be a number greater than 0, at most {MAX_WEIGHT}")
        if ok_name:
            key = name.strip().casefold()
            v.check(key not in seen, f"stages[{i}].name", "must be unique within the project")
            seen.add(key)
        if ok_name and ok_weight:
            result.append({"name": name.strip(), "weight": as_decimal(weight)})
    return result


class Project(LedgerAggregate):
    KIND = "project"

    class Opened(LedgerAggregate.Created):
        actor: str
        customer_id: UUID
        contract_id: UUID
        name: str
        opened_on: date
        stages: list[dict[str, Any]]

    class StageStarted(LedgerAggregate.Event):
        actor: str
        stage: str
        started_on: date

        def apply(self, p: Project) -> None:
            s = p.stages[p.index_of(self.stage)]
            s["status"], s["started_on"] = StageStatus.IN_PROGRESS.value, self.started_on

    class StageCompleted(LedgerAggregate.Event):
        actor: str
        stage: str
        completed_on: date

        def apply(self, p: Project) -> None:
            s = p.stages[p.index_of(self.stage)]
            s["status"], s["completed_on"] = StageStatus.DONE.value, self.completed_on

    class StageReopened(LedgerAggregate.Event):
        actor: str
        stage: str
        reopened_on: date
        reason: str

        def apply(self, p: Project) -> None:
            s = p.stages[p.index_of(self.stage)]
            s["status"], s["completed_on"] = StageStatus.IN_PROGRESS.value, None

    class Completed(LedgerAggregate.Event):
        actor: str
        completed_on: date

        def apply(self, p: Project) -> None:
            p.status, p.completed_on = ProjectStatus.COMPLETED.value, self.completed_on

    class Cancelled(LedgerAggregate.Event):
        actor: str
        cancelled_on: date
        reason: str

        def apply(self, p: Project) -> None:
            p.status, p.cancelled_on = ProjectStatus.CANCELLED.value, self.cancelled_on

    def __init__(self, actor: str, customer_id: UUID, contract_id: UUID, name: str,
                 opened_on: date, stages: list[dict[str, Any]]):
        self.customer_id = customer_id
        self.contract_id = contract_id
        self.name = name
        self.opened_on = opened_on
        # Copies: state must never share mutable parts with the (pending) event.
        self.stages: list[dict[str, Any]] = [
            {"name": s["name"], "weight": s["weight"], "status": StageStatus.PENDING.value,
             "started_on": None, "completed_on": None} for s in stages
        ]
        self.status: str = ProjectStatus.ACTIVE.value
        self.completed_on: date | None = None
        self.cancelled_on: date | None = None

    @classmethod
    def open(
        cls, *, actor: str, customer_id: UUID, contract_id: UUID, name: str, opened_on: date,
        stages: Sequence[StageSpec] | None = None, project_id: UUID | None = None,
    ) -> Project:
        normalised = cls.check_opening(name=name, opened_on=opened_on, stages=stages)
        return cls._create(
            cls.Opened, id=project_id or uuid4(), actor=actor, customer_id=customer_id,
            contract_id=contract_id, name=name.strip(), opened_on=opened_on, stages=normalised,
        )

    @staticmethod
    def check_opening(*, name: str, opened_on: date,
                      stages: Sequence[StageSpec] | None) -> list[dict[str, Any]]:
        """Validates a new project's fields (before its contract is even loaded)."""
        v = Validator()
        check_text(v, name, "name")
        check_date(v, opened_on, "opened_on")
        normalised = normalise_stages(v, stages)
        v.done()
        return normalised

    # --- queries -----------------------------------------------------------------
    def index_of(self, stage: str) -> int:
        key = stage.strip().casefold() if isinstance(stage, str) else None
        for i, s in enumerate(self.stages):
            if s["name"].casefold() == key:
                return i
        raise InvalidInput.one("stage", f"is not a stage of this project "
                                        f"({', '.join(s['name'] for s in self.stages)})")

    @property
    def total_weight(self) -> Decimal:
        return sum((s["weight"] for s in self.stages), Decimal(0))

    @property
    def completed_weight(self) -> Decimal:
        return sum((s["weight"] for s in self.stages if s["status"] == StageStatus.DONE),
                   Decimal(0))

    @property
    def is_cancelled(self) -> bool:
        return self.status == ProjectStatus.CANCELLED

    @property
    def all_stages_done(self) -> bool:
        return all(s["status"] == StageStatus.DONE for s in self.stages)

    def progress(self) -> Decimal:
        return progress_ratio(self.completed_weight, self.total_weight)

    # --- commands ----------------------------------------------------------------
    def _stage_step(self, action: str, stage: str, on: date, field: str,
                    allowed: set[str]) -> dict[str, Any]:
        v = Validator()
        check_not_before(v, on, field, self.opened_on, "opened_on")
        v.done()
        s = self.stages[self.index_of(stage)]
        if self.status != ProjectStatus.ACTIVE:
            raise self.refuse(f"{action} a stage of", self.status)
        if s["status"] not in allowed:
            raise self.refuse(f"{action} the {s['name']} stage of",
                              f"at a stage that is {s['status']}")
        return s

    def start_stage(self, *, actor: str, stage: str, started_on: date) -> None:
        s = self._stage_step("start", stage, started_on, "started_on", {StageStatus.PENDING.value})
        self.trigger_event(self.StageStarted, actor=actor, stage=s["name"], started_on=started_on)

    def complete_stage(self, *, actor: str, stage: str, completed_on: date) -> None:
        """Completes a stage; a pending stage may be completed without being started."""
        s = self._stage_step("complete", stage, completed_on, "completed_on",
                             {StageStatus.PENDING.value, StageStatus.IN_PROGRESS.value})
        if s["started_on"] is not None and completed_on < s["started_on"]:
            raise InvalidInput.one("completed_on", "must not be before the stage's started_on "
                                                   f"({s['started_on'].isoformat()})")
        self.trigger_event(self.StageCompleted, actor=actor, stage=s["name"],
                           completed_on=completed_on)

    def reopen_stage(self, *, actor: str, stage: str, reopened_on: date, reason: str) -> None:
        v = Validator()
        check_text(v, reason, "reason", max_len=5000)
        v.done()
        s = self._stage_step("reopen", stage, reopened_on, "reopened_on", {StageStatus.DONE.value})
        self.trigger_event(self.StageReopened, actor=actor, stage=s["name"],
                           reopened_on=reopened_on, reason=reason.strip())

    def complete(self, *, actor: str, completed_on: date) -> None:
        last_done = max((s["completed_on"] for s in self.stages if s["completed_on"]),
                        default=self.opened_on)
        v = Validator()
        check_not_before(v, completed_on, "completed_on", last_done, "the last stage completion")
        v.done()
        if self.status != ProjectStatus.ACTIVE:
            raise self.refuse("complete", self.status)
        if not self.all_stages_done:
            open_stages = sum(1 for s in self.stages if s["status"] != StageStatus.DONE)
            raise self.refuse("complete", f"active with {open_stages} stage(s) not done")
        self.trigger_event(self.Completed, actor=actor, completed_on=completed_on)

    def cancel(self, *, actor: str, cancelled_on: date, reason: str) -> None:
        v = Validator()
        check_not_before(v, cancelled_on, "cancelled_on", self.opened_on, "opened_on")
        check_text(v, reason, "reason", max_len=5000)
        v.done()
        if self.status != ProjectStatus.ACTIVE:
            raise self.refuse("cancel", self.status)
        self.trigger_event(self.Cancelled, actor=actor, cancelled_on=cancelled_on,
                           reason=reason.strip())
