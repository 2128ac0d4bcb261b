"""Rebuilding views in several processes: one core each, one swap for all.

A rebuild is CPU-bound Python, one event after another through every view. Views are
independent (own tables, own tracking row), so `rebuild_parallel` splits them into
groups of about equal work and has a child process build each group aside
(`build_aside`, as a one-process rebuild does); once every group is built, this process
swaps them all in one transaction exactly as `rebuild` does (following the live views
first if they moved on). If any group fails, the others are stopped and every aside
generation is dropped: the live views are never touched.

Work per view is estimated from a sample of the log (how many of its events each view
handles), so the usage-report views (health, automation: most of a long log) do not
land in one group with everything else.
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module
from collections import Counter
from collections.abc import Iterable
from typing import Any

from eventsourcing.utils import resolve_topic

from cs_domain.app import CustomerSuccess
from cs_store.factory import build_application
from cs_store.settings import Settings
from projections.db import ReadModels
from projections.generations import prepare
from projections.rebuild import RebuildFailed, build_aside, discard, rebuild, swap_in
from projections.registry import VIEWS, select_views
from projections.runner import Progress, Projector, describe
from projections.view import View

SAMPLE = 20_000  # events read to estimate each view's share of the work
POLL_S = 0.5


def estimate_work(app: CustomerSuccess, views: list[View], sample: int = SAMPLE
                  ) -> dict[str, int]:
    """Events of the first `sample` of the log that each view handles (at least 1)."""
    topics = Counter(n.topic for n in app.recorder.select_notifications(1, sample))
    work = {}
    for view in views:
        count = 0
        for topic, n in topics.items():
            try:
                if view.handles(resolve_topic(topic)):
                    count += n
            except Exception:  # a topic no code knows any more: no view handles it
                continue
        work[view.name] = max(1, count)
    return work


def plan_groups(views: list[View], work: dict[str, int], jobs: int) -> list[list[View]]:
    """At most `jobs` non-empty groups, the biggest views first onto the lightest group."""
    groups: list[list[View]] = [[] for _ in range(max(1, min(jobs, len(views))))]
    loads = [0] * len(groups)
    for view in sorted(views, key=lambda v: (-work[v.name], v.name)):
        lightest = loads.index(min(loads))
        groups[lightest].append(view)
        loads[lightest] += work[view.name]
    return [g for g in groups if g]


def _build_group(settings: Settings, names: list[str], index: int, out: Any) -> None:
    """A child process: builds these views aside; reports progress, then its targets."""
    app = models = None
    try:
        app = build_application(settings)
        models = ReadModels.from_settings(settings)
        targets, _ = build_aside(app, models, select_views(names),
                                 lambda position, head: out.put(("progress", index, position, head)))
        out.put(("done", index, targets))
    except BaseException as error:  # reported to the parent, which drops every aside table
        out.put(("failed", index, {name: describe(error) for name in names}))
    finally:
        if models is not None:
            models.dispose()
        if app is not None:
            app.close()


def rebuild_parallel(
    app: CustomerSuccess, models: ReadModels, settings: Settings,
    names: Iterable[str] | None = None, progress: Progress | None = None, *, jobs: int = 2,
) -> dict[str, int]:
    """`rebuild` of the named registered views (all when None) in up to `jobs` processes."""
    views = select_views(names)
    unregistered = [v.name for v in views if v not in VIEWS]
    if unregistered:
        raise ValueError(f"only registered views can be rebuilt in parallel: {unregistered}")
    groups = plan_groups(views, estimate_work(app, views), jobs)
    if len(groups) < 2:
        return rebuild(app, models, views, progress)
    prepare(models, views)  # once, before the children (each then finds everything there)
    ctx = multiprocessing.get_context("spawn")  # no inherited connections or threads
    out = ctx.Queue()
    procs = [ctx.Process(target=_build_group, args=(settings, [v.name for v in g], i, out),
                         name=f"cs-rebuild-{i}", daemon=True) for i, g in enumerate(groups)]
    targets: dict[str, int] = {}
    try:
        for p in procs:
            p.start()
        _collect(procs, out, targets, progress)
        for p in procs:
            p.join()
        swap_in(models, views, targets, Projector(app, models, views, targets=targets), progress)
        return targets
    except BaseException:
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join(5)
        built = [v for v in views if v.name in targets]
        if built:
            discard(models, built, targets)
        raise


def _collect(procs: list[Any], out: Any, targets: dict[str, int],
             progress: Progress | None) -> None:
    """Waits for every group's targets (into `targets`), reporting the slowest group's
    position as the progress; RebuildFailed as soon as one group fails or dies."""
    positions = [0] * len(procs)
    heads = [0] * len(procs)
    done: set[int] = set()
    while len(done) < len(procs):
        try:
            message = out.get(timeout=POLL_S)
        except queue_module.Empty:
            dead = {f"group {i}": f"the process exited with code {p.exitcode}"
                    for i, p in enumerate(procs) if i not in done and not p.is_alive()}
            if dead:
                raise RebuildFailed(dead) from None
            continue
        kind, index = message[0], message[1]
        if kind == "progress":
            positions[index], heads[index] = message[2], message[3]
            if progress is not None:
                progress(min(positions), max(heads))
        elif kind == "done":
            targets.update(message[2])
            done.add(index)
            positions[index] = max(heads[index], positions[index])
        else:
            raise RebuildFailed(message[2])
