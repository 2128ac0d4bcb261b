"""Usage reports: one aggregate per (customer, period_start), corrections, validation."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from cs_domain.app import CustomerSuccess
from cs_domain.base import index_id
from cs_domain.customer import Customer
from cs_domain.errors import ConcurrencyConflict, InvalidInput
from cs_domain.usage import UsageFigures, UsageReport
from tests.domain.delivery_support import event_names, last_event, new_customer

WEEK = date(2025, 5, 5)


@pytest.fixture
def customer(app: CustomerSuccess, csm: UUID) -> UUID:
    return new_customer(app, csm)


def report(app: CustomerSuccess, customer: UUID, **kw: Any) -> Any:
    args: dict = dict(actor="analytics", customer_id=customer, period_start=WEEK,
                      period_end=WEEK + timedelta(days=7), active_days_per_week=5,
                      feature_adoption=Decimal("0.62"), open_issues=2)
    args.update(kw)
    return app.report_usage(**args)


def test_a_report_is_one_event_on_its_own_deterministic_aggregate(app: CustomerSuccess,
                                                                  customer: UUID):
    customer_version = app.load(Customer, customer).version
    result = report(app, customer, core_features_used=3, core_features_total=4,
                    features_used=12, features_available=40, nps=35)
    assert result.id == UsageReport.id_for(customer, WEEK)
    assert result.id == index_id("usage-report", f"{customer}:2025-05-05")
    assert (result.version, result.position, result.extra) == (
        1, app.max_position(), {"corrected": False, "changed": True})
    event = last_event(app, result.id)
    assert type(event).__name__ == "Reported"
    assert (event.customer_id, event.period_start, event.period_end, event.active_days_per_week,
            event.feature_adoption, event.open_issues, event.core_features_used,
            event.core_features_total, event.features_used, event.features_available,
            event.nps) == (customer, WEEK, WEEK + timedelta(days=7), Decimal(5),
                           Decimal("0.62"), 2, 3, 4, 12, 40, 35)
    assert isinstance(event.active_days_per_week, Decimal)
    # The customer's own history does not grow with usage.
    assert app.load(Customer, customer).version == customer_version


def test_re_reporting_a_period_corrects_it(app: CustomerSuccess, customer: UUID):
    first = report(app, customer)
    same = report(app, customer, active_days_per_week=Decimal("5.0"))
    assert same.extra == {"corrected": True, "changed": False}
    assert same.version == 1 and app.max_position() == first.position
    fixed = report(app, customer, open_issues=0, nps=-20)
    assert fixed.extra == {"corrected": True, "changed": True} and fixed.version == 2
    assert event_names(app, first.id) == ["Reported", "Corrected"]
    corrected = last_event(app, first.id)
    assert (corrected.period_start, corrected.open_issues, corrected.nps) == (WEEK, 0, -20)
    stored = app.load(UsageReport, first.id)
    assert (stored.open_issues, stored.nps, stored.corrections) == (0, -20, 1)
    other_week = report(app, customer, period_start=WEEK + timedelta(days=7),
                        period_end=WEEK + timedelta(days=14))
    assert other_week.id != first.id and other_week.extra["corrected"] is False


@pytest.mark.parametrize(("kw", "fields"), [
    ({"feature_adoption": Decimal("1.01")}, ["feature_adoption"]),
    ({"feature_adoption": 0.5}, ["feature_adoption"]),
    ({"active_days_per_week": 8}, ["active_days_per_week"]),
    ({"active_days_per_week": Decimal("-0.5")}, ["active_days_per_week"]),
    ({"active_days_per_week": Decimal("NaN")}, ["active_days_per_week"]),
    ({"open_issues": -1}, ["open_issues"]),
    ({"open_issues": True}, ["open_issues"]),
    ({"period_end": WEEK}, ["period_end"]),
    ({"core_features_used": 5, "core_features_total": 4}, ["core_features_used"]),
    ({"core_features_used": 1}, ["core_features_total"]),
    ({"core_features_used": 0, "core_features_total": 0}, ["core_features_total"]),
    ({"features_available": 10}, ["features_used"]),
    ({"nps": 101}, ["nps"]),
    ({"nps": -101}, ["nps"]),
    ({"feature_adoption": 2, "active_days_per_week": 9, "open_issues": -3},
     ["active_days_per_week", "feature_adoption", "open_issues"]),
])
def test_invalid_figures_name_their_fields_and_write_nothing(app: CustomerSuccess,
                                                             customer: UUID, kw: dict,
                                                             fields: list[str]):
    before = app.max_position()
    with pytest.raises(InvalidInput) as err:
        report(app, customer, **kw)
    assert [e.field for e in err.value.errors] == fields
    assert app.max_position() == before


def test_an_invalid_correction_leaves_the_period_as_it_was(app: CustomerSuccess,
                                                           customer: UUID):
    first = report(app, customer)
    with pytest.raises(InvalidInput):
        report(app, customer, feature_adoption=Decimal(3))
    assert app.max_position() == first.position
    assert app.load(UsageReport, first.id).feature_adoption == Decimal("0.62")


def test_unknown_customer_is_refused(app: CustomerSuccess, csm: UUID, customer: UUID):
    """The existence check reads the id's first event only: an id of something else (a
    user, another customer's usage report) is no customer either."""
    other_kind = report(app, customer).id
    before = app.max_position()
    for wrong in (uuid4(), csm, other_kind):
        with pytest.raises(InvalidInput) as err:
            report(app, wrong)
        assert err.value.errors[0].field == "customer_id"
        assert str(wrong) in err.value.errors[0].message
    assert app.max_position() == before


def test_two_first_reports_of_a_period_clash_in_the_store(app: CustomerSuccess, customer: UUID):
    """The deterministic id makes a duplicate creation a version conflict, not a duplicate."""
    figures = UsageFigures(period_end=WEEK + timedelta(days=7), active_days_per_week=1,
                           feature_adoption=0, open_issues=0)
    a = UsageReport.report(actor="a", customer_id=customer, period_start=WEEK, figures=figures)
    b = UsageReport.report(actor="b", customer_id=customer, period_start=WEEK, figures=figures)
    app.commit(a)
    with pytest.raises(ConcurrencyConflict):
        app.commit(b)
    assert event_names(app, a.id) == ["Reported"]


def test_concurrent_reporters_all_succeed_and_nothing_is_lost(app: CustomerSuccess,
                                                              customer: UUID):
    periods = [WEEK + timedelta(days=7 * i) for i in range(3)]
    writers = 4
    barrier = threading.Barrier(writers)
    results: list[Any] = []
    errors: list[BaseException] = []

    def push(issues: int) -> None:
        barrier.wait()
        try:
            for start in periods:
                results.append(report(app, customer, period_start=start,
                                      period_end=start + timedelta(days=7), open_issues=issues))
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=push, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == writers * len(periods)
    for start in periods:
        rid = UsageReport.id_for(customer, start)
        names = event_names(app, rid)
        assert names == ["Reported"] + ["Corrected"] * (writers - 1)
        final = app.load(UsageReport, rid)
        last_written = max((r for r in results if r.id == rid), key=lambda r: r.version)
        assert final.version == last_written.version == writers
