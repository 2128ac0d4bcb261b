"""The permission matrix: who may do what, enforced in this one place.

Every endpoint names an :class:`Action`; :func:`authorize` checks the acting
principal's role against :data:`MATRIX`. A role holds an action for `ANY` item
or only for its `OWN` items; what "own" means is fixed per action (the customer's
owner, the task's assignee, ...) and the item's owner is loaded only when the
answer depends on it. docs/security.md shows :func:`matrix_markdown` verbatim;
a test keeps the two identical.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from api.problems import ApiProblem
from cs_domain.user import Role


class Scope(StrEnum):
    ANY = "any"
    OWN = "own"


class Action(StrEnum):
    CREATE_USERS = "users.create"
    MANAGE_USERS = "users.manage"
    ROTATE_TOKEN = "users.rotate_token"
    CREATE_CUSTOMER = "customers.create"
    EDIT_CUSTOMER = "customers.edit"
    REASSIGN_OWNER = "customers.reassign_owner"
    HAND_OVER = "customers.handover"
    WRITE_CONTRACTS = "contracts.write"
    RECORD_USAGE = "usage.record"
    RAISE_ISSUES = "issues.raise"
    SET_RISK_STRATEGY = "risks.set_strategy"
    CLOSE_RISK = "risks.close"
    MITIGATE_RISK = "risks.mitigate"
    MANAGE_RISK = "risks.manage"
    CREATE_TASK = "tasks.create"
    UPDATE_TASK = "tasks.update"
    REASSIGN_TASK = "tasks.reassign"
    PROCESS_REQUIREMENT = "requirements.process"
    HANDLE_COMPLAINT = "complaints.handle"
    HANDLE_TICKET = "tickets.handle"
    REVIEW_TICKET = "tickets.review"
    RECORD_SURVEY = "surveys.record"
    WRITE_ACTIVITIES = "activities.write"
    WRITE_BENCHMARKS = "benchmarks.write"
    WRITE_REFERRALS = "referrals.write"
    WRITE_SUBSCRIPTIONS = "subscriptions.write"
    WRITE_PROJECTS = "projects.write"
    WRITE_PLANS = "plans.write"
    RECORD_TOUCHPOINT = "touchpoints.record"
    MANAGE_PLAYBOOKS = "playbooks.manage"
    MANAGE_HEALTH_MODELS = "health_models.manage"
    WRITE_PLAYBOOK_RUNS = "playbook_runs.write"
    RECORD_FX_RATES = "fx_rates.record"
    SET_TARGETS = "targets.set"
    IMPORT_SHEETS = "sheets.import"
    READ = "read"
    READ_REPORTS = "reports.read"
    VERIFY_AUDIT = "audit.verify"
    OPS_STATUS = "ops.status"
    OPS_RETRY = "ops.retry"
    READ_EVIDENCE = "audit.evidence"


@dataclass(frozen=True)
class ActionInfo:
    covers: str
    own_means: str = ""


ACTIONS: dict[Action, ActionInfo] = {
    Action.CREATE_USERS: ActionInfo("`POST /users`"),
    Action.MANAGE_USERS: ActionInfo("change a user's role, deactivate a user"),
    Action.ROTATE_TOKEN: ActionInfo("issue a new token for a user", "the user is oneself"),
    Action.CREATE_CUSTOMER: ActionInfo("`POST /customers`", "`owner_id` is oneself"),
    Action.EDIT_CUSTOMER: ActionInfo(
        "profile, stage, contacts, support manager", "one is the customer's owner"),
    Action.HAND_OVER: ActionInfo("the sales→CSM handover (客户交接表) and agreed expectations",
                                 "one is the customer's owner"),
    Action.REASSIGN_OWNER: ActionInfo("`POST /customers/{id}/owner`"),
    Action.WRITE_CONTRACTS: ActionInfo(
        "draft, sign, activate, renewal intent, renew, churn, terminate",
        "one owns the contract's customer"),
    Action.RECORD_USAGE: ActionInfo("usage signals of a customer", "one owns the customer"),
    Action.RAISE_ISSUES: ActionInfo("raise a risk, requirement or complaint",
                                    "one owns the customer"),
    Action.SET_RISK_STRATEGY: ActionInfo("set a risk's strategy and todos"),
    Action.CLOSE_RISK: ActionInfo("close / reopen a risk", "one owns the risk"),
    Action.MITIGATE_RISK: ActionInfo("record mitigation on a risk, escalate it", "one owns the risk"),
    Action.MANAGE_RISK: ActionInfo("change a risk's due date, reassign its owner"),
    Action.CREATE_TASK: ActionInfo("`POST /tasks`", "one owns the task's customer"),
    Action.UPDATE_TASK: ActionInfo("start, complete, cancel, reopen, reschedule a task",
                                   "the task is assigned to one"),
    Action.REASSIGN_TASK: ActionInfo("give a task to another assignee"),
    Action.PROCESS_REQUIREMENT: ActionInfo(
        "classify, analyse, hand to product, schedule, deliver, reject, give feedback",
        "one owns the requirement's customer"),
    Action.HANDLE_COMPLAINT: ActionInfo("investigate, resolve, review a complaint",
                                        "one owns the complaint's customer"),
    Action.HANDLE_TICKET: ActionInfo("open a support ticket, give its first reply, resolve it",
                                     "one owns the ticket's customer"),
    Action.REVIEW_TICKET: ActionInfo("review the accuracy of a ticket's first reply"),
    Action.RECORD_SURVEY: ActionInfo("record an NPS / CSAT survey response",
                                     "one owns the customer"),
    Action.WRITE_ACTIVITIES: ActionInfo(
        "plan an activity with a customer; prepare, launch, review, improve, cancel it",
        "one owns the activity's customer"),
    Action.WRITE_BENCHMARKS: ActionInfo(
        "nominate a benchmark case; record recognition and outcome; move it along the pipeline",
        "one owns the case's customer"),
    Action.WRITE_REFERRALS: ActionInfo(
        "record a referral from a customer; move it from contact to won / lost",
        "one owns the referring customer"),
    Action.WRITE_SUBSCRIPTIONS: ActionInfo(
        "provision, activate, suspend, resume, expire a subscription; change its seats",
        "one owns the subscription's customer"),
    Action.WRITE_PROJECTS: ActionInfo("open a delivery project, move its stages, complete, cancel",
                                      "one owns the project's customer"),
    Action.WRITE_PLANS: ActionInfo(
        "draft a success plan, its milestones; activate, complete, abandon it",
        "one owns the plan's customer"),
    Action.RECORD_TOUCHPOINT: ActionInfo("record a touchpoint, a training's follow-up",
                                         "one owns the customer"),
    Action.MANAGE_PLAYBOOKS: ActionInfo(
        "define, revise, retire, reinstate playbooks; install the shipped ones"),
    Action.MANAGE_HEALTH_MODELS: ActionInfo(
        "record a health model version, activate one (`/health-models`)"),
    Action.WRITE_PLAYBOOK_RUNS: ActionInfo("abandon a playbook run, record its outcome",
                                           "one owns the run's customer"),
    Action.RECORD_FX_RATES: ActionInfo("`POST /fx-rates`: exchange rates to the reporting "
                                       "currency"),
    Action.SET_TARGETS: ActionInfo("`PUT /targets/renewals/{year}`: annual renewal targets"),
    Action.READ: ActionInfo("views, metrics, `as_of`, `/events`, trails, `/users/me`"),
    Action.IMPORT_SHEETS: ActionInfo("`POST /imports/{kind}`: customers, contacts, contracts, "
                                     "usage, risks, tasks from a CSV or XLSX sheet"),
    Action.READ_REPORTS: ActionInfo("`GET /reports/quarterly` (the quarterly review)"),
    Action.VERIFY_AUDIT: ActionInfo("`GET /audit/verify`"),
    Action.OPS_STATUS: ActionInfo("`GET /ops/status`: consumers' positions, parked events"),
    Action.OPS_RETRY: ActionInfo("`POST /ops/parked/{id}/retry`: handle a parked event again"),
    Action.READ_EVIDENCE: ActionInfo("`GET /risks/{id}/evidence` (a risk's events and chain "
                                     "links)"),
}

ANY, OWN = Scope.ANY, Scope.OWN
A, M, C, S, N, U = (Role.ADMIN, Role.MANAGER, Role.CSM, Role.SUPPORT, Role.ANALYST, Role.AUDITOR)
IM, SA = Role.IMPLEMENTATION, Role.SALES

MATRIX: dict[Action, dict[Role, Scope]] = {
    Action.CREATE_USERS: {A: ANY},
    Action.MANAGE_USERS: {A: ANY},
    Action.ROTATE_TOKEN: {A: ANY, M: OWN, C: OWN, S: OWN, IM: OWN, SA: OWN},
    Action.CREATE_CUSTOMER: {A: ANY, M: ANY, C: OWN},
    Action.EDIT_CUSTOMER: {A: ANY, M: ANY, C: OWN},
    Action.REASSIGN_OWNER: {A: ANY, M: ANY},
    Action.HAND_OVER: {A: ANY, M: ANY, C: OWN, SA: ANY},
    Action.WRITE_CONTRACTS: {A: ANY, M: ANY, C: OWN},
    Action.RECORD_USAGE: {A: ANY, M: ANY, C: OWN},
    Action.RAISE_ISSUES: {A: ANY, M: ANY, C: OWN, S: ANY, IM: ANY},
    Action.SET_RISK_STRATEGY: {A: ANY, M: ANY},
    Action.CLOSE_RISK: {A: ANY, M: ANY, C: OWN},
    Action.MITIGATE_RISK: {A: ANY, M: ANY, C: OWN, S: OWN, IM: OWN},
    Action.MANAGE_RISK: {A: ANY, M: ANY},
    Action.CREATE_TASK: {A: ANY, M: ANY, C: OWN},
    Action.UPDATE_TASK: {A: ANY, M: ANY, C: OWN, S: OWN, IM: OWN, SA: OWN},
    Action.REASSIGN_TASK: {A: ANY, M: ANY},
    Action.PROCESS_REQUIREMENT: {A: ANY, M: ANY, C: OWN},
    Action.HANDLE_COMPLAINT: {A: ANY, M: ANY, C: OWN, S: ANY},
    Action.HANDLE_TICKET: {A: ANY, M: ANY, C: OWN, S: ANY},
    Action.REVIEW_TICKET: {A: ANY, M: ANY},
    Action.RECORD_SURVEY: {A: ANY, M: ANY, C: OWN, S: ANY},
    Action.WRITE_ACTIVITIES: {A: ANY, M: ANY, C: OWN},
    Action.WRITE_BENCHMARKS: {A: ANY, M: ANY, C: OWN},
    Action.WRITE_REFERRALS: {A: ANY, M: ANY, C: OWN},
    Action.WRITE_SUBSCRIPTIONS: {A: ANY, M: ANY, C: OWN},
    Action.WRITE_PROJECTS: {A: ANY, M: ANY, C: OWN, S: ANY, IM: ANY},
    Action.WRITE_PLANS: {A: ANY, M: ANY, C: OWN},
    Action.RECORD_TOUCHPOINT: {A: ANY, M: ANY, C: OWN, S: ANY, IM: ANY},
    Action.MANAGE_PLAYBOOKS: {A: ANY, M: ANY},
    Action.MANAGE_HEALTH_MODELS: {A: ANY, M: ANY},
    Action.WRITE_PLAYBOOK_RUNS: {A: ANY, M: ANY, C: OWN},
    Action.RECORD_FX_RATES: {A: ANY, M: ANY},
    Action.SET_TARGETS: {A: ANY, M: ANY},
    Action.IMPORT_SHEETS: {A: ANY, M: ANY},
    Action.READ: {A: ANY, M: ANY, C: ANY, S: ANY, N: ANY, U: ANY, IM: ANY, SA: ANY},
    Action.READ_REPORTS: {A: ANY, M: ANY, N: ANY, U: ANY},
    Action.VERIFY_AUDIT: {A: ANY, U: ANY},
    Action.OPS_STATUS: {A: ANY, M: ANY, U: ANY},
    Action.OPS_RETRY: {A: ANY},
    Action.READ_EVIDENCE: {A: ANY, U: ANY},
}

WRITE_ACTIONS = frozenset(MATRIX) - {Action.READ, Action.READ_REPORTS, Action.VERIFY_AUDIT,
                                     Action.READ_EVIDENCE, Action.OPS_STATUS}


@dataclass(frozen=True)
class Principal:
    """Who is acting: a user (or the bootstrap admin). `actor` goes on every event."""

    actor: str
    role: Role
    name: str
    user_id: UUID | None = None


@dataclass(frozen=True)
class Resource:
    """The item acted on, as far as permissions care: whose it is."""

    kind: str
    owner_id: UUID | None


ResourceLoader = Callable[[], Resource]


class Forbidden(ApiProblem):
    def __init__(self, detail: str):
        super().__init__(403, "forbidden", detail)


def scope_of(role: Role, action: Action) -> Scope | None:
    return MATRIX[action].get(role)


def authorize(principal: Principal, action: Action, resource: ResourceLoader | None = None) -> None:
    """Raises Forbidden unless the principal may do `action` (on the loaded resource)."""
    scope = scope_of(principal.role, action)
    if scope is None:
        raise Forbidden(f"role {principal.role.value} may not do {action.value} "
                        f"({ACTIONS[action].covers})")
    if scope is Scope.ANY:
        return
    if resource is None:
        raise Forbidden(f"role {principal.role.value} may only do this on its own items")
    item = resource()
    if principal.user_id is None or item.owner_id != principal.user_id:
        raise Forbidden(
            f"role {principal.role.value} may only act on its own items "
            f"({ACTIONS[action].own_means}); this {item.kind} is not")


# --- the documented table -----------------------------------------------------------
def matrix_markdown() -> str:
    """The matrix as the markdown table docs/security.md carries verbatim."""
    roles = list(Role)
    head = "| action | covers | " + " | ".join(r.value for r in roles) + " | own means |"
    rule = "|" + "---|" * (len(roles) + 3)
    rows = [head, rule]
    for action in Action:
        cells = []
        for role in roles:
            scope = MATRIX[action].get(role)
            cells.append("" if scope is None else ("✓ any" if scope is Scope.ANY else "✓ own"))
        info = ACTIONS[action]
        rows.append(f"| `{action.value}` | {info.covers} | " + " | ".join(cells)
                    + f" | {info.own_means} |")
    return "\n".join(rows)
