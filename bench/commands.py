"""The command mix the write benchmarks send: drawn once, run in-process or over HTTP.

Realistic day-to-day writes on existing customers and contracts, one command per save:
weekly usage pushed by product analytics (the bulk of a CS log), renewal intents,
touchpoints, risks and profile edits. Each command writes one event. Usage weeks lie
after the dataset's `today`, so a report is new (a re-run on a reused dataset corrects
it instead, which is one event too).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from bench.config import TODAY
from bench.dataset import Pools
from cs_domain.app import CustomerSuccess

# kind → share of the mix (usage dominates a real log: ~40 % of the demo's events).
MIX = {"usage": 0.5, "renewal_intent": 0.15, "touchpoint": 0.15, "risk": 0.1, "profile": 0.1}
INDUSTRIES = ["Healthcare", "Retail", "Education", "Logistics", "Finance", "Manufacturing"]
RISK_CATEGORIES = ["adoption", "relationship", "product", "delivery", "commercial", "competitor"]
SUMMARIES = [
    "Weekly check-in with the operations lead; adoption of scheduling is growing.",
    "Call about the renewal: budget approved, procurement wants a three-year option.",
    "Training for the new front-desk team, twelve attendees; follow up in a week.",
]


@dataclass(frozen=True)
class Command:
    kind: str
    target: UUID  # the customer, or the contract for renewal intents
    args: dict[str, Any]


def _monday_after(day: date) -> date:
    return day + timedelta(days=7 - day.weekday())


def plan_commands(pools: Pools, count: int, seed: int,
                  only: Collection[str] | None = None) -> list[Command]:
    """`count` commands on the pools' customers and contracts, in a repeatable order
    (only of the kinds in `only`, when given, in the same proportions to each other)."""
    rng = random.Random(seed)
    kinds = [k for k in MIX if (only is None or k in only)
             and (k != "renewal_intent" or pools.contracts)]
    if not kinds:
        return []
    weights = [MIX[k] for k in kinds]
    next_week: dict[UUID, date] = {}
    commands = []
    for _ in range(count):
        kind = rng.choices(kinds, weights)[0]
        customer = rng.choice(pools.customers)
        if kind == "usage":
            # Each customer's next unreported week after today (offset by the seed, so
            # runs with different seeds report different weeks).
            week = next_week.get(customer) or _monday_after(TODAY) + timedelta(weeks=seed % 500)
            next_week[customer] = week + timedelta(weeks=1)
            level = rng.uniform(0.2, 1.0)
            commands.append(Command(kind, customer, {
                "period_start": week, "period_end": week + timedelta(days=6),
                "active_days_per_week": Decimal(f"{7 * level:.1f}"),
                "feature_adoption": Decimal(f"{level * 0.9:.2f}"),
                "open_issues": rng.randint(0, 4), "core_features_used": round(10 * level),
                "core_features_total": 10, "features_used": round(24 * level * 0.8),
                "features_available": 24}))
        elif kind == "renewal_intent":
            commands.append(Command(kind, rng.choice(pools.contracts), {
                "intent": rng.choice(["high", "medium", "low"]),
                "note": "Reviewed in the weekly renewal meeting."}))
        elif kind == "touchpoint":
            commands.append(Command(kind, customer, {
                "kind": rng.choice(["check_in", "call", "training", "qbr"]),
                "occurred_on": TODAY - timedelta(days=rng.randint(0, 6)),
                "summary": rng.choice(SUMMARIES), "participants": ["Operations lead"],
                "next_steps": ["Send the usage report"]}))
        elif kind == "risk":
            commands.append(Command(kind, customer, {
                "title": "Usage of the core module is falling",
                "category": rng.choice(RISK_CATEGORIES),
                "severity": rng.choice(["low", "medium", "high"]),
                "due_date": TODAY + timedelta(days=rng.randint(14, 60)),
                "description": "Active days fell for three weeks in a row.",
                "raised_on": TODAY}))
        else:
            commands.append(Command(kind, customer, {"industry": rng.choice(INDUSTRIES)}))
    return commands


def run_in_process(app: CustomerSuccess, pools: Pools) -> Callable[[Command], int]:
    """A function that runs one command through the application services; its position."""
    manager = str(pools.manager_id)
    integration = str(pools.team.integration.id)

    def run(c: Command) -> int:
        a = c.args
        if c.kind == "usage":
            return app.report_usage(actor=integration, customer_id=c.target, **a).position
        if c.kind == "renewal_intent":
            return app.set_renewal_intent(actor=manager, contract_id=c.target, **a).position
        if c.kind == "touchpoint":
            return app.record_touchpoint(actor=manager, customer_id=c.target, **a).position
        if c.kind == "risk":
            return app.raise_risk(actor=manager, customer_id=c.target, **a).position
        return app.update_customer(actor=manager, customer_id=c.target, **a).position

    return run


def _json(args: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, Decimal) else v)
            for k, v in args.items()}


def as_request(c: Command) -> tuple[str, str, dict[str, Any]]:
    """(method, path under /api/v1, JSON body) of the command's endpoint (docs/api.md)."""
    body = _json(c.args)
    if c.kind == "usage":
        return "POST", f"/customers/{c.target}/usage", body
    if c.kind == "renewal_intent":
        return "POST", f"/contracts/{c.target}/renewal-intent", body
    if c.kind == "touchpoint":
        return "POST", "/touchpoints", {"customer_id": str(c.target), **body}
    if c.kind == "risk":
        return "POST", "/risks", {"customer_id": str(c.target), **body}
    return "PATCH", f"/customers/{c.target}", body


# The OpenAPI path of each kind's endpoint: the HTTP benchmark sends only kinds the
# server under test offers (some write endpoints may not exist yet in a given build).
OPENAPI_PATHS = {
    "usage": ("post", "/api/v1/customers/{customer_id}/usage"),
    "renewal_intent": ("post", "/api/v1/contracts/{contract_id}/renewal-intent"),
    "touchpoint": ("post", "/api/v1/touchpoints"),
    "risk": ("post", "/api/v1/risks"),
    "profile": ("patch", "/api/v1/customers/{customer_id}"),
}
