"""Classification commands (seed 001 §二.1): record a best practice of a class cell."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from cs_domain.application import CommandResult, LedgerApplication
from cs_domain.classification import BestPractice


class ClassificationCommands(LedgerApplication):
    def record_best_practice(self, *, actor: str, level: Any, usage_class: Any, text: Any,
                             practice_id: UUID | None = None) -> CommandResult:
        practice = BestPractice.record(actor=actor, level=level, usage_class=usage_class,
                                       text=text, practice_id=practice_id)
        return self.result(practice, self.commit(practice))
