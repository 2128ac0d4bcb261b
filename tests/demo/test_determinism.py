"""Same seed and same today → the same events; another seed → another dataset."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from cs_demo.generator import generate
from cs_domain.app import CustomerSuccess
from tests.demo.support import decoded_log

TODAY = date(2026, 11, 30)


class Renaming:
    """Ids the generator chooses (uuid5 from the seed) must be equal. The kinds the domain
    draws itself with uuid4 (successor contracts, template milestones, the tasks a risk
    strategy creates) may differ, but only as a consistent one-to-one renaming."""

    def __init__(self) -> None:
        self.forward: dict[UUID, UUID] = {}
        self.backward: dict[UUID, UUID] = {}

    def same(self, a: Any, b: Any) -> bool:
        if isinstance(a, UUID) and isinstance(b, UUID):
            if a.version == 5 or b.version == 5:
                return a == b
            return self.forward.setdefault(a, b) == b and self.backward.setdefault(b, a) == a
        if isinstance(a, dict) and isinstance(b, dict):
            return a.keys() == b.keys() and all(self.same(a[k], b[k]) for k in a)
        if isinstance(a, list | tuple) and isinstance(b, list | tuple):
            return len(a) == len(b) and all(self.same(x, y) for x, y in zip(a, b, strict=True))
        return type(a) is type(b) and a == b


def test_same_seed_gives_the_same_events(app: CustomerSuccess, other_app: CustomerSuccess) -> None:
    first = generate(app, 24, seed=7, today=TODAY, batch_events=500)
    second = generate(other_app, 24, seed=7, today=TODAY, batch_events=300)
    log_a, log_b = decoded_log(app), decoded_log(other_app)
    assert first.events == second.events == len(log_a) == len(log_b) > 24 * 30
    renaming = Renaming()
    for (topic_a, id_a, version_a, state_a), (topic_b, id_b, version_b, state_b) in zip(
        log_a, log_b, strict=True
    ):
        assert (topic_a, version_a) == (topic_b, version_b)
        assert renaming.same(id_a, id_b), (topic_a, id_a, id_b)
        assert renaming.same(state_a, state_b), (topic_a, state_a, state_b)
    # Only the ids the domain draws itself were renamed: every other id is seed-derived.
    successors = {i for t, i, _, s in log_a
                  if t.endswith("Contract.Drafted") and s["predecessor_id"] is not None}
    milestones = {m["milestone_id"] for t, _, _, s in log_a if t.endswith("SuccessPlan.Drafted")
                  for m in s["milestones"]}
    strategy_tasks = {i for t, i, _, s in log_a
                      if t.endswith("Task.Created") and s["source_kind"] == "risk"}
    assert successors and milestones and strategy_tasks
    assert set(renaming.forward) == successors | milestones | strategy_tasks


def test_another_seed_gives_another_dataset(app: CustomerSuccess,
                                            other_app: CustomerSuccess) -> None:
    generate(app, 5, seed=1, today=TODAY)
    generate(other_app, 5, seed=2, today=TODAY)
    names_a = [s["name"] for t, _, _, s in decoded_log(app) if t.endswith("Customer.Registered")]
    names_b = [s["name"] for t, _, _, s in decoded_log(other_app)
               if t.endswith("Customer.Registered")]
    assert len(names_a) == len(names_b) == 5
    assert names_a != names_b


def first_starts(app: CustomerSuccess) -> list[date]:
    """The first contract start of each customer, in customer order."""
    starts: dict[UUID, date] = {}
    for topic, _, _, state in decoded_log(app):
        if topic.endswith("Contract.Drafted"):
            starts.setdefault(state["customer_id"], state["start_date"])
    return list(starts.values())


def test_today_moves_the_history(app: CustomerSuccess, other_app: CustomerSuccess) -> None:
    """Business dates are relative to `today`: the generator never reads the clock."""
    later = date(2027, 11, 30)
    generate(app, 12, seed=3, today=TODAY)
    generate(other_app, 12, seed=3, today=later)
    a, b = first_starts(app), first_starts(other_app)
    # Customers 9-11 are drawn at random (0-8 are showcases): the same draw, a year later.
    assert [y - x for x, y in zip(a[9:], b[9:], strict=True)] == [later - TODAY] * 3
