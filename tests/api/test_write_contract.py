"""The write paths and body fields that docs/api.md (the public contract) fixes, as written,
and every path of this release in the OpenAPI document."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api

P = "/api/v1"
# (method, path) → the body fields api.md names (required ones without "?").
FIXED: dict[tuple[str, str], tuple[set[str], set[str]]] = {
    ("post", "/risks"): ({"customer_id", "title", "category", "severity", "due_date"},
                         {"description"}),
    ("post", "/risks/{risk_id}/strategy"): ({"strategy", "owner_id", "todos"}, set()),
    ("post", "/risks/{risk_id}/close"): ({"resolution"}, set()),
    ("post", "/risks/{risk_id}/reopen"): ({"reason"}, set()),
    ("post", "/customers/{customer_id}/usage"): (
        {"period_start", "period_end", "active_days_per_week", "feature_adoption", "open_issues"},
        {"core_features_used", "core_features_total", "nps"}),
}
WRITES = {
    "/risks": {"post"},
    **{f"/risks/{{risk_id}}/{v}": {"post"}
       for v in ("strategy", "mitigation", "escalate", "due-date", "owner", "close", "reopen")},
    "/tasks": {"post"},
    **{f"/tasks/{{task_id}}/{v}": {"post"}
       for v in ("start", "complete", "cancel", "reopen", "reassign", "reschedule")},
    "/requirements": {"post"},
    **{f"/requirements/{{requirement_id}}/{v}": {"post"}
       for v in ("classify", "analyse", "hand-to-product", "schedule", "deliver", "reject",
                 "feedback")},
    "/complaints": {"post"},
    **{f"/complaints/{{complaint_id}}/{v}": {"post"} for v in ("investigate", "resolve", "review")},
    "/subscriptions": {"post"},
    **{f"/subscriptions/{{subscription_id}}/{v}": {"post"}
       for v in ("activate", "suspend", "resume", "expire", "seats")},
    "/projects": {"post"},
    **{f"/projects/{{project_id}}/{v}": {"post"}
       for v in ("stages/start", "stages/complete", "stages/reopen", "complete", "cancel")},
    "/plan-templates": {"get"}, "/plans": {"post"},
    "/plans/{plan_id}/milestones": {"post"},
    "/plans/{plan_id}/milestones/{milestone_id}/complete": {"post"},
    "/plans/{plan_id}/milestones/{milestone_id}/miss": {"post"},
    **{f"/plans/{{plan_id}}/{v}": {"post"} for v in ("activate", "complete", "abandon")},
    "/touchpoints": {"post"}, "/touchpoints/{touchpoint_id}/follow-up": {"post"},
    "/customers/{customer_id}/usage": {"post"},
    "/playbooks": {"get", "post"}, "/playbooks/{playbook_id}": {"get"},
    "/playbooks/install-defaults": {"post"},
    **{f"/playbooks/{{playbook_id}}/{v}": {"post"} for v in ("revisions", "retire", "reinstate")},
    "/playbook-runs/{run_id}/abandon": {"post"}, "/playbook-runs/{run_id}/outcomes": {"post"},
}


def body_schema(spec: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]]  # type: ignore[no-any-return]


def test_every_write_path_of_this_release_exists(api: Api):
    paths = api.client.get("/openapi.json").json()["paths"]
    for path, methods in WRITES.items():
        assert methods <= set(paths.get(P + path, {})), path


def test_fixed_bodies_carry_the_contract_fields(api: Api):
    spec = api.client.get("/openapi.json").json()
    for (method, path), (required, optional) in FIXED.items():
        schema = body_schema(spec, spec["paths"][P + path][method])
        assert required <= set(schema.get("required", [])), path
        assert required | optional <= set(schema["properties"]), path
    strategy = body_schema(spec, spec["paths"][P + "/risks/{risk_id}/strategy"]["post"])
    todo = spec["components"]["schemas"][strategy["properties"]["todos"]["items"]["$ref"]
                                         .rsplit("/", 1)[1]]
    assert set(todo["required"]) == {"title", "assignee_id", "due_date"}
    risk = body_schema(spec, spec["paths"][P + "/risks"]["post"])
    enums = {name: spec["components"]["schemas"][risk["properties"][name]["$ref"]
                                                 .rsplit("/", 1)[1]]["enum"]
             for name in ("category", "severity")}
    assert enums == {"category": ["adoption", "relationship", "product", "delivery",
                                  "commercial", "competitor", "other"],
                     "severity": ["low", "medium", "high", "critical"]}
