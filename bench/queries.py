"""Read latency in-process, straight on the read models (no HTTP): the query's own share.

Compared with the HTTP figures this tells the query apart from serving (routing,
auth, serialisation). The same reads as the HTTP benchmark: the customer 360 (now and
as of a random past position), next month's renewal pipeline and last quarter's
renewal metrics.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from bench.common import ms, percentile, say
from bench.config import TODAY
from bench.dataset import Pools
from projections.compose import customer_360
from projections.db import ReadModels
from projections.views.contracts import renewal_metrics, renewals


def _quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


# The windows every read benchmark uses (business time, relative to the dataset's today):
# the renewals due in the next 30 days, and the metrics of the last complete quarter.
PIPELINE = (TODAY + timedelta(days=1), TODAY + timedelta(days=30))
_LAST_QUARTER_END = _quarter_start(TODAY) - timedelta(days=1)
QUARTER = (_quarter_start(_LAST_QUARTER_END), _LAST_QUARTER_END)


def _timed(models: ReadModels, fn: Callable[[Any], Any], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        with models.read() as conn:
            fn(conn)
        samples.append(time.perf_counter() - started)
    return samples


def bench_queries(models: ReadModels, pools: Pools, head: int, label: str,
                  runs: int = 300) -> dict[str, Any]:
    rnd = random.Random(5)

    def at() -> int:
        return rnd.randint(max(1, head // 10), head)

    reads: dict[str, Callable[[Any], Any]] = {
        "customer360": lambda c: customer_360(c, rnd.choice(pools.customers), TODAY),
        "customer360_as_of": lambda c: customer_360(c, rnd.choice(pools.customers), TODAY, at()),
        "pipeline": lambda c: renewals(c, *PIPELINE),
        "metrics": lambda c: renewal_metrics(c, *QUARTER),
        "pipeline_as_of": lambda c: renewals(c, *PIPELINE, at=at()),
        "metrics_as_of": lambda c: renewal_metrics(c, *QUARTER, at=at()),
    }
    out: dict[str, Any] = {}
    for name, fn in reads.items():
        n = runs if name.startswith("customer360") else max(20, runs // 5)
        samples = _timed(models, fn, n)
        out[f"query_{name}_p50_ms"] = ms(percentile(samples, 50))
        out[f"query_{name}_p99_ms"] = ms(percentile(samples, 99))
    say(f"[{label}] in-process queries: 360 p50/p99 {out['query_customer360_p50_ms']}/"
        f"{out['query_customer360_p99_ms']} ms, pipeline p99 {out['query_pipeline_p99_ms']} ms, "
        f"metrics p99 {out['query_metrics_p99_ms']} ms")
    return out
