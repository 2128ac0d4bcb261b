"""Health model commands: record a new version of a model; activate a version."""

from __future__ import annotations

from typing import Any

from cs_domain.application import CommandResult, LedgerApplication
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
