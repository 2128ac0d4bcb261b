"""Health model commands: record a new version of a model; activate a version; record a
trained churn model version."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from cs_domain.application import CommandResult, LedgerApplication
from cs_domain.churn_model import REGISTRY_ID as CHURN_REGISTRY_ID
from cs_domain.churn_model import ChurnModelRegistry
from cs_domain.errors import NotFound
from cs_domain.health_model import REGISTRY_ID, HealthModelRegistry
from cs_domain.rules import HealthModel


class HealthModelCommands(LedgerApplication):
    def health_models(self) -> HealthModelRegistry:
        """The registry as recorded (an unopened one: only the built-in seed-004 model)."""
        try:
            return self.load(HealthModelRegistry, REGISTRY_ID)
        except NotFound:
            return HealthModelRegistry.open(actor="system")

    def define_health_model(self, *, actor: str, name: str, weights: dict[str, Any],
                            yellow_from: Any, green_from: Any,
                            description: str) -> CommandResult:
        registry = self.health_models()
        model: HealthModel = registry.define(
            actor=actor, name=name, weights=weights, yellow_from=yellow_from,
            green_from=green_from, description=description)
        return self.result(registry, self.commit(registry), name=model.name,
                           model_version=model.version)

    def activate_health_model(self, *, actor: str, name: str, version: int) -> CommandResult:
        registry = self.health_models()
        changed = registry.activate(actor=actor, name=name, version=version)
        position = self.commit(registry) if changed else self.max_position()
        return self.result(registry, position, changed=changed)

    def churn_models(self) -> ChurnModelRegistry:
        """The churn model registry as recorded (an unopened one: no model yet)."""
        try:
            return self.load(ChurnModelRegistry, CHURN_REGISTRY_ID)
        except NotFound:
            return ChurnModelRegistry.open(actor="system")

    def record_churn_model(self, *, actor: str, horizon_days: int, trained_until: date,
                           features: Sequence[str], metrics: Mapping[str, Any],
                           sha256: str) -> CommandResult:
        """Records a trained churn model version (`cs-ledger predict train`)."""
        registry = self.churn_models()
        version = registry.record(actor=actor, horizon_days=horizon_days,
                                  trained_until=trained_until, features=features,
                                  metrics=metrics, sha256=sha256)
        return self.result(registry, self.commit(registry), model_version=version)
