"""Satisfaction survey responses (seed 004): NPS 0..10, CSAT 1..5."""

from __future__ import annotations

from uuid import UUID

from pydantic import ConfigDict, Field

from api.schemas.common import EXAMPLE_CUSTOMER_ID, IsoDate, Schema, WholeNumber
from cs_domain.survey import SurveyKind


class SurveyResponseRecord(Schema):
    customer_id: UUID
    kind: SurveyKind
    score: WholeNumber = Field(description="nps: 0..10; csat: 1..5.")
    respondent: str | None = Field(default=None, description="Who answered; at most 200 "
                                                             "characters.")
    responded_on: IsoDate = Field(description="Business date of the answer "
                                              "(1900-01-01 … 2199-12-31).")
    comment: str | None = Field(default=None, description="At most 5000 characters.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "customer_id": EXAMPLE_CUSTOMER_ID, "kind": "nps", "score": 9,
        "respondent": "Dr. Wang (director)", "responded_on": "2025-06-30",
        "comment": "The booking reminders cut no-shows."}]})
