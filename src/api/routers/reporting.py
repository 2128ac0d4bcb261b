"""Reporting set-up (manager): exchange rates to the reporting currency (`/fx-rates`) and
annual renewal targets (`/targets/renewals/{year}`), with their reads side by side."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path
from fastapi.responses import JSONResponse

from api.deps import ContainerDep, Create
from api.openapi import CREATE_ERRORS, problems
from api.permissions import Action
from api.reads.docs import view_responses
from api.reads.query import ViewReadDep, views_named
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.reporting import FxRateList, FxRateRecord, RenewalTargetRead, RenewalTargetSet
from cs_domain.application import CommandResult
from cs_domain.reporting import FIRST_YEAR, LAST_YEAR
from projections.views import reporting

router = ledger_router(tags=["reporting"])
Year = Annotated[int, Path(ge=FIRST_YEAR, le=LAST_YEAR, description="A calendar year.")]


def _recorded(result: CommandResult) -> int:
    """201 when a rate was recorded, 200 when it was already so (nothing written)."""
    return 201 if result.extra.get("changed") else 200


def _set(result: CommandResult) -> int:
    """201 when the year's target was created, 200 when changed or already so."""
    return 201 if result.extra.get("changed") and result.version == 1 else 200


@router.post("/fx-rates", status_code=201, response_model=WriteResult,
             responses={**problems(*CREATE_ERRORS),
                        200: {"model": WriteResult,
                              "description": "That rate was already recorded: nothing written."}})
def record_fx_rate(body: FxRateRecord, w: Create, container: ContainerDep) -> JSONResponse:
    """Record an exchange rate to the reporting currency, effective from a business date
    (the rate of a contract is the one valid on its end date). Same date again: replaces."""
    currency = container.settings.reporting_currency
    return w.run(
        Action.RECORD_FX_RATES,
        lambda: w.app.record_exchange_rate(
            actor=w.actor, reporting_currency=currency, currency=body.currency,
            rate=body.rate, valid_from=body.valid_from),
        WriteResult.of, status=_recorded,
    )


@router.get("/fx-rates", response_model=FxRateList, responses=view_responses())
def list_fx_rates(read: ViewReadDep, container: ContainerDep) -> Any:
    """The recorded exchange rates (use `as_of` for the rates known at a moment)."""
    currency = container.settings.reporting_currency
    return read.run(views_named("reporting"), lambda conn: {
        **reporting.list_rates(conn, at=read.at), "reporting_currency": currency})


@router.put("/targets/renewals/{year}", response_model=WriteResult,
            responses={**problems(*CREATE_ERRORS),
                       201: {"model": WriteResult,
                             "description": "The year's target was set for the first time."}})
def set_renewal_target(year: Year, body: RenewalTargetSet, w: Create) -> JSONResponse:
    """Set the year's renewal targets (年度续约目标): renewal rate, optionally revenue
    renewal rate and the owner; `GET /metrics/renewals` shows them beside the figures."""
    return w.run(
        Action.SET_TARGETS,
        lambda: w.app.set_renewal_target(
            actor=w.actor, year=year, renewal_rate=body.renewal_rate,
            revenue_renewal_rate=body.revenue_renewal_rate, owner_id=body.owner_id),
        WriteResult.of, status=_set,
    )


@router.get("/targets/renewals/{year}", response_model=RenewalTargetRead,
            responses=view_responses(404))
def get_renewal_target(year: Year, read: ViewReadDep) -> Any:
    """The year's renewal targets (404 when none is set, as of the read)."""
    return read.one(views_named("reporting", "users"),
                    lambda conn: reporting.get_target(conn, year, at=read.at),
                    "renewal target", year)
