"""Health models as data: named, versioned definitions and which one is active.

One registry aggregate (a fixed id) holds every definition, so the version numbers of a
name are dense and the active model is one fact: ``Defined`` records a new version of a
name (weights, bands, description), ``Activated`` makes a version the one the health view
scores new usage reports with. Low volume (a handful of definitions a year), so a single
aggregate's optimistic lock is the simplest correct choice.

The seed-004 model (:data:`cs_domain.rules.DEFAULT_HEALTH_MODEL`, ``seed-004`` version 1)
is built in: present on every store without anyone recording it, and active until
another version is activated. Recording a model named ``seed-004`` gives version 2.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cs_domain.base import LedgerAggregate, check_text, index_id
from cs_domain.errors import InvalidInput, NotFound, Validator
from cs_domain.rules import DEFAULT_HEALTH_MODEL, HealthModel

REGISTRY_ID = index_id("health-models", "registry")
WEIGHTS = ("active_days_weight", "adoption_weight", "issue_penalty", "nps_weight",
           "depth_weight", "breadth_weight", "risk_penalty")
MAX_WEIGHT = Decimal(1000)
MAX_MODELS = 1000  # versions in the registry, all names together
NAME_MAX, DESCRIPTION_MAX = 64, 500


def model_fields(model: HealthModel) -> dict[str, Any]:
    """The event fields of a model (every Decimal kept exactly)."""
    return {"name": model.name, "version": model.version,
            **{w: getattr(model, w) for w in WEIGHTS},
            "yellow_from": model.yellow_from, "green_from": model.green_from,
            "description": model.description}


def check_definition(name: Any, weights: dict[str, Any], yellow_from: Any, green_from: Any,
                     description: Any) -> None:
    """Bounded validation of a definition, every error naming its field."""
    v = Validator()
    check_text(v, name, "name", max_len=NAME_MAX)
    check_text(v, description, "description", max_len=DESCRIPTION_MAX)
    for field in WEIGHTS:
        value = weights.get(field)
        ok = (isinstance(value, Decimal) and value.is_finite() and 0 <= value <= MAX_WEIGHT
              and value.as_tuple().exponent >= -4)  # type: ignore[operator]
        v.check(ok, f"weights.{field}",
                f"must be a number between 0 and {MAX_WEIGHT} with at most 4 places")
    v.done()
    try:  # bands: 0 ≤ yellow_from ≤ green_from ≤ 100 (HealthModel's own checks)
        HealthModel(name=name, yellow_from=yellow_from, green_from=green_from)
    except InvalidInput as error:
        raise InvalidInput.one(*_first(error)) from None


def _first(error: InvalidInput) -> tuple[str, str]:
    first = error.errors[0]
    return f"bands.{first.field}", first.message


class HealthModelRegistry(LedgerAggregate):
    KIND = "health model registry"

    class Opened(LedgerAggregate.Created):
        actor: str

    class Defined(LedgerAggregate.Event):
        actor: str
        name: str
        version: int
        active_days_weight: Decimal
        adoption_weight: Decimal
        issue_penalty: Decimal
        nps_weight: Decimal
        depth_weight: Decimal
        breadth_weight: Decimal
        risk_penalty: Decimal  # absent from versions defined before it existed: 0
        yellow_from: Decimal
        green_from: Decimal
        description: str

        def apply(self, aggregate: Any) -> None:
            fields = {k: v for k, v in self.__dict__.items()
                      if k in model_fields(DEFAULT_HEALTH_MODEL)}
            aggregate.models[(self.name, self.version)] = HealthModel(**fields)

    class Activated(LedgerAggregate.Event):
        actor: str
        name: str
        version: int

        def apply(self, aggregate: Any) -> None:
            aggregate.active = (self.name, self.version)

    def __init__(self, actor: str) -> None:
        builtin = DEFAULT_HEALTH_MODEL
        self.models: dict[tuple[str, int], HealthModel] = {
            (builtin.name, builtin.version): builtin}
        self.active: tuple[str, int] = (builtin.name, builtin.version)

    @classmethod
    def open(cls, actor: str) -> HealthModelRegistry:
        return cls._create(cls.Opened, id=REGISTRY_ID, actor=actor)

    def next_version(self, name: str) -> int:
        return max((v for n, v in self.models if n == name), default=0) + 1

    def find(self, name: str, version: int) -> HealthModel:
        found = self.models.get((name, version))
        if found is None:
            raise NotFound("health model", f"{name}:{version}")
        return found

    def define(self, *, actor: str, name: str, weights: dict[str, Any], yellow_from: Any,
               green_from: Any, description: str) -> HealthModel:
        weights = {"risk_penalty": Decimal(0), **weights}  # optional (defined later)
        check_definition(name, weights, yellow_from, green_from, description)
        if len(self.models) >= MAX_MODELS:
            raise InvalidInput.one("name", f"the registry holds at most {MAX_MODELS} versions")
        version = self.next_version(name)
        self.trigger_event(self.Defined, actor=actor, name=name, version=version,
                           **{w: weights[w] for w in WEIGHTS}, yellow_from=yellow_from,
                           green_from=green_from, description=description)
        return self.models[(name, version)]

    def activate(self, *, actor: str, name: str, version: int) -> bool:
        """Makes the version active; False (nothing recorded) when it already is."""
        self.find(name, version)
        if self.active == (name, version):
            return False
        self.trigger_event(self.Activated, actor=actor, name=name, version=version)
        return True
