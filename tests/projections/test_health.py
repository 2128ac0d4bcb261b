"""Health view: seed 004 scores per period, trend, history, band filter, distribution, as of.

Hand-worked (customer A, weekly periods; 28-digit Decimal arithmetic, as seed 004's
formula clamp(0, 100, days/7*40 + adoption*30 - issues*5)):
  P1 03-03: days 5, adoption 0.6, issues 2 → 200/7 + 18 - 10 = 36.571… → shown 36.6, red
  P2 03-10: days 7, adoption 1,   issues 0 → 40 + 30 = 70                         , green
  P3 03-17: days 2, adoption 0.5, issues 3 → 80/7 + 15 - 15 = 11.428… → 11.4      , red
     trend vs P2: down, change -58.6; the 14 days before 03-17 hold P1 and P2 (starts
     03-03 and 03-10): score reference 70 → drop (70 - 80/7) / 70 = 0.83673… → 0.8367;
     usage reference 7 days → (7 - 2) / 7 = 0.7143
  P0 02-24 reported last (out of order): days 0, adoption 0, issues 30 → -150 → 0; the
     current period stays P3
  P3 corrected: days 3.5, adoption 0.5, issues 1 → 20 + 15 - 5 = 30 → drop 40/70 = 0.5714,
     usage drop 3.5/7 = 0.5000
Customer B: one period, days 7, adoption 1, issues 0 → 70, green.
Distribution: red 1 (A, 30), green 1 (B, 70), mean 50.00.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from typer.testing import CliRunner

from api.cli.base import app as cli_app
from cs_domain.app import CustomerSuccess
from cs_domain.errors import InvalidInput
from cs_domain.rules import DEFAULT_HEALTH_MODEL, HealthModel
from cs_store.settings import Settings
from projections import registry
from projections.compose import customer_360, customer_list
from projections.db import ReadModels
from projections.queries.health_metrics import health_distribution
from projections.rebuild import rebuild, verify
from projections.runner import Projector
from projections.views.health import HealthView, health_history, health_of
from projections.views.health_model import ENV, model_from_config
from tests.projections import scenario as s

TODAY = date(2025, 3, 31)
P0, P1, P2, P3 = (date(2025, 2, 24) + timedelta(weeks=n) for n in range(4))
WITH_NPS = HealthModel(name="with-nps", version=2, nps_weight=Decimal(30),
                       description="seed 004 plus NPS")


def seed_formula(days: str, adoption: str, issues: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 28
        raw = Decimal(days) / 7 * 40 + Decimal(adoption) * 30 - issues * 5
        return max(Decimal(0), min(Decimal(100), raw))


def report(app: CustomerSuccess, customer: UUID, start: date, days: str, adoption: str,
           issues: int, **extra: Any) -> int:
    return app.report_usage(actor="t", customer_id=customer, period_start=start,
                            period_end=start + timedelta(days=6),
                            active_days_per_week=Decimal(days),
                            feature_adoption=Decimal(adoption), open_issues=issues,
                            **extra).position


@pytest.fixture
def book(app: CustomerSuccess) -> dict[str, Any]:
    csm, other = s.user(app), s.user(app, "Wang Fang")
    a, b = s.customer(app, csm, "Acme"), s.customer(app, other, "Beta")
    s.customer(app, csm, "Cold")  # never reports usage
    report(app, a, P1, "5", "0.6", 2, core_features_used=3, core_features_total=4)
    report(app, a, P2, "7", "1", 0)
    after_p3 = report(app, a, P3, "2", "0.5", 3)
    before_p0 = app.max_position()
    report(app, a, P0, "0", "0", 30)
    before_correction = app.max_position()
    report(app, a, P3, "3.5", "0.5", 1)
    report(app, b, P2, "7", "1", 0, nps=50)
    return {"a": a, "b": b, "csm": csm, "other": other, "after_p3": after_p3,
            "before_p0": before_p0, "before_correction": before_correction}


def test_scores_equal_the_seed_formula_with_trend_and_history(
    app: CustomerSuccess, models: ReadModels, projector: Projector, book: dict[str, Any]
) -> None:
    new = s.customer(app, book["csm"], "New")
    projector.catch_up()
    with models.read() as conn:
        now = health_of(conn, book["a"])
        history = health_history(conn, book["a"])
        then = health_of(conn, book["a"], at=book["before_correction"])
        early = health_history(conn, book["a"], at=book["before_p0"])
        window = health_history(conn, book["a"], from_=P1, to=P2)
        nothing = health_of(conn, new)
    assert now is not None and then is not None and nothing is None
    assert [h["exact_score"] for h in history["items"]] == [
        Decimal(0), seed_formula("5", "0.6", 2), Decimal(70), Decimal(30)]
    assert [(h["period_start"], h["score"], h["band"], h["corrections"])
            for h in history["items"]] == [
        (P0, Decimal("0.0"), "red", 0), (P1, Decimal("36.6"), "yellow", 0),
        (P2, Decimal("70.0"), "green", 0), (P3, Decimal("30.0"), "yellow", 1)]
    p1 = history["items"][1]
    assert p1["components"] == {"active_days": Decimal("28.6"), "feature_adoption": Decimal("18.0"),
                                "open_issues": Decimal("-10.0")}
    assert p1["inputs"]["core_features_used"] == 3 and p1["inputs"]["open_issues"] == 2
    assert p1["model"] == {"name": "seed-004", "version": 1} and p1["missing"] == []
    assert history["position"] == app.max_position()

    assert (now["period_start"], now["score"], now["band"]) == (P3, Decimal("30.0"), "yellow")
    assert now["trend"] == {"direction": "down", "previous_period_start": P2,
                            "previous_score": Decimal("70.0"), "change": Decimal("-40.0"),
                            "score_drop_14d": Decimal("0.5714"),
                            "usage_drop_14d": Decimal("0.5000")}
    # As of before the correction: P3 as first reported.
    assert then["exact_score"] == seed_formula("2", "0.5", 3) and then["score"] == Decimal("11.4")
    assert then["trend"]["change"] == Decimal("-58.6")
    assert (then["trend"]["score_drop_14d"], then["trend"]["usage_drop_14d"]) == (
        Decimal("0.8367"), Decimal("0.7143"))
    assert then["position"] == book["before_correction"]
    assert [h["period_start"] for h in early["items"]] == [P1, P2, P3]
    assert [h["period_start"] for h in window["items"]] == [P1, P2]


def test_first_period_has_no_trend_and_flat_is_an_equal_score(
    app: CustomerSuccess, models: ReadModels, projector: Projector
) -> None:
    cust = s.customer(app, s.user(app), "Flat")
    report(app, cust, P1, "7", "0", 0)
    first = app.max_position()
    report(app, cust, P2, "0", "1", 0)  # 40 then 30: down
    report(app, cust, P3, "3.5", "0", 0)  # 20
    report(app, cust, P3 + timedelta(weeks=1), "3.5", "0", 0)  # 20 again: flat
    projector.catch_up()
    with models.read() as conn:
        start = health_of(conn, cust, at=first)
        flat = health_of(conn, cust)
    assert start is not None and flat is not None
    assert start["trend"] == {"direction": None, "previous_period_start": None,
                              "previous_score": None, "change": None, "score_drop_14d": None,
                              "usage_drop_14d": None}
    assert flat["trend"]["direction"] == "flat" and flat["trend"]["change"] == Decimal("0.0")
    # 14 days before P3+1w: P2 (30, 0 days) and P3 (20, 3.5 days): 20 vs 30 → 1/3
    assert flat["trend"]["score_drop_14d"] == Decimal("0.3333")
    assert flat["trend"]["usage_drop_14d"] == Decimal("0.0000")


def test_360_section_band_filter_and_distribution(
    app: CustomerSuccess, models: ReadModels, projector: Projector, book: dict[str, Any]
) -> None:
    projector.catch_up()
    with models.read() as conn:
        c360 = customer_360(conn, book["a"], TODAY)
        cold = customer_list(conn, today=TODAY, q="cold")["items"][0]
        cold360 = customer_360(conn, cold["id"], TODAY)

        def band(value: str, at: int | None = None) -> list[str]:
            return [c["name"] for c in customer_list(conn, today=TODAY, health_band=value,
                                                     at=at)["items"]]

        reds, greens, yellows = band("red"), band("green"), band("yellow")
        reds_then = band("red", at=book["after_p3"])
        dist = health_distribution(conn)
        mine = health_distribution(conn, owner_id=book["other"])
        before = health_distribution(conn, at=book["after_p3"])
    assert c360 is not None and cold360 is not None
    health = c360["health"]
    assert (health["score"], health["band"], health["period_start"]) == (
        Decimal("30.0"), "yellow", P3)
    assert set(health["components"]) == {"active_days", "feature_adoption", "open_issues"}
    assert health["trend"]["direction"] == "down" and health["model"]["version"] == 1
    assert cold360["health"] is None
    # Acme's 30.0 is yellow (red < 30), its first P3 report (11.4) was red.
    assert (reds, greens, yellows, reds_then) == ([], ["Beta"], ["Acme"], ["Acme"])
    assert dist["customers"] == 2 and dist["bands"] == {"red": 0, "yellow": 1, "green": 1}
    assert dist["mean_score"] == Decimal("50.00")
    assert dist["models"] == [{"name": "seed-004", "version": 1, "customers": 2}]
    assert (mine["customers"], mine["mean_score"]) == (1, Decimal("70.00"))
    # Before B reported and A was corrected: only A, at 80/7 = 11.43
    assert (before["customers"], before["mean_score"]) == (1, Decimal("11.43"))


def test_a_changed_model_names_its_version_and_a_rebuild_rescores_history(
    app: CustomerSuccess, models: ReadModels, book: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    Projector(app, models).catch_up()
    others = [v for v in registry.VIEWS if v.name != "health"]
    # The projector now runs with a changed model, without a rebuild: only new reports
    # are scored by it, and each stored score says which model made it.
    report(app, book["b"], P3, "7", "1", 0, nps=100)
    Projector(app, models, [*others, HealthView(WITH_NPS)]).catch_up()
    with models.read() as conn:
        mixed = health_distribution(conn)
        b_history = health_history(conn, book["b"])["items"]
    assert mixed["models"] == [{"name": "seed-004", "version": 1, "customers": 1},
                               {"name": "with-nps", "version": 2, "customers": 1}]
    assert [(h["model"]["version"], h["score"]) for h in b_history] == [
        (1, Decimal("70.0")), (2, Decimal("100.0"))]  # 40 + 30 + 30 = 100, clamped at 100
    assert verify(app, models, ["health"]) != []  # a rebuild with the default model differs

    monkeypatch.setattr(registry, "VIEWS", (*others, HealthView(WITH_NPS)))
    rebuild(app, models, ["health"])
    with models.read() as conn:
        a_history = health_history(conn, book["a"])["items"]
        b_now = health_of(conn, book["b"])
        dist = health_distribution(conn)
    assert {(h["model"]["name"], h["model"]["version"]) for h in a_history} == {("with-nps", 2)}
    assert [h["missing"] for h in a_history] == [["nps"]] * 4  # A never sent an NPS: counts 0
    assert a_history[3]["components"]["nps"] == Decimal("0.0")
    assert b_now is not None and b_now["model"] == {"name": "with-nps", "version": 2}
    # B's P2: 70 + (50 + 100) / 200 * 30 = 92.5 → green
    assert scored_periods(models, book["b"])[0] == (P2, Decimal("92.5"), "green")
    assert dist["models"] == [{"name": "with-nps", "version": 2, "customers": 2}]
    assert verify(app, models, ["health"]) == []


def scored_periods(models: ReadModels, customer: UUID) -> list[tuple[date, Decimal, str]]:
    with models.read() as conn:
        return [(h["period_start"], h["score"], h["band"])
                for h in health_history(conn, customer)["items"]]


def test_cs_ledger_rebuild_applies_the_configured_model(
    app: CustomerSuccess, settings: Settings, models: ReadModels, tmp_path: Path
) -> None:
    cust = s.customer(app, s.user(app), "Acme")
    report(app, cust, P1, "7", "1", 0, nps=0)
    Projector(app, models).catch_up()
    model_file = tmp_path / "health-model.json"
    model_file.write_text(json.dumps({"name": "with-nps", "version": 3, "nps_weight": "20.5",
                                      "green_from": 75}))

    def cli(*args: str, model: str) -> tuple[int, str]:
        env = {"CS_LEDGER_DATA_DIR": str(settings.data_dir), "CS_LEDGER_DATABASE_URL": "",
               "CS_LEDGER_DATABASE_SCHEMA": settings.database_schema,
               "CS_LEDGER_HEALTH_MODEL": model, "CS_LEDGER_DEFAULT_PLAYBOOKS": "0"}
        if settings.is_postgres:
            env["CS_LEDGER_DATABASE_URL"] = str(settings.database_url)
        result = CliRunner().invoke(cli_app, list(args), env=env)
        return result.exit_code, result.output

    code, out = cli("rebuild", "--view", "health", model=str(model_file))
    assert code == 0 and "rebuilt health" in out, out
    with models.read() as conn:
        now = health_of(conn, cust)
    # 40 + 30 + (0 + 100) / 200 * 20.5 = 80.25 → shown 80.3; green only from 75
    assert now is not None and now["model"] == {"name": "with-nps", "version": 3}
    assert (now["exact_score"], now["score"], now["band"]) == (
        Decimal("80.25"), Decimal("80.3"), "green")
    code, out = cli("rebuild", "--view", "health", model='{"name": "x", "nps_weigth": 1}')
    assert code == 1 and "nps_weigth" in out, out
    with models.read() as conn:
        assert health_of(conn, cust)["model"]["version"] == 3  # type: ignore[index]


def test_model_settings_are_parsed_and_checked() -> None:
    assert model_from_config(None) is DEFAULT_HEALTH_MODEL
    assert model_from_config("  ") is DEFAULT_HEALTH_MODEL
    model = model_from_config('{"name": "n", "version": 2, "depth_weight": 10.5, '
                              '"issue_penalty": "2"}')
    assert (model.name, model.version, model.depth_weight, model.issue_penalty) == (
        "n", 2, Decimal("10.5"), Decimal(2))
    for raw, field in (('{"version": 0}', "version"), ('{"adoption_weight": -1}',
                                                       "adoption_weight"),
                       ("[1]", ENV), ("{nope", ENV), ("/no/such/file.json", ENV),
                       ('{"yellow_from": 70, "green_from": 60}', "green_from"),
                       ('{"nps_weight": "lots"}', "nps_weight")):
        with pytest.raises(InvalidInput) as error:
            model_from_config(raw)
        assert error.value.errors[0].field == field, raw


def test_memoised_scores_depend_only_on_the_report_and_the_model() -> None:
    """The view keeps the scores of recent input tuples; equal but differently written
    decimals (0.5, 0.50) are different inputs, so the stored text never depends on what
    the same view scored before."""
    from types import SimpleNamespace

    from projections.views.health import HealthView

    def report(adoption: str, days: str = "5", issues: int = 1, used: int = 3,
               nps: int | None = None) -> Any:
        return SimpleNamespace(active_days_per_week=Decimal(days),
                               feature_adoption=Decimal(adoption), open_issues=issues, nps=nps,
                               core_features_used=used, core_features_total=4,
                               features_used=None, features_available=None)

    seen = HealthView(DEFAULT_HEALTH_MODEL)
    for r in (report("0.5"), report("0.50"), report("0.5", "5.0"), report("0.5"),
              report("0.50", issues=2)):
        fresh = HealthView(DEFAULT_HEALTH_MODEL)._score(r)
        assert seen._score(r) == fresh
    assert seen._score(report("0.5"))[1] != seen._score(report("0.50"))[1]
    # Another model scores afresh; the signals it weighs are part of what is remembered.
    other = HealthModel(name="other", adoption_weight=Decimal(10), nps_weight=Decimal(10),
                        depth_weight=Decimal(10))
    seen._model = other
    for r in (report("0.5"), report("0.5", used=1), report("0.5", nps=50),
              report("0.5", used=1, nps=-20), report("0.5")):
        assert seen._score(r) == HealthView(other)._score(r)
    assert len({seen._score(report("0.5", used=u))[0].score for u in (1, 2, 3)}) == 3
