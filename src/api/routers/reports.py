"""The quarterly review (`GET /reports/quarterly`) and a risk's evidence for auditors
(`GET /risks/{id}/evidence`). See docs/reports.md."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import Connection

from api.deps import ContainerDep, PrincipalDep
from api.openapi import problems
from api.permissions import Action, authorize
from api.reads.docs import view_responses
from api.reads.query import InvalidParameter, ViewReadDep, views_named
from api.reports import render
from api.reports.evidence import risk_evidence
from api.reports.quarterly import REPORT_VIEWS, quarter_range, quarterly
from api.reports.schemas import Evidence, QuarterlyReview
from api.sheets.writers import XLSX_TYPE
from cs_store.factory import chain_recorder
from cs_store.links import head_link

router = APIRouter(tags=["reports"])
Quarter = Annotated[str, Query(max_length=8, description="The quarter, e.g. 2026Q3.",
                               examples=["2026Q3"])]
MEDIA = {"json": "application/json", "html": "text/html; charset=utf-8", "xlsx": XLSX_TYPE}


def canonical(report: dict[str, Any]) -> bytes:
    """The JSON bytes: the same quarter and `as_of` give the same bytes."""
    return json.dumps(report, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str).encode("utf-8")


_REVIEW_RESPONSES = view_responses()
_REVIEW_RESPONSES[200].update({
    "model": QuarterlyReview,
    "description": "The review as JSON, HTML (SVG charts) or XLSX (native charts)",
    "content": {m: {} for m in MEDIA.values() if m != "application/json"}})


@router.get("/reports/quarterly", responses=_REVIEW_RESPONSES)
def quarterly_review(
    read: ViewReadDep, principal: PrincipalDep, container: ContainerDep, quarter: Quarter,
    request: Request, format: Annotated[Literal["json", "html", "xlsx"], Query()] = "json",
) -> Response:
    """The quarterly review (复盘): renewals (exactly `GET /metrics/renewals` for the
    quarter), churn reasons ranked, health and its biggest movers, risks, requirement and
    complaint loops, activation, usage depth/breadth, playbooks and one row per CSM —
    each against the previous quarter, at a stated log position and head hash."""
    authorize(principal, Action.READ_REPORTS)
    as_of = request.query_params.get("as_of")  # parsed by ViewReadDep; stated as given
    try:
        quarter_range(quarter)
    except ValueError as error:
        raise InvalidParameter("quarter", str(error)) from None
    recorder = chain_recorder(container.app)

    def build(conn: Connection) -> dict[str, Any]:
        report = quarterly(conn, quarter, read.at, container.settings.reporting_currency)
        position = read.at if read.at is not None else report["renewals"]["position"]
        link = head_link(recorder, position)
        return {**report, "position": position, "as_of": as_of,
                "head_hash": None if link is None else link[2]}

    report = read.run(views_named(*REPORT_VIEWS), build)
    body = canonical(report)
    name = f"quarterly-{report['quarter']}.{format}"
    if format == "html":
        body = render.html(json.loads(body))
    elif format == "xlsx":
        body = render.xlsx(json.loads(body))
    return Response(body, media_type=MEDIA[format],
                    headers={"Content-Disposition": f'inline; filename="{name}"',
                             "X-View-Position": str(report["position"])})


@router.get("/risks/{risk_id}/evidence", response_model=Evidence,
            responses=problems(401, 403, 404, 422))
def evidence(risk_id: UUID, principal: PrincipalDep, container: ContainerDep) -> Any:
    """A risk's events (actors, times, stored bytes) with their chain links and the log's
    head: what an auditor needs to check them offline (docs/verify_evidence.py)."""
    authorize(principal, Action.READ_EVIDENCE)
    return risk_evidence(chain_recorder(container.app), risk_id)
