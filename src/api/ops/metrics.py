"""Prometheus metrics at `GET /metrics` (text exposition format; every name is listed in
docs/operations.md).

Per request (observed by :mod:`api.ops.requests`): latency by route template, method and
status; commands (writes under /api/v1) executed, failed and refused by a conflict (409 or
412), by command. At each scrape, read from the stores (:mod:`cs_runtime.lag`): the log
head, each view's and the automation's lag in events and seconds, failed views, and
parked events (through the runtime's `parked_count` hook).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.concurrency import run_in_threadpool

from cs_runtime.bootstrap import Runtime
from cs_runtime.lag import measure

PREFIX = "cs_ledger"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The metrics of one API (its own registry: several apps may live in one process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.latency = Histogram(f"{PREFIX}_http_request_duration_seconds",
                                 "HTTP request latency by route template, method and status.",
                                 ["method", "route", "status"], registry=r, buckets=BUCKETS)
        self.commands = Counter(f"{PREFIX}_commands", "Commands (writes) answered, by command.",
                                ["command"], registry=r)
        self.failed = Counter(f"{PREFIX}_commands_failed",
                              "Commands answered with an error (4xx or 5xx), by command and status.",
                              ["command", "status"], registry=r)
        self.conflicts = Counter(f"{PREFIX}_conflicts",
                                 "Commands refused by a concurrent change (409) or a stale "
                                 "If-Match (412), by command and status.",
                                 ["command", "status"], registry=r)

    def observe(self, method: str, route: str, command: str | None, status: int,
                seconds: float) -> None:
        self.latency.labels(method, route, str(status)).observe(seconds)
        if command is None:
            return
        self.commands.labels(command).inc()
        if status >= 400:
            self.failed.labels(command, str(status)).inc()
        if status in (409, 412):
            self.conflicts.labels(command, str(status)).inc()


class StoreCollector(Collector):
    """Gauges read from the stores at each scrape (nothing when the API is not started)."""

    def __init__(self, runtime: Callable[[], Runtime | None]):
        self.runtime = runtime

    def collect(self) -> Iterator[Metric]:
        runtime = self.runtime()
        if runtime is None:
            return
        up = GaugeMetricFamily(f"{PREFIX}_store_up", "1 when both stores answered this scrape.")
        try:
            status = measure(runtime)
        except Exception:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield _gauge("log_head_position", "Position of the last event in the log.", status.head)
        views = [(v.name, v) for v in status.views]
        yield _labelled("view_lag_events", "Events the view has not applied yet.",
                        [(n, v.events) for n, v in views])
        yield _labelled("view_lag_seconds", "Age of the oldest event the view has not applied.",
                        [(n, v.seconds) for n, v in views])
        yield _labelled("view_failed", "1 when the view stopped at a failing event.",
                        [(n, int(v.failed is not None)) for n, v in views])
        a = status.automation
        yield _gauge("automation_lag_events", "Events the playbook automation has not handled.",
                     a.events)
        yield _gauge("automation_lag_seconds",
                     "Age of the oldest event the playbook automation has not handled.", a.seconds)
        yield _gauge("automation_failed", "1 when the automation stopped at a failing event.",
                     int(a.failed is not None))
        if runtime.parked_count is not None:
            yield _gauge("parked_events", "Events parked by a view or the automation.",
                         runtime.parked_count(runtime))


def _gauge(name: str, doc: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(f"{PREFIX}_{name}", doc, value=value)


def _labelled(name: str, doc: str, values: list[tuple[str, float]]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(f"{PREFIX}_{name}", doc, labels=["view"])
    for label, value in values:
        family.add_metric([label], value)
    return family


def install_metrics(api: FastAPI, metrics: Metrics) -> None:
    def runtime() -> Runtime | None:
        container: Any = getattr(api.state, "container", None)
        return None if container is None else container.runtime

    metrics.registry.register(StoreCollector(runtime))
    from prometheus_client import generate_latest

    @api.get("/metrics", include_in_schema=False)
    async def scrape(_request: Request) -> Response:
        body = await run_in_threadpool(generate_latest, metrics.registry)
        return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
