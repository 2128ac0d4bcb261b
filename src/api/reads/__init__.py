"""The read side of the API: view reads with `as_of`, `min_position` and positions.

`include_reads(api, prefix)` mounts every read router; `open_views` (in
:mod:`api.reads.side`) is the read side create_app opens by default.
"""

from __future__ import annotations

from fastapi import FastAPI

from api.reads import (
    customers,
    delivery,
    growth,
    metrics,
    playbooks,
    predictions,
    renewals,
    support,
    team,
    trails,
    weekly,
    work,
)

ROUTERS = (customers.router, renewals.router, metrics.router, work.router, trails.router,
           team.router, delivery.router, playbooks.router, support.router, growth.router,
           weekly.router, predictions.router)


def include_reads(api: FastAPI, prefix: str) -> None:
    for router in ROUTERS:
        api.include_router(router, prefix=prefix)
