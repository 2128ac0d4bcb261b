"""`GET /healthz` (the process answers) and `GET /readyz` (it can serve: the stores answer,
the views and the automation are within CS_LEDGER_READY_MAX_LAG_EVENTS of the log, and
every extra check of the runtime passes), for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from cs_runtime.lag import readiness

NO_STORE = {"Cache-Control": "no-store"}


def install_health(api: FastAPI) -> None:
    @api.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"}, headers=NO_STORE)

    @api.get("/readyz", include_in_schema=False)
    async def readyz(request: Request) -> JSONResponse:
        container = getattr(request.app.state, "container", None)
        if container is None:
            return JSONResponse({"status": "not-ready", "reasons": ["starting or stopping"]},
                                status_code=503, headers=NO_STORE)
        ready, body = await run_in_threadpool(
            readiness, container.runtime, container.settings.ready_max_lag_events)
        return JSONResponse(body, status_code=200 if ready else 503, headers=NO_STORE)
