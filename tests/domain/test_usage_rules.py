"""Health score (seed 004), the configurable health model, feature depth and breadth."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs_domain.errors import InvalidInput
from cs_domain.rules import DEFAULT_HEALTH_MODEL, HealthModel, feature_breadth, feature_depth, health_score
from tests.profiles import examples


def seed_004_customer_health_score(usage_freq, feature_adoption, issue_count):
    """The seed's own code, verbatim (floats), as the reference for the Decimal version."""
    score = (usage_freq / 7 * 40) + (feature_adoption * 30) - (issue_count * 5)
    return max(0, min(100, score))


@pytest.mark.parametrize(("days", "adoption", "issues", "score", "band"), [
    (7, 1, 0, Decimal(70), "green"),          # the default tops out at 70
    (0, 0, 0, Decimal(0), "red"),
    (Decimal("3.5"), Decimal("0.5"), 1, Decimal(30), "yellow"),   # 20 + 15 - 5
    (Decimal("2"), Decimal("0.5"), 1, Decimal("21.42857142857142857142857143"), "red"),
    (7, Decimal("0.5"), 2, Decimal(45), "yellow"),                # 40 + 15 - 10
    (7, Decimal("0.5"), 1, Decimal(50), "green"),                 # 40 + 15 - 5
    (Decimal("5.25"), Decimal("0.8"), 0, Decimal(54), "green"),   # 30 + 24
    (0, 0, 3, Decimal(0), "red"),             # -15 clamps to 0
])
def test_hand_worked_scores(days, adoption, issues, score, band):
    result = health_score(days, adoption, issues)
    assert result.score == score and result.band == band
    assert (result.model, result.model_version, result.missing) == ("seed-004", 1, ())


def test_components_are_the_signed_terms_before_clamping():
    result = health_score(0, Decimal("0.2"), 3)
    assert result.components == {"active_days": Decimal(0), "feature_adoption": Decimal(6),
                                 "open_issues": Decimal(-15)}
    assert result.score == 0


def test_repeating_decimals_keep_the_seed_order_of_operations():
    # 5 / 7 = 0.7142857142857142857142857143 (28 digits), * 40 = 28.57142857142857142857142857(2)
    result = health_score(5, Decimal("0.5"), 1)
    assert result.components["active_days"] == Decimal("28.57142857142857142857142857")
    assert result.score == Decimal("38.57142857142857142857142857")
    assert result.rounded() == Decimal("38.6") and result.rounded(0) == Decimal(39)
    assert result.band == "yellow"


days_st = st.one_of(st.integers(0, 7), st.decimals(min_value=0, max_value=7, places=2))
adoption_st = st.decimals(min_value=0, max_value=1, places=3)
issues_st = st.integers(0, 40)


@settings(max_examples=examples(200))
@given(days_st, adoption_st, issues_st)
def test_score_matches_the_seed_code_and_stays_within_0_100(days, adoption, issues):
    result = health_score(days, adoption, issues)
    assert 0 <= result.score <= 100
    reference = seed_004_customer_health_score(float(days), float(adoption), issues)
    assert float(result.score) == pytest.approx(reference, abs=1e-9)
    assert result == DEFAULT_HEALTH_MODEL.score(active_days_per_week=days,
                                                feature_adoption=adoption, open_issues=issues)


@settings(max_examples=examples(150))
@given(days_st, days_st, adoption_st, adoption_st, issues_st, issues_st)
def test_score_rises_with_days_and_adoption_and_falls_with_issues(d1, d2, a1, a2, i1, i2):
    lo_d, hi_d = sorted((d1, d2))
    lo_a, hi_a = sorted((a1, a2))
    lo_i, hi_i = sorted((i1, i2))
    assert health_score(lo_d, a1, i1).score <= health_score(hi_d, a1, i1).score
    assert health_score(d1, lo_a, i1).score <= health_score(d1, hi_a, i1).score
    assert health_score(d1, a1, hi_i).score <= health_score(d1, a1, lo_i).score


def test_bands_at_their_edges():
    # Sized to the default formula's reach (0..70): red < 30 <= yellow < 50 <= green.
    model = HealthModel()
    assert model.bands == {"yellow_from": Decimal(30), "green_from": Decimal(50)}
    assert [model.band(Decimal(s)) for s in ("0", "29.99", "30", "49.99", "50", "70")] == [
        "red", "red", "yellow", "yellow", "green", "green"]


def test_default_bands_split_the_formula_range_at_its_fixed_points():
    # Green needs what a healthy weekly user shows: 5 active days (28.6) and 3/4 adoption
    # (22.5) with no open issue = 51.1; two issues (-10) drop that customer to yellow.
    healthy = health_score(5, Decimal("0.75"), 0)
    assert healthy.band == "green" and health_score(5, Decimal("0.75"), 2).band == "yellow"
    # Red: 2 active days and half adoption (11.4 + 15 = 26.4), under 30.
    assert health_score(2, Decimal("0.5"), 0).band == "red"


def test_a_model_with_nps_and_depth_can_reach_100():
    model = HealthModel(name="nps-weighted", version=2, active_days_weight=Decimal(30),
                        adoption_weight=Decimal(20), issue_penalty=Decimal(5),
                        nps_weight=Decimal(30), depth_weight=Decimal(20),
                        yellow_from=Decimal(50), green_from=Decimal(75))
    top = model.score(active_days_per_week=7, feature_adoption=1, open_issues=0, nps=100,
                      feature_depth=Decimal(1))
    assert top.score == 100 and top.band == "green" and top.model == "nps-weighted"
    # nps 0 is the middle of -100..100: half the weight.
    mid = model.score(active_days_per_week=Decimal("3.5"), feature_adoption=Decimal("0.5"),
                      open_issues=1, nps=0, feature_depth=Decimal("0.25"))
    assert mid.components == {"active_days": Decimal(15), "feature_adoption": Decimal(10),
                              "open_issues": Decimal(-5), "nps": Decimal(15),
                              "feature_depth": Decimal(5)}
    assert mid.score == 40 and mid.band == "red"
    unsurveyed = model.score(active_days_per_week=7, feature_adoption=1, open_issues=0)
    assert unsurveyed.missing == ("nps", "feature_depth") and unsurveyed.score == 50


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"yellow_from": Decimal(70), "green_from": Decimal(60)}, "green_from"),
    ({"nps_weight": Decimal(-1)}, "nps_weight"),
    ({"adoption_weight": 0.3}, "adoption_weight"),
    ({"green_from": Decimal(101)}, "green_from"),
    ({"version": 0}, "version"),
])
def test_invalid_models_are_refused(kwargs, field):
    with pytest.raises(InvalidInput) as err:
        HealthModel(**kwargs)
    assert field in [e.field for e in err.value.errors]


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"active_days_per_week": 8}, "active_days_per_week"),
    ({"feature_adoption": Decimal("1.5")}, "feature_adoption"),
    ({"open_issues": -1}, "open_issues"),
    ({"nps": 150}, "nps"),
])
def test_out_of_range_signals_are_refused(kwargs, field):
    args = {"active_days_per_week": 5, "feature_adoption": Decimal("0.5"), "open_issues": 0}
    args.update(kwargs)
    with pytest.raises(InvalidInput) as err:
        DEFAULT_HEALTH_MODEL.score(**args)
    assert [e.field for e in err.value.errors] == [field]


def test_feature_depth_and_breadth():
    assert feature_depth(3, 4) == Decimal("0.75")
    assert feature_breadth(0, 10) == 0
    assert feature_breadth(12, 40) == Decimal("0.3")
    assert feature_depth(1, 3) == Decimal("0.3333333333333333333333333333")
    with pytest.raises(InvalidInput) as over:
        feature_depth(5, 4)
    assert over.value.errors[0].field == "core_features_used"
    with pytest.raises(InvalidInput) as empty:
        feature_breadth(0, 0)
    assert empty.value.errors[0].field == "features_available"


@given(st.integers(0, 500), st.integers(1, 500))
def test_ratios_stay_within_0_1(used, total):
    if used > total:
        with pytest.raises(InvalidInput):
            feature_depth(used, total)
    else:
        assert 0 <= feature_depth(used, total) <= 1
        assert (feature_breadth(used, total) == 1) == (used == total)
