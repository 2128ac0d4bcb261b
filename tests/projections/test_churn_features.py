"""Features as of a date read no fact dated after it (property), and the fitted model's
scoring: probability and contributions by hand, the hash of its parameters."""

from __future__ import annotations

import math
from datetime import date, timedelta
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from cs_domain.churn_model import FittedModel
from projections.views.churn import FEATURES, CustomerFacts, Term, features_at
from tests.profiles import examples

DAY = date(2025, 6, 1)
CONTRACT = UUID(int=1)
offsets = st.integers(min_value=-400, max_value=400)


def facts(draw: st.DrawFn, shift: int) -> CustomerFacts:
    """Facts whose dates are DAY + offset, every offset > `shift` when shift ≥ 0."""

    def day() -> date:
        offset = draw(offsets)
        return DAY + timedelta(days=offset if shift < 0 else shift + 1 + abs(offset))

    f = CustomerFacts("Acme", draw(st.sampled_from(["basic", "growth", "strategic"])), None)
    ends = sorted(day() for _ in range(draw(st.integers(0, 8))))
    f.period_ends = ends
    f.periods = [(float(draw(st.integers(0, 7))), draw(st.sampled_from([0.0, 0.5, 1.0])),
                  float(draw(st.integers(0, 100)))) for _ in ends]
    f.risks = [(day(), draw(st.none() | st.builds(day)), draw(st.none() | st.builds(day)))
               for _ in range(draw(st.integers(0, 3)))]
    f.complaints = sorted(day() for _ in range(draw(st.integers(0, 3))))
    f.requirements = [(day(), draw(st.none() | st.builds(day)))
                      for _ in range(draw(st.integers(0, 3)))]
    f.touchpoints = sorted(day() for _ in range(draw(st.integers(0, 3))))
    f.intents = sorted((day(), n, CONTRACT, draw(st.sampled_from(["low", "medium", "high"])))
                       for n in range(draw(st.integers(0, 2))))
    return f


def merged(a: CustomerFacts, b: CustomerFacts) -> CustomerFacts:
    out = CustomerFacts(a.name, a.tier, None, terms=a.terms)
    pairs = sorted(zip(a.period_ends + b.period_ends, a.periods + b.periods, strict=True),
                   key=lambda p: p[0])
    out.period_ends = [p[0] for p in pairs]
    out.periods = [p[1] for p in pairs]
    out.risks = a.risks + b.risks
    out.complaints = sorted(a.complaints + b.complaints)
    out.requirements = a.requirements + b.requirements
    out.touchpoints = sorted(a.touchpoints + b.touchpoints)
    out.intents = sorted(a.intents + b.intents)
    return out


@st.composite
def histories(draw: st.DrawFn) -> tuple[CustomerFacts, CustomerFacts]:
    known = facts(draw, -1)
    known.terms = [Term(DAY - timedelta(days=200), DAY + timedelta(days=165), None, "active",
                        None, None, CONTRACT)]
    return known, facts(draw, 0)


@settings(max_examples=examples(200), deadline=None)
@given(histories())
def test_facts_dated_after_the_day_change_no_feature(history):
    known, later = history
    assert features_at(merged(known, later), DAY) == features_at(known, DAY)


def test_scoring_by_hand():
    model = FittedModel(("a", "b"), (1.0, 0.0), (2.0, 1.0), (0.5, -1.0), -0.25)
    probability, contributions = model.score({"a": 5.0, "b": 0.5})
    # a: 0.5 × (5 − 1) / 2 = 1.0; b: −1 × 0.5 = −0.5; logit = −0.25 + 0.5
    assert contributions == [("a", 1.0), ("b", -0.5)]
    assert math.isclose(probability, 1 / (1 + math.exp(-0.25)))
    again = FittedModel.from_body(model.body())
    assert again == model and again.sha256() == model.sha256()
    assert FittedModel(("a", "b"), (1.0, 0.0), (2.0, 1.0), (0.5, -1.0), -0.2).sha256() != \
        model.sha256()


def test_every_feature_is_computed():
    f = CustomerFacts("Acme", "growth", None)
    assert set(features_at(f, DAY)) == set(FEATURES)


def test_training_history_starts_where_usage_is_tracked_for_most_customers():
    """Sparse early usage (imported history) is left out: the latest unbroken run of weekly
    dates on which most customers in force have recent usage starts the history."""
    from projections.churn_training import covered_from

    until = date(2026, 12, 6)
    customers = {}
    for n in range(4):
        f = CustomerFacts(f"C{n}", "basic", None)
        f.terms = [Term(date(2024, 1, 1), date(2027, 1, 1), None, "active", None, None,
                        UUID(int=n))]
        weeks = [date(2024, 1, 7)] if n else []  # one onboarding report, then nothing
        day = date(2026, 3, 8)
        while day <= until:
            weeks.append(day)
            day += timedelta(days=7)
        f.period_ends = weeks
        f.periods = [(5.0, 1.0, 50.0)] * len(weeks)
        customers[UUID(int=n)] = f
    start = covered_from(customers, until)
    assert date(2026, 3, 8) <= start <= date(2026, 3, 15)
