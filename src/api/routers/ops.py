"""Operations: the consumers of the log and their parked events (`/ops/...`).

`GET /ops/status` (admin, manager, auditor) shows each view's and the automation's
position, lag and status, every parked event and the snapshots rejected on load;
`POST /ops/parked/{id}/retry` (admin) handles one parked event again
(:func:`automation.operations.retry`). See docs/operations.md, "Parked events".
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Request
from starlette.concurrency import run_in_threadpool

from api.deps import ContainerDep, IdempotencyKey, PrincipalDep
from api.idempotency import StoredResponse, fingerprint
from api.openapi import problems
from api.permissions import Action, authorize
from api.problems import ApiProblem
from api.routing import ledger_router
from api.schemas.ops import OpsStatusPublic, RetryResult
from api.writes import respond
from automation import operations
from cs_domain.app import CustomerSuccess
from cs_store.snapshots import rejected_snapshots
from projections.db import ReadModels

router = ledger_router(tags=["ops"])
ParkedId = Annotated[int, Path(ge=1, le=2**31 - 1, description="A parked event's id.")]


def _models(container: Any) -> ReadModels:
    models = getattr(container.views, "models", None)
    if models is None:
        raise ApiProblem(503, "views-unavailable", "this process has no read models")
    return models  # type: ignore[no-any-return]


@router.get("/ops/status", response_model=OpsStatusPublic, responses=problems(401, 403, 500))
def ops_status(container: ContainerDep, principal: PrincipalDep) -> dict[str, Any]:
    """Where each view and the automation stand, and their parked events."""
    authorize(principal, Action.OPS_STATUS)
    found = operations.status(container.app, _models(container))
    return {**found.public(), "snapshots": {"rejected": rejected_snapshots(container.app)}}


@router.post("/ops/parked/{parked_id}/retry", response_model=RetryResult,
             responses=problems(401, 403, 404, 409, 422, 500))
async def retry_parked(parked_id: ParkedId, request: Request, container: ContainerDep,
                       principal: PrincipalDep, key: IdempotencyKey = None) -> Any:
    """Handle a parked event again (admin): 200 when handled (its row goes), 409 when it
    still fails (one more attempt counted). A view's retry rebuilds that view. With an
    `Idempotency-Key`, a repeated request answers the first success again."""
    authorize(principal, Action.OPS_RETRY)
    models = _models(container)
    claim = None
    if key is not None:
        fp = fingerprint("POST", request.url.path, None, b"")
        outcome = container.idempotency.begin(principal.actor, key, fp)
        if isinstance(outcome, StoredResponse):
            return respond(outcome, replayed=True)
        claim = outcome
    try:
        await run_in_threadpool(_retry, container.app, models, parked_id)
    except BaseException:
        if claim is not None:
            container.idempotency.release(claim)  # nothing done for good: may run again
        raise
    result = RetryResult(id=parked_id, retried=True)
    if claim is not None:
        container.idempotency.complete(claim, StoredResponse(200, result.model_dump(), {}))
    return result


def _retry(app: CustomerSuccess, models: ReadModels, parked_id: int) -> None:
    try:
        operations.retry(app, models, parked_id)
    except LookupError:
        raise ApiProblem(404, "not-found", f"no parked event {parked_id}") from None
    except operations.RetryFailed as failed:
        raise ApiProblem(409, "retry-failed",
                         f"the event at position {failed.row.position} still fails for "
                         f"{failed.row.consumer}: {failed.row.error}",
                         attempts=failed.row.attempts, consumer=failed.row.consumer,
                         position=failed.row.position) from None
