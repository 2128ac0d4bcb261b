"""Requirement and complaint loops: every step's date, the 360 section and the loop
metrics, worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

from cs_domain.app import CustomerSuccess
from projections.compose import customer_360
from projections.db import ReadModels
from projections.runner import Projector
from projections.views.complaints import complaint_list, complaint_metrics, get_complaint
from projections.views.requirements import (
    get_requirement,
    requirement_list,
    requirement_metrics,
)
from tests.projections import scenario as s

Q1 = (date(2025, 1, 1), date(2025, 3, 31))
MARCH = (date(2025, 3, 1), date(2025, 3, 31))


def d(month: int, day: int) -> date:
    return date(2025, month, day)


def walk(app: CustomerSuccess, customer: UUID, collected: date, *steps: tuple[str, date]
         ) -> UUID:
    """A requirement collected on `collected`, then taken through `steps` (name, date)."""
    rid = app.collect_requirement(actor="t", customer_id=customer, requested_by="Dr. Li",
                                  summary=f"Need {collected}", on=collected).id
    do = {
        "classify": lambda on: app.classify_requirement(
            actor="t", requirement_id=rid, category="feature", priority="high", on=on),
        "analyse": lambda on: app.analyse_requirement(
            actor="t", requirement_id=rid, product_fit="partial", note="fits", on=on),
        "hand": lambda on: app.hand_requirement_to_product(
            actor="t", requirement_id=rid, on=on, product_ref="PRD-1"),
        "schedule": lambda on: app.schedule_requirement(
            actor="t", requirement_id=rid, target_date=on + timedelta(days=30), on=on,
            release="5.2"),
        "deliver": lambda on: app.deliver_requirement(actor="t", requirement_id=rid, on=on),
        "reject": lambda on: app.reject_requirement(actor="t", requirement_id=rid,
                                                    reason="not our product", on=on),
        "feedback": lambda on: app.give_requirement_feedback(actor="t", requirement_id=rid,
                                                             feedback="told them", on=on),
    }
    for name, on in steps:
        do[name](on)
    return rid


def requirements(app: CustomerSuccess) -> dict[str, Any]:
    csm = s.user(app)
    acme, beta = s.customer(app, csm, "Acme"), s.customer(app, csm, "Beta")
    q1 = walk(app, acme, d(1, 10), ("classify", d(1, 12)), ("analyse", d(1, 15)),
              ("hand", d(1, 20)), ("schedule", d(2, 1)), ("deliver", d(3, 1)))
    q2 = walk(app, acme, d(2, 1), ("classify", d(2, 2)), ("analyse", d(2, 6)),
              ("reject", d(2, 8)), ("feedback", d(2, 10)))
    q3 = walk(app, acme, d(3, 1), ("classify", d(3, 4)), ("analyse", d(3, 10)),
              ("hand", d(3, 11)))
    q4 = walk(app, beta, d(3, 31))
    q5 = walk(app, acme, d(4, 1), ("classify", d(4, 2)))
    q6 = walk(app, beta, d(2, 15), ("classify", d(2, 16)), ("analyse", d(2, 20)),
              ("hand", d(2, 21)), ("schedule", d(3, 1)), ("reject", d(3, 15)))
    before_feedback = app.max_position()
    app.give_requirement_feedback(actor="t", requirement_id=q1, feedback="shipped", on=d(3, 5))
    return {"acme": acme, "beta": beta, "q1": q1, "q2": q2, "q3": q3, "q4": q4, "q5": q5,
            "q6": q6, "before_feedback": before_feedback}


def test_requirement_steps_section_and_metrics(
    app: CustomerSuccess, models: ReadModels, projector: Projector
) -> None:
    h = requirements(app)
    projector.catch_up()
    with models.read() as conn:
        metrics = requirement_metrics(conn, *Q1)
        then = requirement_metrics(conn, *Q1, at=h["before_feedback"])
        acme = customer_360(conn, h["acme"], d(4, 15))
        listed = requirement_list(conn, customer_id=h["acme"])
        rejected = requirement_list(conn, status="rejected")
        q1, q1_then = get_requirement(conn, h["q1"]), get_requirement(
            conn, h["q1"], at=h["before_feedback"])
        pages, cursor = [], None
        while True:
            page = requirement_list(conn, limit=4, cursor=cursor)
            pages.append([x["id"] for x in page["items"]])
            if (cursor := page["next_cursor"]) is None:
                break
    # cohort: collected in Q1 = q1, q2, q3, q4 (03-31, the range's last day), q6; not q5
    steps = {x["step"]: (x["count"], x["mean_days"], x["median_days"]) for x in metrics["steps"]}
    assert steps == {
        "classified": (4, Decimal("1.75"), Decimal("1.50")),  # 2, 1, 3, 1
        "analysed": (4, Decimal("4.25"), Decimal("4.00")),  # 3, 4, 6, 4
        "handed_over": (3, Decimal("2.33"), Decimal("1.00")),  # 5, 1, 1
        "scheduled": (2, Decimal("10.00"), Decimal("10.00")),  # 12, 8
        "delivered": (1, Decimal("28.00"), Decimal("28.00")),  # 28
        "rejected": (2, Decimal("8.00"), Decimal("8.00")),  # 2 (from analysed), 14 (scheduled)
        "feedback_given": (2, Decimal("3.00"), Decimal("3.00")),  # 4, 2
    }
    assert [x["step"] for x in metrics["steps"]] == list(steps)
    assert metrics["loop_days"] == {"count": 2, "mean_days": Decimal("31.50"),
                                    "median_days": Decimal("31.50")}  # 54, 9
    assert (metrics["collected"], metrics["delivered"], metrics["rejected"],
            metrics["feedback_given"], metrics["feedback_ratio"], metrics["open"]) == (
        5, 1, 2, 2, Decimal("0.6667"), 3)
    assert metrics["open_by_step"] == {"collected": 1, "classified": 0, "analysed": 0,
                                       "handed_over": 1, "scheduled": 0, "delivered": 0,
                                       "rejected": 1}
    # as of before q1's feedback: q1 waits at delivered, only q2's loop is closed
    assert then["loop_days"]["count"] == 1 and then["open_by_step"]["delivered"] == 1
    assert then["feedback_ratio"] == Decimal("0.3333") and then["position"] == h["before_feedback"]

    assert acme is not None
    section = acme["requirements"]
    assert section["by_status"] == {"collected": 0, "classified": 1, "analysed": 0,
                                    "handed_over": 1, "scheduled": 0, "delivered": 0,
                                    "rejected": 0, "feedback_given": 2}
    assert [x["id"] for x in section["open"]] == [h["q3"], h["q5"]]
    q3 = section["open"][0]
    assert q3["status"] == "handed_over" and q3["product_ref"] == "PRD-1"
    assert q3["steps"] == {"collected": d(3, 1), "classified": d(3, 4), "analysed": d(3, 10),
                           "handed_over": d(3, 11), "scheduled": None, "delivered": None,
                           "rejected": None, "feedback_given": None}
    full = listed["items"][0]
    assert [x["id"] for x in listed["items"]] == [h["q1"], h["q2"], h["q3"], h["q5"]]
    assert full["steps"]["delivered"] == d(3, 1) and full["release"] == "5.2"
    assert full["target_date"] == d(3, 3) and full["status"] == "feedback_given"
    assert [x["id"] for x in rejected["items"]] == [h["q6"]]
    assert q1 is not None and q1_then is not None
    assert (q1["status"], q1["steps"]["feedback_given"]) == ("feedback_given", d(3, 5))
    assert (q1_then["status"], q1_then["steps"]["feedback_given"]) == ("delivered", None)
    # by collection date: 01-10, 02-01, 02-15, 03-01, 03-31, 04-01
    assert pages == [[h["q1"], h["q2"], h["q6"], h["q3"]], [h["q4"], h["q5"]]]


CST = timezone(timedelta(hours=8))
EST = timezone(timedelta(hours=-5))
JST = timezone(timedelta(hours=9))


def complaints(app: CustomerSuccess) -> dict[str, Any]:
    csm = s.user(app)
    acme = s.customer(app, csm, "Acme")

    def receive(at: datetime, needs: bool) -> UUID:
        return app.receive_complaint(actor="t", customer_id=acme, channel="phone",
                                     summary="Down", severity="high", needs_resources=needs,
                                     received_at=at).id

    def resolve(cid: UUID, started: datetime, resolved: datetime) -> None:
        app.start_complaint_investigation(actor="t", complaint_id=cid, started_at=started)
        app.resolve_complaint(actor="t", complaint_id=cid, resolution="fixed",
                              resolved_at=resolved)

    def review(cid: UUID, category: str, on: date) -> None:
        app.review_complaint(actor="t", complaint_id=cid, category=category,
                             root_cause="config", improvement="checklist", reviewed_on=on)

    k1 = receive(datetime(2025, 3, 3, 9, tzinfo=CST), True)
    resolve(k1, datetime(2025, 3, 3, 10, tzinfo=CST), datetime(2025, 3, 4, 8, tzinfo=CST))  # 23 h
    review(k1, "product_defect", d(3, 5))
    k2 = receive(datetime(2025, 3, 10, 12, tzinfo=UTC), True)
    before_k2 = app.max_position()
    resolve(k2, datetime(2025, 3, 10, 13, tzinfo=UTC),
            datetime(2025, 3, 11, 18, 30, tzinfo=UTC))  # 30.5 h: late
    review(k2, "response_time", d(3, 12))
    k3 = receive(datetime(2025, 3, 15, 9, tzinfo=UTC), False)
    resolve(k3, datetime(2025, 3, 15, 9, 30, tzinfo=UTC),
            datetime(2025, 3, 15, 11, 15, tzinfo=UTC))  # 2.25 h, no target
    # 31 March 23:30 in New York is 1 April in UTC: the business day is the 31st
    k4 = receive(datetime(2025, 3, 31, 23, 30, tzinfo=EST), True)
    app.start_complaint_investigation(actor="t", complaint_id=k4,
                                      started_at=datetime(2025, 4, 1, 8, tzinfo=EST))
    k5 = receive(datetime(2025, 3, 1, 0, 30, tzinfo=JST), False)  # 28 Feb in UTC
    k6 = receive(datetime(2025, 4, 2, 9, tzinfo=UTC), True)
    return {"acme": acme, "k1": k1, "k2": k2, "k3": k3, "k4": k4, "k5": k5, "k6": k6,
            "before_k2": before_k2}


def test_complaint_metrics_and_section(
    app: CustomerSuccess, models: ReadModels, projector: Projector
) -> None:
    h = complaints(app)
    projector.catch_up()
    with models.read() as conn:
        march = complaint_metrics(conn, *MARCH, now=datetime(2025, 4, 2, 12, tzinfo=UTC))
        early = complaint_metrics(conn, *MARCH, now=datetime(2025, 4, 1, 12, tzinfo=UTC))
        then = complaint_metrics(conn, *MARCH, at=h["before_k2"])
        acme = customer_360(conn, h["acme"], d(4, 2))
        listed = complaint_list(conn, limit=3)
        second = complaint_list(conn, limit=3, cursor=listed["next_cursor"])
        open_ones = complaint_list(conn, customer_id=h["acme"], status=["received", "resolved"])
        k2, k2_then = get_complaint(conn, h["k2"]), get_complaint(conn, h["k2"], at=h["before_k2"])
    # cohort: k1..k5 (k4 and k5 by their local business day); k6 is April
    assert {k: v for k, v in march.items() if k not in ("from", "to", "position")} == {
        "received": 5, "needing_resources": 3, "resolved": 3,
        "resolved_within_target": 1, "resolved_late": 1, "within_target_rate": Decimal("0.5000"),
        "unresolved_needing_resources": 1, "past_target_unresolved": 1,  # k4: due 04-02 04:30Z
        "mean_resolution_hours": Decimal("18.58"),  # (23 + 30.5 + 2.25) / 3
        "median_resolution_hours": Decimal("23.00"),
        "reviewed": 2, "reviewed_with_root_cause": 2,
        "review_categories": [{"category": "product_defect", "count": 1},
                              {"category": "response_time", "count": 1}],
        "open_by_step": {"received": 1, "investigating": 1, "resolved": 1}, "open": 3,
    }
    assert early["past_target_unresolved"] == 0
    assert then["past_target_unresolved"] is None
    assert (then["received"], then["resolved"], then["resolved_within_target"],
            then["within_target_rate"], then["mean_resolution_hours"], then["reviewed"]) == (
        2, 1, 1, Decimal("1.0000"), Decimal("23.00"), 1)
    assert acme is not None
    section = acme["complaints"]
    assert [c["id"] for c in section] == [h["k5"], h["k3"], h["k4"], h["k6"]]
    k4 = section[2]
    assert (k4["status"], k4["received_at"], k4["resolve_by"]) == (
        "investigating", datetime(2025, 4, 1, 4, 30, tzinfo=UTC),
        datetime(2025, 4, 2, 4, 30, tzinfo=UTC))
    # by business date of receipt: k5 03-01 (Tokyo), k1 03-03, k2 03-10, k3 03-15, k4 03-31
    assert [c["id"] for c in listed["items"] + second["items"]] == [
        h["k5"], h["k1"], h["k2"], h["k3"], h["k4"], h["k6"]]
    assert second["next_cursor"] is None
    assert [c["id"] for c in open_ones["items"]] == [h["k5"], h["k3"], h["k6"]]
    assert k2 is not None and k2_then is not None
    assert (k2["status"], k2["within_target"], k2["category"], k2["root_cause"]) == (
        "reviewed", False, "response_time", "config")
    assert (k2_then["status"], k2_then["resolved_at"], k2_then["received_on"]) == (
        "received", None, d(3, 10))
