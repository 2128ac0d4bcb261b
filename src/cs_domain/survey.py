"""Survey response (满意度, seed 004: NPS and satisfaction beside usage).

One response of one respondent on a customer: `nps` scores 0..10 ("how likely are you
to recommend us"), `csat` 1..5. A response is a fact: once recorded it is not changed.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from cs_domain.base import LedgerAggregate, check_enum, check_text
from cs_domain.errors import Validator
from cs_domain.number_checks import check_date

RESPONDENT_MAX = 200
COMMENT_MAX = 5000
HUNDREDTHS = Decimal("0.01")
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)


class SurveyKind(StrEnum):
    NPS = "nps"
    CSAT = "csat"


SCORE_RANGE = {SurveyKind.NPS.value: (0, 10), SurveyKind.CSAT.value: (1, 5)}


class SurveyResponse(LedgerAggregate):
    KIND = "survey_response"

    class Recorded(LedgerAggregate.Created):
        actor: str
        customer_id: UUID
        kind: str
        score: int
        respondent: str | None
        responded_on: date
        comment: str | None

    def __init__(self, actor: str, customer_id: UUID, kind: str, score: int,
                 respondent: str | None, responded_on: date, comment: str | None):
        self.customer_id = customer_id
        self.kind = kind
        self.score = score
        self.respondent = respondent
        self.responded_on = responded_on
        self.comment = comment
        self.recorded_by = actor

    @classmethod
    def record(
        cls, *, actor: str, customer_id: UUID, kind: str, score: Any, responded_on: date,
        respondent: str | None = None, comment: str | None = None,
        response_id: UUID | None = None,
    ) -> SurveyResponse:
        v = Validator()
        check_enum(v, SurveyKind, kind, "kind")
        low, high = SCORE_RANGE.get(kind, (0, 10))
        v.check(isinstance(score, int) and not isinstance(score, bool) and low <= score <= high,
                "score", f"must be a whole number from {low} to {high} for {kind}")
        if check_date(v, responded_on, "responded_on"):
            v.check(FIRST_DAY <= responded_on <= LAST_DAY, "responded_on",
                    "must be within 1900-01-01 … 2199-12-31")
        if respondent is not None:
            check_text(v, respondent, "respondent", max_len=RESPONDENT_MAX)
        if comment is not None:
            check_text(v, comment, "comment", max_len=COMMENT_MAX)
        v.done()
        return cls._create(
            cls.Recorded, id=response_id or uuid4(), actor=actor, customer_id=customer_id,
            kind=kind, score=score, responded_on=responded_on,
            respondent=None if respondent is None else respondent.strip(),
            comment=None if comment is None else comment.strip())


def nps_class(score: int) -> str:
    """promoter (9-10), passive (7-8), detractor (0-6)."""
    return "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"


def nps(scores: list[int]) -> Decimal | None:
    """Net Promoter Score: % promoters (9-10) − % detractors (0-6) over `scores`, from −100
    to 100, rounded half-up to 2 places; None for no scores."""
    if not scores:
        return None
    net = sum(1 for s in scores if s >= 9) - sum(1 for s in scores if s <= 6)
    return (Decimal(100 * net) / Decimal(len(scores))).quantize(HUNDREDTHS, rounding=ROUND_HALF_UP)
