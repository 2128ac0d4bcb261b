"""The read side of the API: the machinery of view reads, and the views across resources.

The machinery: :mod:`api.reads.query` (`ViewRead`: `as_of`, `min_position`, `today`,
positions), :mod:`api.reads.side` (the read side `create_app` opens by default,
`open_views`), :mod:`api.reads.docs` (the statuses a read documents),
:mod:`api.reads.params` and :mod:`api.reads.ranges` (shared query parameters).

A resource's reads live with its writes, in `api.routers.<resource>` (`GET /risks`,
`GET /risks/{id}`, `GET /risks/{id}/trail`, `GET /metrics/risks` in `api.routers.risks`).
Here stay only the reads that belong to no single resource, which `include_reads(api, prefix)`
mounts: the renewal pipeline (:mod:`~api.reads.renewals`), the team overview and lifecycle
board (:mod:`~api.reads.team`), each CSM's week and the visits (:mod:`~api.reads.weekly`),
metrics across resources (:mod:`~api.reads.metrics`) and churn predictions
(:mod:`~api.reads.predictions`).
"""

from __future__ import annotations

from fastapi import FastAPI

from api.reads import metrics, predictions, renewals, team, weekly

ROUTERS = (renewals.router, metrics.router, team.router, weekly.router, predictions.router)


def include_reads(api: FastAPI, prefix: str) -> None:
    """Mounts the reads across resources under `prefix`."""
    for router in ROUTERS:
        api.include_router(router, prefix=prefix)
