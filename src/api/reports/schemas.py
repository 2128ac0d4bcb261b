"""Response shapes of the review and the evidence, for OpenAPI (the bodies are built by
api.reports.quarterly and api.reports.evidence; sections keep the endpoints' shapes)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class QuarterlyReview(BaseModel):
    quarter: str
    position: int = Field(description="The log position the review reflects.")
    head_hash: str | None = Field(description="The chain hash at `position`.")
    renewals: dict[str, Any] = Field(description="Exactly GET /metrics/renewals for the quarter.")

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [{
        "quarter": "2026Q3", "from": "2026-07-01", "to": "2026-09-30",
        "previous_quarter": "2026Q2", "position": 2239, "head_hash": "22e9a8a6…",
        "as_of": None, "renewals": {"from": "2026-07-01", "to": "2026-09-30",
                                    "currencies": [], "position": 2239},
        "churn_reasons": [], "health": {"day": "2026-09-30", "customers": 24, "bands": {
            "green": 0, "yellow": 13, "red": 11}, "mean_score": "38.4"},
        "health_movers": [], "risks": {}, "requirements": {}, "complaints": {},
        "activation": {}, "usage": {}, "playbooks": {}, "referrals": {}, "team": {},
        "previous": {}}]})


class EvidenceEvent(BaseModel):
    position: int
    originator_id: str
    version: int
    topic: str
    type: str
    actor: str | None
    recorded_at: str
    prev_hash: str
    hash: str | None
    state: str = Field(description="The stored bytes, base64.")
    data: dict[str, Any]


class Evidence(BaseModel):
    risk_id: str
    formula: str
    events: list[EvidenceEvent]
    head: dict[str, Any] | None
    position: int
    how_to_check: str

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "risk_id": "0b6f…", "formula": "hash = sha256(…)", "position": 1190,
        "events": [{"position": 1187, "originator_id": "0b6f…", "version": 1,
                    "topic": "cs_domain.risk:Risk.Raised", "type": "Raised", "actor": "3f1c…",
                    "recorded_at": "2026-12-07T15:25:31.485895Z", "prev_hash": "9a…",
                    "hash": "c4…", "state": "eyJ…", "data": {"actor": "3f1c…"}}],
        "head": {"position": 1207, "recorded_at": "2026-12-07T15:30:00.000000Z",
                 "hash": "6c1f…"},
        "how_to_check": "python3 docs/verify_evidence.py EVIDENCE.json"}]})
