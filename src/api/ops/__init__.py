"""Operating the API: health and readiness, Prometheus metrics, request ids and JSON
request logs, and the interactive docs served from the package (no CDN).

`install_ops(api)` adds all of it to a FastAPI app (see docs/operations.md). Everything
here lives outside /api/v1 and needs no token.
"""

from __future__ import annotations

from fastapi import FastAPI

from api.ops.docs import install_docs
from api.ops.health import install_health
from api.ops.metrics import Metrics, install_metrics
from api.ops.requests import install_request_context


def install_ops(api: FastAPI) -> None:
    metrics = Metrics()
    install_health(api)
    install_metrics(api, metrics)
    install_docs(api)
    install_request_context(api, metrics)
