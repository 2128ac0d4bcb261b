"""Health models as data: list (everyone), record a new version and activate one (manager,
admin), backtest a version against the churns that followed (everyone)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query
from fastapi.responses import JSONResponse

from api.deps import PlainWrite
from api.openapi import CREATE_ERRORS, problems
from api.permissions import Action
from api.reads.docs import view_responses
from api.reads.query import InvalidParameter, ViewReadDep, views_named
from api.reads.ranges import From, To, check_range
from api.routing import ledger_router
from api.schemas.health_models import (
    Backtest,
    HealthModelActivated,
    HealthModelDefined,
    HealthModelIn,
    HealthModelList,
)
from cs_domain.application import CommandResult
from cs_domain.backtest import MAX_HORIZON, MAX_K, MIN_HORIZON
from projections.queries.health_backtest import backtest_read
from projections.view import Reader
from projections.views.health_models import list_models, parse_ref

router = ledger_router(prefix="/health-models", tags=["health models"])
MODEL_VIEWS = views_named("health")
BACKTEST_VIEWS = views_named("health", "contracts")
MAX_BACKTEST_DAYS = 366 * 5
NAME_DOC = "The model's name."
Name = Annotated[str, Path(max_length=64, description=NAME_DOC)]
Version = Annotated[int, Path(ge=1, le=1_000_000, description="The model's version.")]


@router.get("", response_model=HealthModelList, responses=view_responses())
def list_health_models(read: ViewReadDep) -> Any:
    """Every health model version (the built-in `seed-004` version 1 first among its name),
    with the active one marked. `as_of` shows the models as they were known then."""

    return read.run(MODEL_VIEWS, lambda conn: list_models(Reader(conn, read.at)))


@router.post("", status_code=201, response_model=HealthModelDefined,
             responses=problems(*CREATE_ERRORS))
def define_health_model(body: HealthModelIn, w: PlainWrite) -> JSONResponse:
    """Record a new version of a model (manager, admin): its name's next version."""

    def present(result: CommandResult) -> HealthModelDefined:
        return HealthModelDefined(id=result.id, version=result.version,
                                  position=result.position, name=result.extra["name"],
                                  model_version=result.extra["model_version"])

    return w.run(Action.MANAGE_HEALTH_MODELS, lambda: w.app.define_health_model(
        actor=w.actor, name=body.name, weights=body.weights.domain(),
        yellow_from=body.bands.yellow_from, green_from=body.bands.green_from,
        description=body.description), present, status=201)


@router.post("/{name}/versions/{version}/activate", response_model=HealthModelActivated,
             responses=problems(*CREATE_ERRORS, 404))
def activate_health_model(name: Name, version: Version, w: PlainWrite) -> JSONResponse:
    """Make a version the one the health view scores new usage reports with (the 360's and
    the health list's model from then on; scores already recorded keep their model)."""

    def present(result: CommandResult) -> HealthModelActivated:
        return HealthModelActivated(id=result.id, version=result.version,
                                    position=result.position, changed=result.extra["changed"])

    return w.run(Action.MANAGE_HEALTH_MODELS, lambda: w.app.activate_health_model(
        actor=w.actor, name=name, version=version), present)


@router.get("/{name}/versions/{version}/backtest", response_model=Backtest,
            responses=view_responses(404))
def backtest(
    name: Name, version: Version, read: ViewReadDep, from_: From, to: To,
    horizon_days: Annotated[int, Query(ge=MIN_HORIZON, le=MAX_HORIZON, description=(
        "A period is positive when the customer churned within this many days after its "
        "end."))] = 90,
    k: Annotated[int | None, Query(ge=1, le=MAX_K, description=(
        "How many lowest-scored periods precision/recall at k look at (default: the number "
        "of positives)."))] = None,
    compare: Annotated[str | None, Query(max_length=80, description=(
        "Another version, `NAME:VERSION`, backtested on the same periods."))] = None,
) -> Any:
    """For every customer-period whose start is in [from, to]: the version's score from the
    period's stored inputs against whether the customer churned within the horizon — AUC,
    precision and recall at k, median lead days, churn rate by band (docs/models.md)."""
    check_range(from_, to)
    if (to - from_).days > MAX_BACKTEST_DAYS:
        raise InvalidParameter("to", "a backtest spans at most 5 years")
    other = None
    if compare is not None:
        other = parse_ref(compare)
        if other is None:
            raise InvalidParameter("compare", "must be NAME:VERSION, such as seed-004:1")

    return read.run(BACKTEST_VIEWS, lambda conn: backtest_read(
        conn, name, version, from_, to, horizon_days, k, compare=other, at=read.at))
