"""A fault injected into the automation's decision step (the one thing the parking tests
replace): reacting to one contract's activation raises, every other event is decided as
usual. Returns the real `react`, to put back when the "fix" is deployed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from automation import process as process_module
from cs_domain.contract import Contract


def poison_activation(monkeypatch: pytest.MonkeyPatch, contract_id: UUID | str) -> Any:
    real = process_module.react

    def react(r, catalog, event, known_on):  # type: ignore[no-untyped-def]
        if isinstance(event, Contract.Activated) and str(event.originator_id) == str(contract_id):
            raise RuntimeError("cannot decide")
        return real(r, catalog, event, known_on)

    monkeypatch.setattr(process_module, "react", react)
    return real
