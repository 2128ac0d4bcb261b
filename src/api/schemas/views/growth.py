"""Benchmark case and referral reads (seed 001 §二.6, §二.7): items, pages, one; the
referral metric."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, with_config

from api.schemas.common import EXAMPLE_CUSTOMER_ID
from api.schemas.views.common import EXAMPLE_OWNER_ID, Position, Ratio
from api.schemas.views.work import CURSOR_DOC
from projections.views import benchmarks, referrals
from projections.views.benchmarks import BenchmarkItem, ClassCoverage
from projections.views.referrals import OwnerReferrals, ReferralItem

EXAMPLE_CASE_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
EXAMPLE_REFERRAL_ID = "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"


CASE_EXAMPLE: dict[str, Any] = {
    "id": EXAMPLE_CASE_ID, "customer_id": EXAMPLE_CUSTOMER_ID, "customer_name": "Acme Dental",
    "tier": "strategic", "title": "Acme Dental: three clinics on one system", "stage": "built",
    "nominated_by": "user:5c1d", "nominated_on": "2025-06-02", "built_on": "2025-07-15",
    "replicated_on": None, "upgraded_on": None, "replicated_again_on": None, "dropped_on": None,
    "stage_note": "Case write-up handed to marketing.", "drop_reason": None,
    "industry_known": True, "recognition_note": "Board member of the city dental association.",
    "recognized_on": "2025-06-02", "cost_down_pct": "12.5", "growth_pct": "30",
    "outcome_note": "Front-desk hours and revenue.", "measured_on": "2025-07-01",
    "criteria": {
        "industry_known": {"met": True, "note": "Board member of the city dental association.",
                           "recorded_on": "2025-06-02"},
        "all_modules_used": {"met": True, "period_start": "2025-06-23",
                             "feature_adoption": "0.95", "features_used": 12,
                             "features_available": 12},
        "measured_outcome": {"met": True, "cost_down_pct": "12.5", "growth_pct": "30",
                             "measured_on": "2025-07-01"}},
    "qualified": True,
}


class BenchmarkPage(BaseModel):
    items: list[BenchmarkItem] = Field(description="By nomination date, then id.")
    next_cursor: str | None = Field(description=CURSOR_DOC)
    coverage: list[ClassCoverage] = Field(description="Every class (tier), over all cases.")
    classes_without_case: list[str] = Field(description="Classes with customers but no case "
                                                        "built or further (每个类别至少一家).")
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "items": [CASE_EXAMPLE], "next_cursor": None,
        "coverage": [{"tier": "strategic", "customers": 4, "cases": 1, "covered": True},
                     {"tier": "growth", "customers": 9, "cases": 1, "covered": False},
                     {"tier": "basic", "customers": 20, "cases": 0, "covered": False}],
        "classes_without_case": ["growth", "basic"], "position": 1107}]})


@with_config(ConfigDict(json_schema_extra={"examples": [{**CASE_EXAMPLE, "position": 1107}]}))
class BenchmarkOne(benchmarks.BenchmarkOne):
    """One benchmark case with its criteria, with the position it reflects."""


REFERRAL_EXAMPLE: dict[str, Any] = {
    "id": EXAMPLE_REFERRAL_ID, "customer_id": EXAMPLE_CUSTOMER_ID,
    "credited_owner_id": EXAMPLE_OWNER_ID, "prospect_name": "Bright Smile Clinic",
    "prospect_contact": "Dr. Li", "note": None, "incentive_policy": "2025 referral bonus",
    "incentive_amount": "2000.00", "incentive_currency": "CNY", "incentive_text": None,
    "status": "won", "introduced_by": "user:5c1d", "introduced_on": "2025-05-06",
    "contacted_on": "2025-05-08", "proposed_on": "2025-05-20", "won_on": "2025-06-20",
    "lost_on": None, "deal_amount": "36000.00", "deal_currency": "CNY", "lost_reason": None,
}


class ReferralPage(BaseModel):
    items: list[ReferralItem] = Field(description="By introduction date, then id.")
    next_cursor: str | None = Field(description=CURSOR_DOC)
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [REFERRAL_EXAMPLE], "next_cursor": None, "position": 1107}]})


@with_config(ConfigDict(json_schema_extra={"examples": [
    {**REFERRAL_EXAMPLE, "position": 1107}]}))
class ReferralOne(referrals.ReferralOne):
    """One referral, with the position it reflects."""


class ReferralMetrics(BaseModel):
    # The figures of referrals.ReferralFigures (a TypedDict: a model cannot inherit it).
    referrals: int = Field(description="Introduced in [from, to].")
    won: int
    lost: int
    win_rate: Ratio | None = Field(description="won / (won + lost); null when none closed.")
    from_: date = Field(alias="from", serialization_alias="from")
    to: date
    by_status: dict[str, int] = Field(description="introduced, contacted, proposal, won, lost.")
    by_owner: list[OwnerReferrals]
    position: Position

    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "from": "2025-01-01", "to": "2025-12-31", "referrals": 5, "won": 2, "lost": 1,
        "win_rate": 0.6667,
        "by_status": {"introduced": 1, "contacted": 1, "proposal": 0, "won": 2, "lost": 1},
        "by_owner": [{"owner_id": EXAMPLE_OWNER_ID, "referrals": 5, "won": 2, "lost": 1,
                      "win_rate": 0.6667}],
        "position": 20258}]})
