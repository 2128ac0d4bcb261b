"""Every generated aggregate went through its public methods: no seed or date makes the
generator break a rule, and every aggregate replays (from its events, and from the
store) to the state the generator built."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cs_demo.context import DemoContext
from cs_demo.generator import customer_histories
from cs_demo.ids import DemoIds
from cs_demo.people import create_team, plan_team
from cs_domain.app import CustomerSuccess
from cs_domain.customer import Customer
from tests.demo.support import state
from tests.profiles import examples

TODAY = date(2026, 11, 30)
# Terms agreed in advance (a renewal signed early, a customer starting next month).
FUTURE_ALLOWED = {"start_date", "end_date", "new_end_date", "due_date", "target_date"}


def replay(events: list[Any]) -> Any:
    item: Any = None
    for event in events:
        item = event.mutate(item)
    return item


@settings(max_examples=examples(25), deadline=None)
@given(seed=st.integers(0, 2**31), customers=st.integers(1, 25),
       today=st.dates(date(2019, 1, 1), date(2035, 12, 31)))
def test_any_seed_and_date_keep_every_rule(seed: int, customers: int, today: date) -> None:
    """A refused command would raise: building the histories is the check. Replaying
    each aggregate's events must then give back exactly the state that was built."""
    team = plan_team(customers, seed)
    ctx = DemoContext(seed=seed, today=today, ids=DemoIds(seed), team=team)
    csm_ids = {u.id for u in team.csms}
    count = 0
    for aggregates in customer_histories(ctx, customers):
        count += 1
        customer = aggregates[0]
        assert isinstance(customer, Customer) and customer.owner_id in csm_ids
        for item in aggregates:
            events = list(item.pending_events)
            assert events and events[0].originator_version == 1
            assert state(replay(events)) == state(item)
            # Nothing happened after today: only agreed terms and due dates lie ahead.
            for event in events:
                for name, value in event.__dict__.items():
                    if type(value) is date and name not in FUTURE_ALLOWED:
                        assert value <= today, (type(event).__qualname__, name, value)
    assert count == customers


def test_the_store_replays_what_was_built(app: CustomerSuccess) -> None:
    team = plan_team(15, seed=5)
    create_team(app, team)
    ctx = DemoContext(seed=5, today=TODAY, ids=DemoIds(5), team=team)
    built: dict[Any, dict[str, Any]] = {}
    for aggregates in customer_histories(ctx, 15):
        app.commit(*aggregates)
        built.update({item.id: state(item) for item in aggregates})
    assert len(built) > 15 * 10
    for item_id, expected in built.items():
        assert state(app.repository.get(item_id)) == expected

