"""The dataset: the demo generator's log at the configured size, and pools of its items.

The log is the demo's (`cs_demo.generator.generate`), so the figures are for the
realistic mix of events a CS team writes (weekly usage, contracts and renewals,
customers, plans, risks, tasks ...), not a synthetic one. The pools are what the
write benchmarks act on: existing customers, live contracts and the demo users'
tokens.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from bench.common import Every, rate, say
from bench.config import SEED, TODAY, BenchConfig
from cs_demo.generator import generate
from cs_demo.ids import DemoIds
from cs_demo.people import Team, plan_team
from cs_domain.app import CustomerSuccess
from cs_domain.contract import LIVE, Contract
from cs_domain.errors import NotFound
from cs_store.chain import parse_recorded_at
from cs_store.factory import chain_recorder

POOL_CUSTOMERS = 2000
POOL_CONTRACTS = 1000
POOL_AS_OF = 200


@dataclass(frozen=True)
class Pools:
    customers: list[UUID]
    contracts: list[UUID]
    team: Team
    first_recorded: datetime
    last_recorded: datetime
    # When a sample of the customers was registered: reads "as of" pick a later moment.
    registered: dict[UUID, datetime]

    @property
    def manager_token(self) -> str:
        return self.team.managers[0].token

    @property
    def manager_id(self) -> UUID:
        return self.team.managers[0].id


def load_dataset(app: CustomerSuccess, config: BenchConfig, label: str) -> dict[str, Any]:
    """Generates the demo log into an empty store (or reuses a kept one); its figures."""
    existing = app.max_position()
    if existing:
        say(f"[{label}] reusing the dataset in the store: {existing:,} events")
        return {"generate_s": None, "generate_events_per_s": None}
    customers = config.customers
    say(f"[{label}] generating the demo log: {customers:,} customers (~{config.events:,} events)")
    every = Every(10.0)
    started = time.perf_counter()

    def progress(done: int, events: int) -> None:
        if every() or done == customers:
            elapsed = time.perf_counter() - started
            say(f"[{label}] generate: {done:,}/{customers:,} customers, {events:,} events "
                f"({events / max(elapsed, 1e-9):,.0f} events/s)")

    summary = generate(app, customers, SEED, TODAY, progress)
    return {"generate_s": round(summary.seconds, 1),
            "generate_events_per_s": rate(summary.events, summary.seconds)}


def _parse_time(text: str | None) -> datetime:
    if text is None:
        raise LookupError("the log is empty")
    return parse_recorded_at(text)


def build_pools(app: CustomerSuccess, config: BenchConfig) -> Pools:
    """Customers, live contracts and tokens the write benchmarks act on (not timed)."""
    ids = DemoIds(SEED)
    customers = [ids.of("customer", i) for i in range(min(config.customers, POOL_CUSTOMERS))]
    drafted = get_topic(Contract.Drafted)
    contracts: list[UUID] = []
    after = 0
    while len(contracts) < POOL_CONTRACTS:
        page = app.recorder.select_notifications(after, 500, topics=[drafted],
                                                 inclusive_of_start=False)
        if not page:
            break
        for n in page:
            try:
                contract = app.load(Contract, UUID(str(n.originator_id)))
            except NotFound:
                continue
            if contract.status in LIVE:
                contracts.append(contract.id)
        after = page[-1].id
    recorder = chain_recorder(app)
    head = app.max_position()
    registered = {c: _parse_time(recorder.select_timed_by_originator(c)[0].recorded_at)
                  for c in customers[::max(1, len(customers) // POOL_AS_OF)]}
    return Pools(
        customers=customers, contracts=contracts[:POOL_CONTRACTS],
        team=plan_team(config.customers, SEED),
        first_recorded=_parse_time(recorder.recorded_at_of(1)),
        last_recorded=_parse_time(recorder.recorded_at_of(head)),
        registered=registered,
    )
