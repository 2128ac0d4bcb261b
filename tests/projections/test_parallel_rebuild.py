"""`rebuild_parallel` (`cs-ledger rebuild --jobs N`): the views split between processes,
built aside by each, then swapped in together — the same rows as a one-process rebuild,
and nothing of a failed run reaches the live views."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect

from cs_demo.generator import generate
from cs_domain.app import CustomerSuccess
from cs_store.settings import Settings
from projections import state
from projections.db import ReadModels
from projections.parallel import estimate_work, plan_groups, rebuild_parallel
from projections.rebuild import RebuildFailed, dump, rebuild
from projections.registry import VIEWS
from projections.runner import Projector


@pytest.fixture
def logged(app: CustomerSuccess) -> CustomerSuccess:
    generate(app, 5, 11, date(2026, 6, 1))
    return app


def test_groups_share_the_views_by_their_work(logged: CustomerSuccess) -> None:
    work = estimate_work(logged, list(VIEWS))
    assert work["health"] > work["users"]  # weekly usage reports: most of a demo log
    for jobs in (1, 2, 3, 40):
        groups = plan_groups(list(VIEWS), work, jobs)
        assert len(groups) == min(jobs, len(VIEWS))
        assert sorted(v.name for g in groups for v in g) == sorted(v.name for v in VIEWS)
    two = plan_groups(list(VIEWS), work, 2)
    loads = sorted(sum(work[v.name] for v in g) for g in two)
    assert loads[1] - loads[0] <= max(work.values())  # greedy: within one view of even


@pytest.mark.slow
def test_a_parallel_rebuild_builds_what_one_process_builds(
    logged: CustomerSuccess, settings: Settings, models: ReadModels
) -> None:
    Projector(logged, models).catch_up()
    rebuild(logged, models)
    expected = dump(models, history=True)
    with models.read() as conn:
        before = {k: v.generation for k, v in state.live_states(conn).items()}

    generations = rebuild_parallel(logged, models, settings, jobs=3)

    assert set(generations) == {v.name for v in VIEWS}
    assert all(generations[name] > before[name] for name in generations)
    with models.read() as conn:
        live = state.live_states(conn)
    assert {k: v.generation for k, v in live.items()} == generations
    assert all(v.position == logged.max_position() for v in live.values())
    assert dump(models, history=True) == expected


@pytest.mark.slow
def test_a_failed_group_leaves_the_live_views_alone(
    logged: CustomerSuccess, settings: Settings, models: ReadModels, tmp_path
) -> None:
    Projector(logged, models).catch_up()
    expected = dump(models, history=True)
    with models.read() as conn:
        before = state.live_states(conn)
    # The children open the store from these settings: one they cannot open.
    if settings.is_postgres:
        broken = settings.model_copy(update={
            "database_url": "postgresql+psycopg://postgres@127.0.0.1:5432/cs_ledger_no_such_db"})
    else:
        (tmp_path / "a-file").write_text("not a directory")
        broken = settings.model_copy(update={"data_dir": tmp_path / "a-file" / "store"})

    with pytest.raises(RebuildFailed):
        rebuild_parallel(logged, models, broken, jobs=2)

    with models.read() as conn:
        assert state.live_states(conn) == before
        tables = set(inspect(conn).get_table_names())
    live_tables = {spec.table(before[v.name].generation).name for v in VIEWS for spec in v.tables}
    aside = {t for t in tables if t.startswith("rm_") and t not in live_tables
             and not t.startswith(("rm_views", "rm_tracking", "rm_parked"))}
    built_before = {spec.table(g).name for v in VIEWS for spec in v.tables
                    for g in range(1, before[v.name].generation)}
    assert aside <= built_before  # no generation newer than the live ones is left behind
    assert dump(models, history=True) == expected
