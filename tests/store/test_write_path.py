"""The write path's shortcuts, on SQLite and PostgreSQL: what a command no longer reads
before its commit is still checked, in the commit's transaction, and never wrongly.

- A customer a command refers to is checked by the store under its write lock
  (`Requirement`): an unknown id writes nothing, whatever else the commit held.
- A usage report is written as a first report without reading it first: a period reported
  before clashes in the store and becomes a correction (never a lost or double report).
- The chain head a recorder committed last is continued without reading it, unless
  another writer (another application on the store) wrote in between.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from cs_domain.app import CustomerSuccess
from cs_domain.errors import InvalidInput
from cs_domain.usage import UsageReport
from cs_store.factory import build_application
from cs_store.settings import Settings
from tests.store.conftest import RawLog
from tests.store.test_concurrency import assert_log_is_sound, new_customer

WEEK = date(2026, 3, 2)


def report(app: CustomerSuccess, customer_id: UUID, week: date = WEEK,
           adoption: str = "0.5") -> object:
    return app.report_usage(
        actor="integration", customer_id=customer_id, period_start=week,
        period_end=week + timedelta(days=6), active_days_per_week=Decimal("3.5"),
        feature_adoption=Decimal(adoption), open_issues=1)


def test_a_command_on_an_unknown_customer_writes_nothing(
    app: CustomerSuccess, raw: RawLog, csm: UUID
):
    customer_id = new_customer(app, csm)
    other_kind = app.record_touchpoint(actor=str(csm), customer_id=customer_id, kind="call",
                                       occurred_on=WEEK, summary="Call").id
    before = app.max_position()
    for wrong in (uuid4(), csm, other_kind):
        for command in (
            lambda w: report(app, w),
            lambda w: app.record_touchpoint(actor=str(csm), customer_id=w, kind="call",
                                            occurred_on=WEEK, summary="Call"),
            lambda w: app.raise_risk(actor=str(csm), customer_id=w, title="Falling usage",
                                     category="adoption", severity="high",
                                     due_date=WEEK + timedelta(days=30), raised_on=WEEK),
        ):
            with pytest.raises(InvalidInput) as refused:
                command(wrong)
            assert refused.value.errors[0].field == "customer_id"
            assert str(wrong) in refused.value.errors[0].message
            assert app.max_position() == before
    # Nothing of the refused commits is left: the next ones continue the chain.
    report(app, customer_id)
    app.record_touchpoint(actor=str(csm), customer_id=customer_id, kind="call",
                          occurred_on=WEEK, summary="Call again")
    assert_log_is_sound(app, raw, refused_writes=True)


def test_a_customer_registered_by_another_writer_is_found(settings: Settings, csm: UUID,
                                                          app: CustomerSuccess, raw: RawLog):
    other = build_application(settings)
    try:
        customer_id = new_customer(other, csm)
        assert report(app, customer_id).version == 1  # type: ignore[attr-defined]
    finally:
        other.close()
    assert_log_is_sound(app, raw)


def test_a_period_reported_before_becomes_a_correction(settings: Settings, csm: UUID,
                                                       app: CustomerSuccess, raw: RawLog):
    customer_id = new_customer(app, csm)
    first = report(app, customer_id)
    again = report(app, customer_id, adoption="0.7")  # same period: a correction
    assert (again.version, again.extra) == (2, {"corrected": True, "changed": True})  # type: ignore[attr-defined]
    same = report(app, customer_id, adoption="0.7")  # identical: nothing written
    assert same.extra == {"corrected": True, "changed": False}  # type: ignore[attr-defined]
    # Another application (another process, knowing nothing of this one) corrects it too.
    other = build_application(settings)
    try:
        third = report(other, customer_id, adoption="0.9")
    finally:
        other.close()
    assert (third.version, third.extra["corrected"]) == (3, True)  # type: ignore[attr-defined]
    stored = app.load(UsageReport, first.id)  # type: ignore[attr-defined]
    assert (stored.version, stored.feature_adoption) == (3, Decimal("0.9"))
    assert_log_is_sound(app, raw, refused_writes=True)


def test_two_applications_writing_in_turn_keep_one_chain(settings: Settings, csm: UUID,
                                                         app: CustomerSuccess, raw: RawLog):
    """Each recorder continues the head it committed last only when nothing was written
    since: here every save of one follows a save of the other."""
    other = build_application(settings)
    try:
        customer_id = new_customer(app, csm)
        for n in range(6):
            writer = app if n % 2 else other
            report(writer, customer_id, week=WEEK + timedelta(weeks=n))
            writer.update_customer(actor="a", customer_id=customer_id, name=f"Acme {n}")
    finally:
        other.close()
    assert_log_is_sound(app, raw)
