"""What every part of one customer's story shares: the run's settings, its RNG, an agenda.

A story is a small discrete-event simulation: actions are put on an agenda at
their business date and run in date order (ties in the order they were put),
so each aggregate's events come out in the order they happened, and one action
can schedule the next (a renewal schedules the successor's activation). Only
actions dated on or before ``today`` run: the rest is the future.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from cs_demo.ids import DemoIds
from cs_demo.people import Team
from cs_demo.traits import Traits
from cs_domain.base import LedgerAggregate

# Day-to-day records (plans, projects, touchpoints, product terms) reach back this
# far: the team has worked in CS Ledger for 15 months; older contracts were imported.
RECORDS_DAYS = 450
# Weekly usage history kept from product analytics.
USAGE_WEEKS = 40


@dataclass(frozen=True)
class DemoContext:
    seed: int
    today: date
    ids: DemoIds
    team: Team

    @property
    def records_since(self) -> date:
        return self.today - timedelta(days=RECORDS_DAYS)

    @property
    def usage_since(self) -> date:
        monday = self.today - timedelta(days=self.today.weekday())
        return monday - timedelta(weeks=USAGE_WEEKS)


class Agenda:
    def __init__(self) -> None:
        self._heap: list[tuple[date, int, Callable[..., None], tuple[Any, ...]]] = []
        self._seq = itertools.count()

    def at(self, day: date, action: Callable[..., None], *args: Any) -> None:
        heapq.heappush(self._heap, (day, next(self._seq), action, args))

    def run(self, until: date) -> None:
        while self._heap and self._heap[0][0] <= until:
            day, _, action, args = heapq.heappop(self._heap)
            action(day, *args)


class StoryBase:
    """State shared by the parts of a story: who acts, the aggregates made so far."""

    def __init__(self, ctx: DemoContext, traits: Traits, rng: random.Random):
        self.ctx = ctx
        self.t = traits
        self.rng = rng
        self.agenda = Agenda()
        self.items: list[LedgerAggregate] = []
        self._serial = itertools.count(1)
        team = ctx.team
        self.owner = team.csms[traits.csm]
        self.actor = str(self.owner.id)
        self.support_actor = str(team.support[traits.support].id)
        managers = team.managers
        self.manager_actor = str(managers[traits.csm % len(managers)].id)
        self.customer_id = ctx.ids.of("customer", traits.index)
        self.engagements = 0  # 1 + the number of win-backs so far
        self.live_from: list[date] = []  # activation of each engagement (usage starts)
        self.ended_on: list[date] = []  # last contract day of each churned engagement

    @property
    def is_live(self) -> bool:
        return len(self.live_from) > len(self.ended_on)

    def new_id(self, kind: str) -> UUID:
        return self.ctx.ids.of(kind, self.t.index, next(self._serial))

    def keep(self, *aggregates: LedgerAggregate) -> None:
        self.items.extend(aggregates)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))

    def recorded(self, day: date) -> bool:
        """Day-to-day records exist from the team's start in CS Ledger on."""
        return day >= self.ctx.records_since
