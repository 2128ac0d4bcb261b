"""Role boundaries of the work-item, delivery and playbook endpoints, for test_permissions.

Same table as test_permissions.CASES (merged into it): the roles allowed, written
out by hand from api.md's minimum table and the matrix in docs/security.md, and a
function that prepares a fresh request. "csm_own" owns the customer (and the
risks it raises, and the tasks assigned to it); "csm_other" owns nothing here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from typing import Any, Protocol
from uuid import uuid4

from cs_domain.churn_model import FittedModel
from projections.registry import select_views
from projections.runner import Projector
from projections.views.churn import FEATURES, store_model_file
from tests.api import work_support as ws
from tests.api.conftest import Api, User

Request = tuple[str, str, Any]
WEEKS = itertools.count()  # a fresh week per brief submitted (one brief per CSM and week)
OWNERS = {"admin", "manager", "csm_own"}
MANAGERS = {"admin", "manager"}
HANDLERS = OWNERS | {"support"}  # complaints
RAISERS = HANDLERS | {"implementation"}  # risks, requirements, complaints, projects, touchpoints
EVERYONE = {"admin", "manager", "csm_own", "csm_other", "support", "analyst", "auditor",
            "implementation", "sales"}


class World(Protocol):
    api: Api
    users: dict[str, User]

    @property
    def owner(self) -> User: ...

    def customer(self) -> str: ...


Case = tuple[set[str], Callable[[World], Request]]


def post(path: Callable[[World], str], body: Any) -> Callable[[World], Request]:
    return lambda w: ("POST", path(w), body)


def suffixed(at: Callable[[World], str], verb: str) -> Callable[[World], str]:
    return lambda w: f"{at(w)}/{verb}"


def own_risk(w: World, **kw: Any) -> str:
    return ws.risk(w.api, w.customer(), w.owner.headers, **kw)


def own_task(w: World, status: str = "todo", assignee: str = "csm_own") -> str:
    return ws.task(w.api, w.customer(), w.users[assignee], status=status)


def requirement_at(status: str) -> Callable[[World], str]:
    return lambda w: f"/requirements/{ws.requirement(w.api, w.customer(), status)}"


def complaint_at(status: str) -> Callable[[World], str]:
    return lambda w: f"/complaints/{ws.complaint(w.api, w.customer(), status)}"


def ticket_at(replied: bool) -> Callable[[World], str]:
    def at(w: World) -> str:
        ticket = w.api.ok("POST", "/tickets", {"customer_id": w.customer(), "channel": "chat",
                                               "subject": "Export help"})["id"]
        if replied:
            w.api.ok("POST", f"/tickets/{ticket}/reply", {})
        return f"/tickets/{ticket}"
    return at


def subscription_at(status: str) -> Callable[[World], str]:
    return lambda w: f"/subscriptions/{ws.subscription(w.api, w.customer(), status)}"


def project_path(*done: str) -> Callable[[World], str]:
    return lambda w: f"/projects/{ws.project(w.api, w.customer(), done=done)}"


def plan_path(active: bool = False, template: str | None = "roadmap_30_60_90"
              ) -> Callable[[World], str]:
    return lambda w: (f"/plans/{ws.plan(w.api, w.customer(), active=active, template=template)[0]}")


def milestone_path(w: World) -> str:
    plan_id, milestones = ws.plan(w.api, w.customer(), active=True)
    return f"/plans/{plan_id}/milestones/{milestones[0]}"


def run_path(w: World) -> str:
    customer = w.customer()
    return f"/playbook-runs/{ws.playbook_run(w.api, customer, f'c:{customer}')[0]}"


def new_risk(w: World) -> Request:
    return ("POST", "/risks", {"customer_id": w.customer(), "title": "Sponsor leaves",
                               "category": "relationship", "severity": "critical",
                               "due_date": ws.DUE, "raised_on": ws.RAISED})


def strategy(w: World) -> Request:
    body = {"strategy": "Meet the new sponsor", "owner_id": str(w.owner.id),
            "todos": [{"title": "Visit", "assignee_id": str(w.owner.id), "due_date": ws.DUE}],
            "set_on": ws.RAISED}
    return ("POST", f"/risks/{ws.risk(w.api, w.customer())}/strategy", body)


WORK_CASES: dict[str, Case] = {
    # risks
    "raise risk": (RAISERS, new_risk),
    "set risk strategy": (MANAGERS, strategy),
    "mitigate own risk": (OWNERS, post(lambda w: f"/risks/{own_risk(w)}/mitigation",
                                       {"note": "fix deployed", "recorded_on": "2025-03-05"})),
    "mitigate a risk support raised": ({"admin", "manager", "support"}, lambda w: (
        "POST", f"/risks/{ws.risk(w.api, w.customer(), w.users['support'].headers)}/mitigation",
        {"note": "ticket escalated", "recorded_on": "2025-03-05"})),
    "escalate own risk": (OWNERS, lambda w: (
        "POST", f"/risks/{own_risk(w)}/escalate",
        {"escalated_to": str(w.users["manager"].id), "reason": "no answer",
         "escalated_on": "2025-03-05"})),
    "change risk due date": (MANAGERS, post(lambda w: f"/risks/{own_risk(w)}/due-date",
                                            {"due_date": "2025-05-01", "changed_on": "2025-03-05"})),
    "reassign risk owner": (MANAGERS, lambda w: (
        "POST", f"/risks/{own_risk(w)}/owner", {"owner_id": str(w.users["csm_other"].id)})),
    "close own risk": (OWNERS, post(lambda w: f"/risks/{own_risk(w)}/close",
                                    {"resolution": "fixed", "closed_on": "2025-03-09"})),
    "reopen own risk": (OWNERS, post(lambda w: f"/risks/{own_risk(w, closed=True)}/reopen",
                                     {"reason": "back again", "reopened_on": "2025-03-12"})),
    # tasks
    "create task": (OWNERS, lambda w: ("POST", "/tasks", {
        "customer_id": w.customer(), "title": "Call", "assignee_id": str(w.users["support"].id),
        "due_date": ws.DUE})),
    "start task assigned to csm_own": (OWNERS, post(lambda w: f"/tasks/{own_task(w)}/start", {})),
    "start task assigned to support": ({"admin", "manager", "support"}, post(
        lambda w: f"/tasks/{own_task(w, assignee='support')}/start", {})),
    "complete own task": (OWNERS, post(lambda w: f"/tasks/{own_task(w, 'doing')}/complete",
                                       {"completed_on": "2025-03-04"})),
    "cancel own task": (OWNERS, post(lambda w: f"/tasks/{own_task(w)}/cancel",
                                     {"reason": "not needed"})),
    "reopen own task": (OWNERS, post(lambda w: f"/tasks/{own_task(w, 'done')}/reopen",
                                     {"reason": "redo", "reopened_on": "2025-03-05"})),
    "reschedule own task": (OWNERS, post(lambda w: f"/tasks/{own_task(w)}/reschedule",
                                         {"due_date": "2025-04-20"})),
    "reassign task": (MANAGERS, lambda w: (
        "POST", f"/tasks/{own_task(w)}/reassign", {"assignee_id": str(w.users["support"].id)})),
    # requirements
    "collect requirement": (RAISERS, lambda w: ("POST", "/requirements", {
        "customer_id": w.customer(), "requested_by": "Dr. Li", "summary": "SMS reminders"})),
    **{f"requirement {verb}": (OWNERS, post(suffixed(requirement_at(before), verb), body))
       for before, (_, verb, body) in zip(
           ["collected", "classified", "analysed", "handed_over", "scheduled"],
           ws.REQUIREMENT_STEPS, strict=True)},
    "requirement reject": (OWNERS, post(suffixed(requirement_at("analysed"), "reject"),
                                        {"reason": "pseudo-requirement", "on": "2025-03-04"})),
    "requirement feedback": (OWNERS, post(suffixed(requirement_at("delivered"), "feedback"),
                                          {"feedback": "told them", "on": "2025-05-03"})),
    # complaints
    "receive complaint": (RAISERS, lambda w: ("POST", "/complaints", {
        "customer_id": w.customer(), "channel": "email", "summary": "Slow pages",
        "severity": "medium", "needs_resources": False})),
    "investigate complaint": (HANDLERS, post(suffixed(complaint_at("received"), "investigate"),
                                            {"note": "calling back"})),
    "resolve complaint": (HANDLERS, post(suffixed(complaint_at("investigating"), "resolve"),
                                        {"resolution": "fixed"})),
    "review complaint": (HANDLERS, post(suffixed(complaint_at("resolved"), "review"), {
        "category": "performance", "root_cause": "cache", "improvement": "monitor",
        "reviewed_on": "2025-03-02"})),
    # support tickets (open/reply/resolve like complaints; accuracy reviews by managers)
    "open ticket": (HANDLERS, lambda w: ("POST", "/tickets", {
        "customer_id": w.customer(), "channel": "phone", "subject": "Login help"})),
    "reply ticket": (HANDLERS, post(suffixed(ticket_at(False), "reply"), {})),
    "resolve ticket": (HANDLERS, post(suffixed(ticket_at(True), "resolve"), {})),
    "review ticket": (MANAGERS, post(suffixed(ticket_at(True), "review"), {"accurate": True})),
    "record survey response": (HANDLERS, lambda w: ("POST", "/surveys/responses", {
        "customer_id": w.customer(), "kind": "nps", "score": 9, "responded_on": "2025-06-30"})),
    "report business change": (EVERYONE - {"csm_other", "analyst", "auditor"},
                               post(lambda w: f"/customers/{w.customer()}/business-changes",
                                    {"kind": "merger", "occurred_on": "2025-09-01"})),
    # weekly briefs (seed 003): one's own brief; follow-ups by managers
    "submit own brief": (OWNERS, lambda w: ("POST", f"/team/weekly/{1950 + next(WEEKS)}-W10/brief",
                                            {"summary": "A week", "problems": ["p"],
                                             "owner_id": str(w.owner.id)})),
    # classification (seed 001 §二.1): best practices per cell, managers only
    "record best practice": (MANAGERS, lambda w: ("POST", "/classification/best-practices", {
        "level": "strategic", "usage_class": "heavy", "text": "Monthly joint review"})),
}



DELIVERY_CASES: dict[str, Case] = {
    # subscriptions
    "provision subscription": (OWNERS, lambda w: ("POST", "/subscriptions", {
        "customer_id": w.customer(), "product": "Booking Pro", "seats": 5,
        "start_date": "2025-01-01", "end_date": "2025-12-31"})),
    "activate subscription": (OWNERS, post(suffixed(subscription_at("provisioned"), "activate"),
                                           {"activated_on": "2025-01-02"})),
    "suspend subscription": (OWNERS, post(suffixed(subscription_at("active"), "suspend"),
                                          {"reason": "unpaid", "suspended_on": "2025-05-01"})),
    "resume subscription": (OWNERS, post(suffixed(subscription_at("suspended"), "resume"),
                                         {"resumed_on": "2025-06-02"})),
    "expire subscription": (OWNERS, post(suffixed(subscription_at("active"), "expire"),
                                         {"expired_on": "2025-12-31"})),
    "change seats": (OWNERS, post(suffixed(subscription_at("provisioned"), "seats"),
                                  {"seats": 12, "effective_on": "2025-02-01"})),
    # projects
    "open project": (RAISERS, lambda w: ("POST", "/projects", {
        "contract_id": w.api.contract(w.customer(), "signed"), "name": "Roll-out",
        "opened_on": "2025-01-06"})),
    "start stage": (RAISERS, post(suffixed(project_path(), "stages/start"),
                                  {"stage": "kickoff", "started_on": "2025-01-07"})),
    "complete stage": (RAISERS, post(suffixed(project_path(), "stages/complete"),
                                     {"stage": "go-live", "completed_on": "2025-01-20"})),
    "reopen stage": (RAISERS, post(suffixed(project_path("kickoff"), "stages/reopen"),
                                   {"stage": "kickoff", "reason": "redo",
                                    "reopened_on": "2025-01-11"})),
    "complete project": (RAISERS, post(suffixed(project_path("kickoff", "go-live"), "complete"),
                                       {"completed_on": "2025-01-31"})),
    "cancel project": (RAISERS, post(suffixed(project_path(), "cancel"),
                                     {"reason": "contract ended", "cancelled_on": "2025-02-01"})),
    # plans
    "draft plan": (OWNERS, lambda w: ("POST", "/plans", {
        "customer_id": w.customer(), "start_date": "2025-01-06", "name": "Custom plan"})),
    "add milestone": (OWNERS, post(suffixed(plan_path(), "milestones"), {
        "title": "Second clinic live", "due_date": "2025-03-01", "acceptance_criterion": "live"})),
    "complete milestone": (OWNERS, post(lambda w: f"{milestone_path(w)}/complete", {
        "evidence": "handover form on file", "completed_on": "2025-01-07"})),
    "miss milestone": (OWNERS, post(lambda w: f"{milestone_path(w)}/miss",
                                    {"missed_on": "2025-01-08"})),
    "activate plan": (OWNERS, post(suffixed(plan_path(), "activate"),
                                   {"activated_on": "2025-01-06"})),
    "complete plan": (OWNERS, post(suffixed(plan_path(active=True, template=None), "complete"),
                                   {"completed_on": "2025-02-01"})),
    "abandon plan": (OWNERS, post(suffixed(plan_path(active=True), "abandon"),
                                  {"reason": "churned", "abandoned_on": "2025-02-01"})),
    # touchpoints and usage
    "record touchpoint": (RAISERS, lambda w: ("POST", "/touchpoints", {
        "customer_id": w.customer(), "kind": "call", "occurred_on": "2025-02-03",
        "summary": "Weekly call"})),
    "training follow-up": (RAISERS, lambda w: (
        "POST", f"/touchpoints/{ws.touchpoint(w.api, w.customer())}/follow-up",
        {"outcome": "all users active", "follow_up_on": "2025-01-27"})),
    "report usage": (OWNERS, lambda w: ("POST", f"/customers/{w.customer()}/usage", {
        "period_start": "2025-03-03", "period_end": "2025-03-09", "active_days_per_week": 4,
        "feature_adoption": "0.5", "open_issues": 1})),
    # playbooks
    "define playbook": (MANAGERS, lambda w: ("POST", "/playbooks", ws.playbook_body())),
    "revise playbook": (MANAGERS, post(lambda w: f"/playbooks/{ws.playbook(w.api)}/revisions",
                                       {"name": "Silent account v2"})),
    "retire playbook": (MANAGERS, post(lambda w: f"/playbooks/{ws.playbook(w.api)}/retire",
                                       {"reason": "replaced"})),
    "reinstate playbook": (MANAGERS, lambda w: (
        "POST", f"/playbooks/{ws.playbook(w.api, retired=True)}/reinstate", None)),
    "install default playbooks": (MANAGERS, lambda w: ("POST", "/playbooks/install-defaults", None)),
    "abandon playbook run": (OWNERS, post(lambda w: f"{run_path(w)}/abandon",
                                          {"reason": "customer churned"})),
    "record playbook outcome": (OWNERS, post(lambda w: f"{run_path(w)}/outcomes", {
        "metric": "QBR held", "achieved": True, "measured_on": "2025-02-01"})),
    "list playbooks": (EVERYONE, lambda w: ("GET", "/playbooks", None)),
    "read a playbook": (EVERYONE, lambda w: ("GET", f"/playbooks/{ws.playbook(w.api)}", None)),
    "list plan templates": (EVERYONE, lambda w: ("GET", "/plan-templates", None)),
    # reporting (fx rates need a reporting currency: tests/api/reads/test_rates_and_targets.py)
    "set renewal target": (MANAGERS, lambda w: ("PUT", "/targets/renewals/2031",
                                                {"renewal_rate": "0.9"})),
    # health models
    "define health model": (MANAGERS, lambda w: ("POST", "/health-models", health_model_body())),
    "activate health model": (MANAGERS, lambda w: (
        "POST", f"/health-models/{health_model(w.api)}/versions/1/activate", None)),
    "list health models": (EVERYONE, lambda w: ("GET", "/health-models", None)),
    "backtest health model": (EVERYONE, lambda w: (
        "GET", "/health-models/seed-004/versions/1/backtest?from=2025-01-01&to=2025-03-31",
        None)),
    "forecast accuracy": (EVERYONE, lambda w: (
        "GET", "/metrics/forecast-accuracy?from=2025-01-01&to=2025-03-31", None)),
    "predict churn": (EVERYONE, lambda w: (
        "GET", f"/predictions/churn?horizon_days={churn_model(w.api)}", None)),
}


def health_model_body() -> dict[str, Any]:
    return {"name": f"model-{uuid4().hex[:8]}", "description": "boundary case",
            "weights": {"active_days": 40, "adoption": 30, "open_issues": 5},
            "bands": {"yellow_from": 40, "green_from": 60}}


def churn_model(api: Api) -> int:
    """Records a churn model (parameters stored, version recorded) and projects it (these
    cases run no projector); returns its horizon."""
    fitted = FittedModel(FEATURES, (0.0,) * len(FEATURES), (1.0,) * len(FEATURES),
                         (0.1,) * len(FEATURES), 0.0)
    with api.container.runtime.models.write() as conn:
        digest = store_model_file(conn, fitted)
    api.container.app.record_churn_model(
        actor="test", horizon_days=30, trained_until=date(2025, 1, 1), features=FEATURES,
        metrics={"auc": "0.5"}, sha256=digest)
    Projector(api.container.app, api.container.runtime.models,
              select_views(["churn"])).catch_up()
    return 30


def health_model(api: Api) -> str:
    """A freshly defined model's name (version 1), defined by the admin."""
    return str(api.ok("POST", "/health-models", health_model_body())["name"])

WORK_CASES.update(DELIVERY_CASES)


# --- seed 001 §二.4/6/7: activities, benchmark cases, referrals (the CSM's own customers) ---
def activity_at(steps: int) -> Callable[[World], str]:
    def at(w: World) -> str:
        aid = w.api.ok("POST", "/activities", {"customer_id": w.customer(), "kind": "influence",
                                               "title": "Open day", "on": "2025-03-01"})["id"]
        for step in ("prepare", "launch")[:steps]:
            w.api.ok("POST", f"/activities/{aid}/{step}", {"on": "2025-03-02"})
        return f"/activities/{aid}"
    return at


GROWTH_CASES: dict[str, Case] = {
    "plan activity": (OWNERS, lambda w: ("POST", "/activities", {
        "customer_id": w.customer(), "kind": "revenue", "title": "Spring week"})),
    "prepare activity": (OWNERS, post(suffixed(activity_at(0), "prepare"), {})),
    "review activity": (OWNERS, post(suffixed(activity_at(2), "review"), {
        "participants": 10, "note": "fine", "on": "2025-03-03"})),
    "cancel activity": (OWNERS, post(suffixed(activity_at(0), "cancel"), {"reason": "moved"})),
}


def benchmark_case(w: World) -> str:
    customer = w.customer()
    found = w.api.ok("GET", f"/benchmark-cases?customer_id={customer}")["items"]
    if found:  # one case per customer: reuse the world's
        return f"/benchmark-cases/{found[0]['id']}"
    return "/benchmark-cases/" + w.api.ok("POST", "/benchmark-cases", {
        "customer_id": customer, "title": "Acme"})["id"]


def referral_at(w: World) -> str:
    return "/referrals/" + w.api.ok("POST", "/referrals", {
        "customer_id": w.customer(), "prospect_name": "Bright Smile",
        "incentive_policy": "2025 bonus", "incentive_text": "two free training days"})["id"]


GROWTH_CASES.update({
    "record benchmark outcome": (OWNERS, post(suffixed(benchmark_case, "outcome"), {
        "growth_pct": "10", "note": "revenue"})),
    "record benchmark recognition": (OWNERS, post(suffixed(benchmark_case, "recognition"), {
        "industry_known": True, "note": "award"})),
    "introduce referral": (OWNERS, lambda w: ("POST", "/referrals", {
        "customer_id": w.customer(), "prospect_name": "P", "incentive_policy": "bonus"})),
    "contact referral": (OWNERS, post(suffixed(referral_at, "contact"), {})),
    "lose referral": (OWNERS, post(suffixed(referral_at, "lose"), {"reason": "price"})),
})
WORK_CASES.update(GROWTH_CASES)
