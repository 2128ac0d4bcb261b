"""Benchmark cases (标杆案例, seed 001 §二.6): nominate, recognition, measured outcome, the
pipeline steps and drop. Business dates default to today (UTC)."""

from __future__ import annotations

from uuid import UUID

from pydantic import ConfigDict, Field

from api.schemas.common import EXAMPLE_CUSTOMER_ID, Flag, IsoDate, Note, Number, Schema, ShortText

TODAY = "Defaults to today (UTC)."
STEP_ON = "The step's business date; defaults to today (UTC). It may not precede the previous " \
          "stage's."


class BenchmarkNominate(Schema):
    customer_id: UUID = Field(description="The candidate customer (one case per customer).")
    title: ShortText
    on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "customer_id": EXAMPLE_CUSTOMER_ID, "title": "Acme Dental: three clinics on one system",
        "on": "2025-06-02"}]})


class BenchmarkRecognition(Schema):
    industry_known: Flag = Field(description="Is the customer known in its industry (行业知名度)?")
    note: Note = Field(description="The evidence (awards, association roles, press).")
    on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "industry_known": True, "note": "Board member of the city dental association.",
        "on": "2025-06-02"}]})


class BenchmarkOutcome(Schema):
    cost_down_pct: Number | None = Field(default=None, description="Cost reduction in % "
                                                                   "(> 0, ≤ 1000, 2 places).")
    growth_pct: Number | None = Field(default=None, description="Business growth in % "
                                                                "(> 0, ≤ 1000, 2 places).")
    note: Note = Field(description="How it was measured.")
    measured_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "cost_down_pct": "12.5", "growth_pct": "30", "note": "Front-desk hours and revenue, "
        "2024 against 2025 H1.", "measured_on": "2025-07-01"}]})


class BenchmarkStep(Schema):
    note: Note | None = None
    on: IsoDate | None = Field(default=None, description=STEP_ON)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "note": "Case write-up and video handed to marketing.", "on": "2025-07-15"}]})


class BenchmarkDrop(Schema):
    reason: Note
    on: IsoDate | None = Field(default=None, description=STEP_ON)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reason": "The clinic declined to be named.", "on": "2025-07-15"}]})
