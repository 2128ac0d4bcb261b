"""Satisfaction survey commands (seed 004): record an NPS or CSAT response."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from cs_domain.application import CommandResult
from cs_domain.services.customers import CustomerCommands
from cs_domain.survey import SurveyResponse


class SurveyCommands(CustomerCommands):
    def record_survey_response(
        self, *, actor: str, customer_id: UUID, kind: str, score: Any, responded_on: date,
        respondent: str | None = None, comment: str | None = None,
        response_id: UUID | None = None,
    ) -> CommandResult:
        response = SurveyResponse.record(
            actor=actor, customer_id=customer_id, kind=kind, score=score,
            responded_on=responded_on, respondent=respondent, comment=comment,
            response_id=response_id)
        self.check_customer(customer_id)
        return self.result(response, self.commit(response))
