"""Projects (项目): implementation delivery of a contract in ordered, weighted stages.
Step dates default to today (UTC)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import ConfigDict, Field

from api.schemas.common import EXAMPLE_ID, MAX_STAGES, IsoDate, Note, Number, Schema, ShortText, WriteResult

TODAY = "Defaults to today (UTC)."


class StageIn(Schema):
    name: ShortText
    weight: Number = Field(description="Share of the project (any positive number; the "
                                       "weights need not add up to 100).")


class ProjectOpen(Schema):
    contract_id: UUID = Field(description="The contract delivered; the customer is its customer.")
    name: ShortText
    opened_on: IsoDate | None = Field(default=None, description=TODAY)
    stages: Annotated[list[StageIn], Field(max_length=MAX_STAGES)] | None = Field(
        default=None, description="Default: kickoff 10, deployment 30, training 20, go-live 25, "
                                  "acceptance 15.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "contract_id": EXAMPLE_ID, "name": "Booking Pro roll-out, 3 clinics",
        "opened_on": "2025-01-06"}]})


class StageStart(Schema):
    stage: ShortText = Field(description="The stage's name (case does not matter).")
    started_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{"stage": "deployment",
                                                               "started_on": "2025-01-20"}]})


class StageComplete(Schema):
    stage: ShortText = Field(description="The stage's name (case does not matter).")
    completed_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{"stage": "deployment",
                                                               "completed_on": "2025-02-14"}]})


class StageReopen(Schema):
    stage: ShortText
    reason: Note
    reopened_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "stage": "training", "reason": "Front desk staff changed; train again."}]})


class ProjectProgress(WriteResult):
    progress: float = Field(description="Completed stage weight / total weight, 0..1 "
                                        "(1 only when every stage is done).")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": EXAMPLE_ID, "version": 4, "position": 1302, "progress": 0.4}]})


class ProjectComplete(Schema):
    completed_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{"completed_on": "2025-03-28"}]})


class ProjectCancel(Schema):
    reason: Note
    cancelled_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reason": "Contract terminated before go-live."}]})
