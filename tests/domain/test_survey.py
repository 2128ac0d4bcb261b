"""Survey responses (seed 004): bounded scores per kind, and the NPS rule."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_domain.errors import InvalidInput
from cs_domain.survey import SurveyResponse, nps


def record(**overrides: object) -> SurveyResponse:
    args: dict = dict(actor="u", customer_id=uuid.uuid4(), kind="nps", score=9,
                      responded_on=date(2025, 6, 30))
    args.update(overrides)
    return SurveyResponse.record(**args)


@pytest.mark.parametrize("kind,score,ok", [
    ("nps", 0, True), ("nps", 10, True), ("nps", 11, False), ("nps", -1, False),
    ("csat", 1, True), ("csat", 5, True), ("csat", 0, False), ("csat", 6, False),
    ("nps", True, False), ("nps", 9.5, False),
])
def test_scores_are_bounded_by_kind(kind, score, ok):
    if ok:
        assert record(kind=kind, score=score).score == score
    else:
        with pytest.raises(InvalidInput) as err:
            record(kind=kind, score=score)
        assert [e.field for e in err.value.errors] == ["score"]


@pytest.mark.parametrize("field,overrides", [
    ("kind", {"kind": "ces"}), ("responded_on", {"responded_on": date(1899, 12, 31)}),
    ("responded_on", {"responded_on": datetime(2025, 1, 1)}),
    ("respondent", {"respondent": "r" * 201}), ("comment", {"comment": "c" * 5001}),
])
def test_bad_input_names_the_field(field, overrides):
    with pytest.raises(InvalidInput) as err:
        record(**overrides)
    assert field in [e.field for e in err.value.errors]


def test_nps_examples():
    assert nps([]) is None
    assert nps([10, 9, 0]) == Decimal("33.33")
    assert nps([7, 8]) == Decimal("0.00")
    assert nps([6, 6]) == Decimal("-100.00")


@given(st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=200))
def test_nps_is_promoter_share_minus_detractor_share(scores):
    n = len(scores)
    promoters = sum(1 for s in scores if s in (9, 10))
    detractors = sum(1 for s in scores if s <= 6)
    value = nps(scores)
    assert value is not None and Decimal(-100) <= value <= Decimal(100)
    exact = Decimal(100) * (promoters - detractors) / n
    assert abs(value - exact) <= Decimal("0.005")
