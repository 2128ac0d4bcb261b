"""Generates the demo dataset into an application: the team, then customer after customer.

Each customer's story (its aggregates, built through their public methods) is
queued in a :class:`~cs_demo.batch.BatchWriter` that saves a few thousand events
per transaction. Memory stays flat: a batch is dropped once saved.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from cs_demo.batch import DEFAULT_BATCH_EVENTS, BatchWriter
from cs_demo.context import DemoContext
from cs_demo.ids import DemoIds
from cs_demo.people import DemoUser, create_team, plan_team
from cs_demo.story import CustomerStory
from cs_demo.team_notes import best_practices, weekly_briefs
from cs_demo.traits import draw_traits
from cs_demo.usage import usage_reports
from cs_domain.app import CustomerSuccess
from cs_domain.base import LedgerAggregate

# progress(customers done, events written so far)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DemoSummary:
    customers: int
    events: int
    seconds: float
    users: tuple[DemoUser, ...]

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


def customer_histories(ctx: DemoContext, customers: int) -> Iterator[list[LedgerAggregate]]:
    """Each customer's aggregates (unsaved, with their pending events), in order."""
    team = ctx.team
    used_names: set[str] = set()
    for index in range(customers):
        traits, rng = draw_traits(index, ctx.seed, ctx.today, len(team.csms), len(team.support),
                                  used_names)
        story = CustomerStory(ctx, traits, rng)
        story.write()
        reports = usage_reports(ctx, traits, rng, story.live_from, story.ended_on,
                                str(team.integration.id))
        yield [*story.items, *reports]


def generate(app: CustomerSuccess, customers: int, seed: int, today: date,
             progress: Progress | None = None,
             batch_events: int = DEFAULT_BATCH_EVENTS) -> DemoSummary:
    """Writes a deterministic demo history of `customers` customers as of `today`.

    The same seed and today give the same events (see :mod:`cs_demo.ids` for the
    two kinds of id the domain draws itself). The store should be empty: the
    demo's users and contract numbers would clash with an earlier load.
    """
    if customers < 1:
        raise ValueError("customers must be at least 1")
    started = time.perf_counter()
    before = app.max_position()
    team = plan_team(customers, seed)
    create_team(app, team)
    app.install_default_playbooks(actor=str(team.managers[0].id))
    ctx = DemoContext(seed=seed, today=today, ids=DemoIds(seed), team=team)
    writer = BatchWriter(app, batch_events)
    for index, aggregates in enumerate(customer_histories(ctx, customers)):
        if writer.add(aggregates) and progress is not None:
            progress(index + 1, app.max_position() - before)
    writer.add([*best_practices(ctx), *weekly_briefs(ctx)])
    writer.flush()
    events = app.max_position() - before
    if progress is not None:
        progress(customers, events)
    return DemoSummary(customers, events, time.perf_counter() - started, team.users)
