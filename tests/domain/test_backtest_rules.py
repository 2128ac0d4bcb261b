"""Backtest figures (cs_domain.backtest) on a hand-computed history, and AUC's definition as
a property: the Mann-Whitney statistic equals the count over every pair, ties half."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_domain.backtest import Observation, auc, backtest
from cs_domain.errors import InvalidInput, NotFound
from cs_domain.health_model import HealthModelRegistry
from cs_domain.rules import RATE

A, B, C = (UUID(int=n) for n in (1, 2, 3))
W1, W2 = date(2025, 3, 9), date(2025, 3, 16)


def obs(customer: UUID, end: date, score: int, band: str) -> Observation:
    return Observation(customer, end, Decimal(score), band)


HISTORY = [obs(A, W1, 70, "green"), obs(A, W2, 30, "red"), obs(B, W1, 30, "red"),
           obs(B, W2, 70, "green"), obs(C, W1, 40, "yellow"), obs(C, W2, 0, "red")]
CHURN = {A: [date(2025, 4, 15)], C: [date(2025, 9, 30)]}


def test_figures_computed_by_hand():
    # Positives (A churns 30 and 37 days after its periods): A1=70, A2=30. Negatives: B1=30,
    # B2=70, C1=40, C2=0 (C churns 198 days after: outside 90). Pairs: A1 ties B2 (½),
    # A2 ties B1 (½) and beats B2, C1 (1 each) → 3 of 8 = 0.375.
    f = backtest(HISTORY, CHURN, 90, k=3)
    assert f["auc"] == Decimal("0.3750")
    assert (f["customers"], f["churned"], f["observations"], f["positives"]) == (3, 1, 6, 2)
    # Ranked by score: C2 (0), then A2 and B1 (30) → one positive in the first 3.
    assert (f["k"], f["precision_at_k"], f["recall_at_k"]) == (3, Decimal("0.3333"),
                                                               Decimal("0.5000"))
    # A's first red period inside the horizon ends 16 March: 30 days before 15 April.
    assert (f["median_lead_days"], f["warned"]) == (Decimal(30), 1)
    assert f["by_band"] == {
        "green": {"observations": 2, "positives": 1, "churn_rate": Decimal("0.5000")},
        "red": {"observations": 3, "positives": 1, "churn_rate": Decimal("0.3333")},
        "yellow": {"observations": 1, "positives": 0, "churn_rate": Decimal("0.0000")}}


def test_a_longer_horizon_makes_the_later_churn_positive():
    f = backtest(HISTORY, CHURN, 365, k=1)
    assert (f["churned"], f["positives"]) == (2, 4)
    # Positives A1 70, A2 30, C1 40, C2 0 vs negatives B1 30, B2 70: 0.5+0.5+... by hand:
    # A1: tie B2 ½ → ½; A2: tie B1 ½, beats B2 → 1½; C1: beats B2 → 1; C2: beats both → 2.
    assert f["auc"] == (Decimal(5) / 8).quantize(RATE)
    assert (f["precision_at_k"], f["recall_at_k"]) == (Decimal(1), Decimal("0.2500"))
    assert f["median_lead_days"] == Decimal((30 + 198) / 2)


def test_no_positives_or_no_observations():
    f = backtest(HISTORY, {}, 90)
    assert (f["auc"], f["recall_at_k"], f["median_lead_days"], f["k"]) == (None, None, None, 1)
    empty = backtest([], CHURN, 90)
    assert (empty["customers"], empty["k"], empty["precision_at_k"]) == (0, 0, None)


@pytest.mark.parametrize("horizon", [6, 366, 0, -1])
def test_horizon_outside_7_to_365_is_refused(horizon: int):
    with pytest.raises(InvalidInput) as raised:
        backtest(HISTORY, CHURN, horizon)
    assert raised.value.errors[0].field == "horizon_days"


@given(st.lists(st.tuples(st.integers(0, 5), st.booleans()), max_size=30))
def test_auc_is_the_pair_count_with_ties_half(pairs: list[tuple[int, bool]]):
    pos = [s for s, p in pairs if p]
    neg = [s for s, p in pairs if not p]
    found = auc((Decimal(s), p) for s, p in pairs)
    if not pos or not neg:
        assert found is None
        return
    wins = sum(Fraction(1) if p < n else Fraction(1, 2) if p == n else Fraction(0)
               for p in pos for n in neg)
    expected = Decimal(wins.numerator) / Decimal(wins.denominator) / (len(pos) * len(neg))
    assert found == expected.quantize(RATE, rounding=ROUND_HALF_UP)  # as every rate


def registry() -> HealthModelRegistry:
    return HealthModelRegistry.open(actor="test")


WEIGHTS = {"active_days_weight": Decimal(40), "adoption_weight": Decimal(30),
           "issue_penalty": Decimal(5), "nps_weight": Decimal(0), "depth_weight": Decimal(0),
           "breadth_weight": Decimal(0)}


def test_versions_are_numbered_per_name_and_seed_004_is_built_in():
    r = registry()
    assert r.active == ("seed-004", 1)
    again = r.define(actor="m", name="seed-004", weights=WEIGHTS, yellow_from=Decimal(30),
                     green_from=Decimal(50), description="lower bands")
    other = r.define(actor="m", name="mine", weights=WEIGHTS, yellow_from=Decimal(30),
                     green_from=Decimal(50), description="mine")
    assert (again.version, other.version) == (2, 1)
    assert r.activate(actor="m", name="mine", version=1) and r.active == ("mine", 1)
    assert not r.activate(actor="m", name="mine", version=1)
    with pytest.raises(NotFound):
        r.activate(actor="m", name="mine", version=2)


@pytest.mark.parametrize(("weights", "yellow", "green", "field"), [
    ({**WEIGHTS, "nps_weight": "20"}, 40, 60, "weights.nps_weight"),
    ({**WEIGHTS, "adoption_weight": Decimal(-1)}, 40, 60, "weights.adoption_weight"),
    ({**WEIGHTS, "issue_penalty": Decimal("0.00001")}, 40, 60, "weights.issue_penalty"),
    ({**WEIGHTS, "depth_weight": Decimal("NaN")}, 40, 60, "weights.depth_weight"),
    (WEIGHTS, 60, 40, "bands.green_from"),
    (WEIGHTS, 40, 101, "bands.green_from"),
])
def test_bad_definitions_are_refused_naming_the_field(weights, yellow, green, field):
    r = registry()
    with pytest.raises(InvalidInput) as raised:
        r.define(actor="m", name="bad", weights=weights, yellow_from=Decimal(yellow),
                 green_from=Decimal(green), description="bad")
    assert raised.value.errors[0].field == field
    assert list(r.collect_events()) and r.version == 1  # only the opening, nothing defined


def test_breadth_is_weighted_when_its_weight_is_set():
    from cs_domain.rules import HealthModel

    model = HealthModel(name="b", breadth_weight=Decimal(20))
    scored = model.score(active_days_per_week=7, feature_adoption=0, open_issues=0,
                         feature_breadth=Decimal("0.25"))
    assert scored.components["feature_breadth"] == 5 and scored.score == 45
    missing = model.score(active_days_per_week=7, feature_adoption=0, open_issues=0)
    assert missing.missing == ("feature_breadth",) and missing.score == 40


def test_open_risks_are_weighted_when_their_penalty_is_set():
    from cs_domain.rules import HealthModel

    model = HealthModel(name="r", risk_penalty=Decimal(10))
    scored = model.score(active_days_per_week=7, feature_adoption=1, open_issues=0,
                         open_risks=2)
    assert scored.components["open_risks"] == -20 and scored.score == 50
    missing = model.score(active_days_per_week=7, feature_adoption=1, open_issues=0)
    assert missing.missing == ("open_risks",) and missing.score == 70
    # Versions defined without the penalty (before it existed) weigh no risks.
    plain = registry().define(actor="m", name="plain", weights=WEIGHTS,
                              yellow_from=Decimal(30), green_from=Decimal(50), description="p")
    assert plain.risk_penalty == 0
    assert "open_risks" not in plain.score(active_days_per_week=7, feature_adoption=1,
                                           open_issues=0, open_risks=3).components
