"""A rebuild with a bounded cache (memory flat however long the log) builds the same rows.

The rebuild keeps current rows in memory and writes each once at the end; past
`max_cache` rows in all it cuts the biggest tables down, writing their least recently
used rows out and reading them back when a later event needs them (Projector._trim_load,
TableWriter.evict, KeyFilter). Whatever the bound and the batch size, every row version
must equal an unbounded rebuild's.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from cs_demo.generator import generate
from cs_demo.ids import DemoIds
from cs_demo.people import plan_team
from cs_domain.app import CustomerSuccess
from cs_domain.contract import LIVE, Contract
from cs_store.settings import Settings
from projections.db import ReadModels
from projections.rebuild import LOAD_GC_THRESHOLDS, dump, gc_for_load, rebuild
from projections.runner import water_level
from projections.writer import KeyFilter
from tests.conftest import drop_schema
from tests.profiles import examples

SEED, CUSTOMERS = 3, 6


def _late_changes(app: CustomerSuccess) -> None:
    """Touches the first customers and contracts again after all the others were written,
    so a small cache has evicted them and the rebuild must read them back."""
    manager = str(plan_team(CUSTOMERS, SEED).managers[0].id)
    ids = DemoIds(SEED)
    for i in range(CUSTOMERS):
        app.update_customer(actor=manager, customer_id=ids.of("customer", i), industry="Retail")
    for n in app.recorder.select_notifications(1, 10_000, topics=[Contract.Drafted.__module__ + ":"
                                                                 + Contract.Drafted.__qualname__]):
        contract = app.load(Contract, n.originator_id)
        if contract.status in LIVE:
            app.set_renewal_intent(actor=manager, contract_id=contract.id, intent="low",
                                   expansion_potential=Decimal("1000"))


@pytest.fixture
def logged(app: CustomerSuccess) -> CustomerSuccess:
    generate(app, CUSTOMERS, SEED, date(2026, 6, 1))
    _late_changes(app)
    return app


@pytest.fixture
def reference(settings: Settings, logged: CustomerSuccess) -> Iterator[dict[str, Any]]:
    """Every row version after an unbounded rebuild (in models of their own)."""
    if settings.is_postgres:
        other = settings.model_copy(update={"database_schema": f"{settings.database_schema}_ref"})
        models = ReadModels.from_settings(other)
    else:
        other, models = settings, ReadModels(f"sqlite:///{settings.data_dir / 'views-ref.db'}")
    try:
        rebuild(logged, models, max_cache=10**9)
        yield dump(models, history=True)
    finally:
        models.dispose()
        if other is not settings:
            drop_schema(other)


@hsettings(max_examples=examples(6), deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(max_cache=st.sampled_from([0, 1, 5, 40, 300]),
       batch_size=st.sampled_from([7, 60, 500, 20_000]))
def test_a_bounded_rebuild_equals_an_unbounded_one(
    settings: Settings, logged: CustomerSuccess, reference: dict[str, Any], max_cache: int,
    batch_size: int,
) -> None:
    models = ReadModels.from_settings(settings)
    try:
        rebuild(logged, models, batch_size=batch_size, max_cache=max_cache)
        assert dump(models, history=True) == reference
    finally:
        models.dispose()


@hsettings(max_examples=examples(200))
@given(sizes=st.lists(st.integers(0, 1000), max_size=12), budget=st.integers(0, 5000))
def test_the_water_level_is_the_highest_cap_within_the_budget(sizes: list[int], budget: int
                                                              ) -> None:
    cap = water_level(sizes, budget)
    assert sum(min(s, cap) for s in sizes) <= budget or cap >= max(sizes, default=0)
    if sizes and cap < max(sizes):
        assert sum(min(s, cap + 1) for s in sizes) > budget


@hsettings(max_examples=examples(50))
@given(keys=st.sets(st.one_of(st.integers(), st.uuids(), st.tuples(st.uuids(), st.dates())),
                    max_size=300),
       others=st.sets(st.uuids(), max_size=300))
def test_the_key_filter_never_forgets_an_evicted_key(keys: set[Any], others: set[Any]) -> None:
    evicted = KeyFilter()
    assert not any(k in evicted for k in keys | others)  # empty: nothing to read back
    for key in keys:
        evicted.add(key)
    assert all(key in evicted for key in keys)
    # False positives are rare (each only costs a lookup that finds nothing).
    assert sum(o in evicted for o in others - keys) <= 3


class _Node:
    """A reference cycle of one object (freed only by the cyclic garbage collector)."""

    def __init__(self) -> None:
        self.me = self


def test_a_load_collects_cyclic_garbage_rarer_but_still_and_restores_the_collector() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), gc_for_load():
        assert gc.get_threshold() == LOAD_GC_THRESHOLDS
        cycle = weakref.ref(_Node())
        assert cycle() is not None  # unreachable, but only a collection frees a cycle
        junk = [[_Node() for _ in range(1000)] for _ in range(400)]  # 400k allocations
        del junk
        assert cycle() is None  # collected automatically during the load
        raise RuntimeError("a failed load")
    assert gc.get_threshold() == before


def test_a_rebuild_loads_with_the_load_thresholds_and_restores_them(
    settings: Settings, logged: CustomerSuccess
) -> None:
    before = gc.get_threshold()
    seen: set[tuple[int, int, int]] = set()
    models = ReadModels.from_settings(settings)
    try:
        rebuild(logged, models, batch_size=50, progress=lambda _p, _h: seen.add(gc.get_threshold()))
    finally:
        models.dispose()
    assert LOAD_GC_THRESHOLDS in seen
    assert gc.get_threshold() == before
