"""The FastAPI application factory: `create_app(settings)` builds a fresh API.

Nothing is built at import time. The lifespan opens the container (application
service, idempotency store, optional read side) and closes it on shutdown. All
routes live under /api/v1; OpenAPI at /openapi.json, interactive docs at /docs; health,
readiness and metrics at /healthz, /readyz, /metrics (api.ops).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import ModuleType
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from api.container import ViewsFactory, open_container
from api.edge import install_body_limit
from api.openapi import finalize
from api.ops import install_ops
from api.problems import install_problem_handlers
from api.routers import (
    activities,
    benchmarks,
    classification,
    complaints,
    contracts,
    customers,
    events,
    health_models,
    imports,
    ops,
    plans,
    playbook_runs,
    playbooks,
    projects,
    referrals,
    reporting,
    reports,
    requirements,
    risks,
    subscriptions,
    surveys,
    tasks,
    tickets,
    touchpoints,
    usage,
    users,
    weekly_briefs,
)
from cs_store.settings import Settings, check_settings

API_PREFIX = "/api/v1"
DESCRIPTION = """\
CS Ledger: the event-sourced system of record for customer-success teams.

* **Auth**: `Authorization: Bearer <token>`. Create users with `POST /api/v1/users` (admin)
  or `cs-ledger users add NAME --role ROLE`. The acting user is recorded on every event.
* **Writes** return `{id, version, position}`. Send `If-Match: <version>` to refuse a write
  on a stale version (412) and `Idempotency-Key: <string>` to make a retry safe.
* **Errors** are `application/problem+json` (RFC 9457) with `type`, `title`, `status`,
  `detail`, `instance`, and for invalid input `errors: [{field, message}]`.
* Amounts are decimal strings (numbers accepted on input, read exactly); dates are ISO.
"""
TAGS = [
    {"name": "users", "description": "Who may act, with which role."},
    {"name": "customers", "description": "Customer commands (客户台账)."},
    {"name": "contracts", "description": "Contract status flow and renewals (合同)."},
    {"name": "usage", "description": "Usage signals per customer and period."},
    {"name": "risks", "description": "The risk loop: raise, strategy and todos, mitigation, "
                                     "close (销项), reopen (风险)."},
    {"name": "tasks", "description": "Work on a customer, on its assignee's workbench (任务)."},
    {"name": "requirements", "description": "The requirement loop, collected to feedback (需求)."},
    {"name": "complaints", "description": "Received, investigated, resolved, reviewed (投诉)."},
    {"name": "tickets", "description": "The support desk: tickets, first reply, resolution, "
                                       "accuracy review (客服工单)."},
    {"name": "surveys", "description": "NPS and CSAT survey responses (满意度)."},
    {"name": "activities", "description": "Influence- and revenue-raising activities run with "
                                          "a customer: plan to improvement (活动)."},
    {"name": "benchmark cases", "description": "Benchmark customers: criteria from the facts, "
                                               "build → replicate → upgrade (标杆案例)."},
    {"name": "referrals", "description": "Prospects referred by customers, to the deal "
                                         "(转介绍)."},
    {"name": "classification", "description": "Customers by level × usage class, with the "
                                              "best practices of each class (客户分级)."},
    {"name": "subscriptions", "description": "Product terms and seats (产品租期)."},
    {"name": "projects", "description": "Implementation delivery in weighted stages (项目)."},
    {"name": "plans", "description": "Success plans from templates, with milestones (客成计划)."},
    {"name": "touchpoints", "description": "Calls, visits, trainings and their follow-up, QBRs, "
                                           "weekly reports."},
    {"name": "playbooks", "description": "Versioned playbooks (手册) and their runs."},
    {"name": "health models", "description": "Versioned health models, activation, backtests."},
    {"name": "events", "description": "The event log as a cursor-paged feed."},
    {"name": "audit", "description": "Tamper evidence of the event log."},
    {"name": "ops", "description": "Consumers of the log, their lag and parked events."},
    {"name": "renewals", "description": "The renewal pipeline by contract end date (续约)."},
    {"name": "metrics", "description": "Business-time metrics over a date range."},
    {"name": "reporting", "description": "Exchange rates to the reporting currency (汇率) and "
                                         "annual renewal targets (年度续约目标)."},
    {"name": "team", "description": "The CS team's overview, CSM milestones, lifecycle board."},
    {"name": "imports", "description": "Spreadsheets in: customers, contracts, usage... "
                                       "(docs/import.md)."},
    {"name": "reports", "description": "The quarterly review (复盘) and auditors' evidence."},
]

# One module per resource, its writes and its reads together (api.routers.<resource>).
RESOURCES = (users, customers, contracts, events, usage, risks, tasks, requirements,
             complaints, subscriptions, projects, plans, touchpoints, playbooks,
             playbook_runs, reporting, imports, reports, health_models,
             tickets, surveys, activities, benchmarks, referrals, classification,
             weekly_briefs)


def routers_of(module: ModuleType) -> list[APIRouter]:
    """A resource module's routers: `router`, and `metrics` (`GET /metrics/<resource>`,
    tagged "metrics") when the resource has its own metrics."""
    return [r for r in (module.router, getattr(module, "metrics", None)) if r is not None]


def create_app(
    settings: Settings, *, run_projectors: bool = True, views: ViewsFactory | None = None,
    run_automation: bool = False, tick_interval: float = 60.0,
) -> FastAPI:
    """A new API for these settings.

    `run_automation` (with `run_projectors`) also runs the playbook automation in this
    process, every `tick_interval` seconds (what `cs-ledger serve` does). The settings are
    checked here (an unknown database URL scheme raises `InvalidSettings`).

    `views` opens the read side with the container (it receives the container and
    `run_projectors`); its value is available as `container.views`. By default it is
    `api.reads.side.open_views`: the read models, plus the projectors in this process
    when `run_projectors` (started in the lifespan, stopped on shutdown).
    """
    from api.reads import include_reads, side

    check_settings(settings)
    views = views or side.open_views

    @asynccontextmanager
    async def lifespan(api: FastAPI) -> AsyncIterator[None]:
        opened = open_container(settings, run_projectors=run_projectors, views_factory=views,
                                run_automation=run_automation, tick_interval=tick_interval)
        api.state.container = await run_in_threadpool(opened.__enter__)
        try:
            yield
        finally:
            api.state.container = None
            await run_in_threadpool(opened.__exit__, None, None, None)

    api = FastAPI(
        title="CS Ledger API", version="1.0.0", description=DESCRIPTION, openapi_tags=TAGS,
        lifespan=lifespan, docs_url=None, redoc_url=None,  # served by api.ops, no CDN
    )
    install_problem_handlers(api)
    install_edge(api, settings)  # inner: the ops middleware sees (and logs) its 413s
    install_ops(api)  # /healthz, /readyz, /metrics, /docs, /redoc, X-Request-ID, request logs
    for module in RESOURCES:
        for router in routers_of(module):
            api.include_router(router, prefix=API_PREFIX)
    include_reads(api, API_PREFIX)  # the reads across resources (renewals, team, ...)
    api.include_router(ops.router, prefix=API_PREFIX)  # parked events, consumers' lag

    from api.boards import install as install_boards

    install_boards(api)

    @api.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/app/")

    def openapi() -> dict[str, Any]:
        return finalize(api)

    api.openapi = openapi  # type: ignore[method-assign]
    return api


def install_edge(api: FastAPI, settings: Settings) -> None:
    """Input-edge hardening (issue 10): bodies over `max_body_bytes` → 413 before they
    are read whole (api.edge). Authentication before the body is parsed, and bad
    encodings, lone surrogates and deep nesting as malformed JSON: api.routing."""
    install_body_limit(api, settings.max_body_bytes)
