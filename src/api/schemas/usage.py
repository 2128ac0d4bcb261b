"""Usage signals: one customer's figures for one period (pushed by product analytics)."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from api.schemas.common import EXAMPLE_ID, IsoDate, Number, Schema, WholeNumber, WriteResult, range_of
from cs_domain.usage import MAX_COUNT


class UsageReportIn(Schema):
    period_start: IsoDate = Field(description="With the customer, identifies the report: sending "
                                              "the same period again corrects it.")
    period_end: IsoDate
    active_days_per_week: Number = Field(description="0..7", json_schema_extra=range_of(0, 7))
    feature_adoption: Number = Field(description="Ratio 0..1 of the features adopted.",
                                     json_schema_extra=range_of(0, 1))
    open_issues: WholeNumber = Field(description="Open issues (tickets) at the period's end, ≥ 0.",
                                     json_schema_extra=range_of(0, MAX_COUNT))
    core_features_used: WholeNumber | None = Field(
        default=None, description="Depth: with core_features_total.",
        json_schema_extra=range_of(0, MAX_COUNT))
    core_features_total: WholeNumber | None = Field(default=None,
                                                    json_schema_extra=range_of(1, MAX_COUNT))
    features_used: WholeNumber | None = Field(
        default=None, description="Breadth: with features_available.",
        json_schema_extra=range_of(0, MAX_COUNT))
    features_available: WholeNumber | None = Field(default=None,
                                                   json_schema_extra=range_of(1, MAX_COUNT))
    nps: WholeNumber | None = Field(default=None, description="Net Promoter Score of the period's "
                                                      "respondents, -100..100.",
                                    json_schema_extra=range_of(-100, 100))

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "period_start": "2025-03-03", "period_end": "2025-03-09", "active_days_per_week": 4.5,
        "feature_adoption": "0.62", "open_issues": 2, "core_features_used": 7,
        "core_features_total": 10, "nps": 40}]})


class UsageRecorded(WriteResult):
    corrected: bool = Field(description="The period had been reported before.")
    changed: bool = Field(description="False when the figures equal those already recorded: "
                                      "nothing was written.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": EXAMPLE_ID, "version": 1, "position": 5120, "corrected": False, "changed": True}]})
