"""What the stateful (RuleBasedStateMachine) tests share: a fresh store per example,
two application instances on it, and the checks every rule makes.

``live`` keeps every saved aggregate object in its cache (no fast-forward), so
``live.repository.get`` returns (a copy of) the object the commands mutated in
memory. ``replay`` is a second instance without a cache: :meth:`rebuilt` folds
the stored events read back through it, so "rebuilt equals live" compares the
in-memory result of the commands with what the store actually holds.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from cs_domain.app import CustomerSuccess
from cs_domain.application import CommandResult
from cs_store.wiring import event_store_env
from tests.conftest import PG_URL, drop_schema, make_settings
from tests.domain.helpers import public_state
from tests.profiles import examples

# Small but meaningful: every example builds its own store (and schema on PostgreSQL).
STATEFUL_SETTINGS = settings(
    max_examples=examples(20), stateful_step_count=20, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


class StoreMachine(RuleBasedStateMachine):
    """Base machine: set ``store_kind`` ("sqlite" or "postgres") in a subclass."""

    store_kind = "sqlite"

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="cs-stateful-"))
        self.settings = make_settings(self.store_kind, self.tmp)  # event tables only
        env = event_store_env(self.settings)
        self.live = CustomerSuccess(env={**env, "AGGREGATE_CACHE_MAXSIZE": "0",
                                         "AGGREGATE_CACHE_FASTFORWARD": "n"})
        self.replay = CustomerSuccess(env=env)

    def teardown(self) -> None:
        self.live.close()
        self.replay.close()
        drop_schema(self.settings)
        shutil.rmtree(self.tmp, ignore_errors=True)

    # --- helpers for rules and invariants ------------------------------------------
    def attempt(
        self, error: type[Exception] | None, command: Callable[[], CommandResult],
    ) -> CommandResult | None:
        """Runs a command expected to succeed (error=None) or to raise `error`; a failed
        command must leave the log head where it was."""
        head = self.live.max_position()
        if error is None:
            result = command()
            assert result.position == self.live.max_position() > head
            return result
        with pytest.raises(error):
            command()
        assert self.live.max_position() == head
        return None

    def rebuilt(self, item_id: UUID) -> Any:
        """The aggregate folded from its stored events, read by the second instance."""
        aggregate = None
        for event in self.replay.events.get(item_id):
            aggregate = event.mutate(aggregate)
        return aggregate

    def assert_rebuilt_equals_live(self, item_id: UUID) -> Any:
        live = self.live.repository.get(item_id)
        rebuilt = self.rebuilt(item_id)
        assert public_state(rebuilt) == public_state(live)
        return live


def run_machine(machine: type[StoreMachine], store_kind: str) -> None:
    if store_kind == "postgres" and not PG_URL:
        pytest.skip("PostgreSQL tests need CS_LEDGER_TEST_POSTGRES_URL (set by .ci/run)")
    bound = type(f"{machine.__name__}_{store_kind}", (machine,), {"store_kind": store_kind})
    run_state_machine_as_test(bound, settings=STATEFUL_SETTINGS)
