"""Customer classification (seed 001 §二.1): the cross table and its best practices."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import Schema
from api.schemas.views.common import Position
from cs_domain.classification import PRACTICE_MAX, UsageClass
from projections.views.classification import ClassificationCell

EXAMPLE_PRACTICE_ID = "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918"
PRACTICE_EXAMPLE = "Monthly joint review of the booking funnel with the clinic director."


class BestPracticeRecord(Schema):
    level: str = Field(max_length=16, description="A level class: a tier (strategic, growth, "
                       "basic), a size grade (A..D) or `ungraded`.")
    usage_class: UsageClass = Field(description="heavy, regular, light, inactive, unreported.")
    text: str = Field(max_length=PRACTICE_MAX,
                      description=f"The practice; at most {PRACTICE_MAX} characters.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "level": "strategic", "usage_class": "heavy", "text": PRACTICE_EXAMPLE}]})


class ClassificationTable(BaseModel):
    level_by: str = Field(description="The level dimension: `tier` or `size_grade`.")
    levels: list[str] = Field(description="The level classes (then `ungraded` when a customer "
                                          "has no value on the dimension).")
    usage_classes: list[str]
    renewals_from: date = Field(description="First day of the renewal window.")
    renewals_to: date = Field(description="Last day of the renewal window.")
    cells: list[ClassificationCell] = Field(description="Every level × usage class pair, "
                                                        "levels first.")
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "level_by": "tier", "levels": ["strategic", "growth", "basic"],
        "usage_classes": ["heavy", "regular", "light", "inactive", "unreported"],
        "renewals_from": "2025-01-01", "renewals_to": "2025-12-31", "position": 2048,
        "cells": [{"level": "strategic", "usage_class": "heavy", "customers": 4,
                   "mean_health": 61.5, "renewal_rate": 1.0, "best_practices": [{
                       "id": EXAMPLE_PRACTICE_ID, "text": PRACTICE_EXAMPLE,
                       "recorded_by": "8d5e0b2a-1c3f-4e6a-b7d8-9f0a1b2c3d4e",
                       "recorded_at": "2025-06-30T08:00:00+00:00"}]}]}]})
