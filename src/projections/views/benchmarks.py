"""Benchmark cases view (标杆案例, seed 001 §二.6): each case's stage and the date of every
stage, the recorded recognition and outcome; read with the customer's tier and latest usage
report so the three criteria are judged from the facts (`cs_domain.benchmark`), and with
the coverage per class (class = the customer's tier until customer classes exist)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import Boolean, Connection, Date, String, Uuid, and_, select

from cs_domain.benchmark import (
    COVERING,
    NOTE_MAX,
    TITLE_MAX,
    BenchmarkCase,
    BenchmarkStage,
    all_modules_used,
    outcome_measured,
)
from cs_domain.customer import Tier
from projections.query import check_limit, check_values, date_page
from projections.shapes import ExactDecimal, Position, TypedDict
from projections.versioned import DecimalText, VersionedTable
from projections.view import Reader, View, ViewTx, on
from projections.views.customers import CUSTOMERS
from projections.views.health import CURRENT, PERIODS

B = BenchmarkStage
STAGE_DATES = {B.BUILT: "built_on", B.REPLICATED: "replicated_on", B.UPGRADED: "upgraded_on",
               B.REPLICATED_AGAIN: "replicated_again_on", B.DROPPED: "dropped_on"}

CASES = VersionedTable(
    "benchmarks", "benchmark_cases",
    keys=[("id", Uuid())],
    columns=[
        ("customer_id", Uuid()), ("title", String(TITLE_MAX)), ("stage", String(20)),
        ("nominated_by", String(200)), ("nominated_on", Date()), ("built_on", Date()),
        ("replicated_on", Date()), ("upgraded_on", Date()), ("replicated_again_on", Date()),
        ("dropped_on", Date()), ("stage_note", String(NOTE_MAX)),
        ("drop_reason", String(NOTE_MAX)), ("industry_known", Boolean()),
        ("recognition_note", String(NOTE_MAX)), ("recognized_on", Date()),
        ("cost_down_pct", DecimalText()), ("growth_pct", DecimalText()),
        ("outcome_note", String(NOTE_MAX)), ("measured_on", Date()),
    ],
    indexes=[("customer_id",), ("nominated_on", "id")],
    current_indexes=[("customer_id",)],
)


class BenchmarksView(View):
    name = "benchmarks"
    tables = (CASES,)

    @on(BenchmarkCase.Nominated)
    def nominated(self, tx: ViewTx, e: BenchmarkCase.Nominated) -> None:
        row: dict[str, Any] = {c: None for c in CASES.data_names}
        row.update(customer_id=e.customer_id, title=e.title, stage=B.CANDIDATE.value,
                   nominated_by=e.actor, nominated_on=e.on)
        tx[CASES].put(e.originator_id, row)

    @on(BenchmarkCase.Advanced)
    def advanced(self, tx: ViewTx, e: BenchmarkCase.Advanced) -> None:
        tx[CASES].update(e.originator_id, stage=e.stage, stage_note=e.note,
                         **{STAGE_DATES[B(e.stage)]: e.on})

    @on(BenchmarkCase.Dropped)
    def dropped(self, tx: ViewTx, e: BenchmarkCase.Dropped) -> None:
        tx[CASES].update(e.originator_id, stage=B.DROPPED.value, dropped_on=e.on,
                         drop_reason=e.reason)

    @on(BenchmarkCase.RecognitionRecorded)
    def recognized(self, tx: ViewTx, e: BenchmarkCase.RecognitionRecorded) -> None:
        tx[CASES].update(e.originator_id, industry_known=e.industry_known,
                         recognition_note=e.note, recognized_on=e.on)

    @on(BenchmarkCase.OutcomeRecorded)
    def outcome(self, tx: ViewTx, e: BenchmarkCase.OutcomeRecorded) -> None:
        tx[CASES].update(e.originator_id, cost_down_pct=e.cost_down_pct,
                         growth_pct=e.growth_pct, outcome_note=e.note,
                         measured_on=e.measured_on)


class IndustryKnown(TypedDict):
    met: Annotated[bool, Field(description="A recognition recorded with industry_known = true.")]
    note: str | None
    recorded_on: date | None


class AllModulesUsed(TypedDict):
    met: Annotated[bool, Field(description="From the latest usage report: features_used = "
                                           "features_available when reported, else "
                                           "feature_adoption ≥ 0.90; false without a report.")]
    period_start: Annotated[date | None, Field(description="The usage report judged (null: "
                                                           "none).")]
    feature_adoption: ExactDecimal | None
    features_used: int | None
    features_available: int | None


class MeasuredOutcome(TypedDict):
    met: Annotated[bool, Field(description="A recorded cost_down_pct or growth_pct above 0.")]
    cost_down_pct: ExactDecimal | None
    growth_pct: ExactDecimal | None
    measured_on: date | None


class Criteria(TypedDict):
    industry_known: IndustryKnown
    all_modules_used: AllModulesUsed
    measured_outcome: MeasuredOutcome


class BenchmarkItem(TypedDict):
    """A benchmark case with its stage dates, recognition, outcome and criteria."""

    id: UUID
    customer_id: UUID
    customer_name: str | None
    tier: Annotated[str | None, Field(description="The customer's tier as of the read (its "
                                                  "class).")]
    title: str
    stage: Annotated[str, Field(description="candidate | built | replicated | upgraded | "
                                            "replicated_again | dropped")]
    nominated_by: str
    nominated_on: date
    built_on: date | None
    replicated_on: date | None
    upgraded_on: date | None
    replicated_again_on: date | None
    dropped_on: date | None
    stage_note: Annotated[str | None, Field(description="The latest step's note.")]
    drop_reason: str | None
    industry_known: Annotated[bool | None, Field(description="The latest recognition; null "
                                                             "before one.")]
    recognition_note: str | None
    recognized_on: date | None
    cost_down_pct: ExactDecimal | None
    growth_pct: ExactDecimal | None
    outcome_note: str | None
    measured_on: date | None
    criteria: Criteria
    qualified: Annotated[bool, Field(description="All three criteria met.")]


class BenchmarkOne(BenchmarkItem):
    position: Position


class ClassCoverage(TypedDict):
    tier: Annotated[str, Field(description="The class: the customer's tier.")]
    customers: int
    cases: Annotated[int, Field(description="Cases not dropped.")]
    covered: Annotated[bool, Field(description="A case at stage built or further.")]


class BenchmarkPage(TypedDict):
    items: list[BenchmarkItem]
    next_cursor: str | None
    coverage: list[ClassCoverage]
    classes_without_case: list[str]
    position: int


def _latest_usage(r: Reader, ids: list[UUID]) -> dict[UUID, Any]:
    """Customer → its latest usage report (by period start), for the modules criterion."""
    if not ids:
        return {}
    cur, per = r.table(CURRENT), r.table(PERIODS)
    stmt = (select(per.c.customer_id, per.c.period_start, per.c.feature_adoption,
                   per.c.features_used, per.c.features_available)
            .join(cur, and_(cur.c.customer_id == per.c.customer_id,
                            cur.c.period_start == per.c.period_start))
            .where(r.visible(cur), r.visible(per), per.c.customer_id.in_(ids)))
    return {row.customer_id: row for row in r.conn.execute(stmt)}


def _criteria(x: Any, usage: Any | None) -> Criteria:
    modules: AllModulesUsed = {"met": usage is not None and all_modules_used(
        usage.feature_adoption, usage.features_used, usage.features_available),
        "period_start": usage.period_start if usage is not None else None,
        "feature_adoption": usage.feature_adoption if usage is not None else None,
        "features_used": usage.features_used if usage is not None else None,
        "features_available": usage.features_available if usage is not None else None}
    return {
        "industry_known": {"met": bool(x.industry_known), "note": x.recognition_note,
                           "recorded_on": x.recognized_on},
        "all_modules_used": modules,
        "measured_outcome": {"met": outcome_measured(x.cost_down_pct, x.growth_pct),
                             "cost_down_pct": x.cost_down_pct, "growth_pct": x.growth_pct,
                             "measured_on": x.measured_on},
    }


def _items(r: Reader, rows: list[Any]) -> list[BenchmarkItem]:
    ids = [x.customer_id for x in rows]
    c = r.table(CUSTOMERS)
    customers = {row.id: row for row in r.conn.execute(
        select(c.c.id, c.c.name, c.c.tier).where(r.visible(c), c.c.id.in_(ids)))} if ids else {}
    usage = _latest_usage(r, ids)
    out = []
    for x in rows:
        customer = customers.get(x.customer_id)
        criteria = _criteria(x, usage.get(x.customer_id))
        out.append(BenchmarkItem(
            id=x.id, customer_id=x.customer_id, title=x.title, stage=x.stage,
            nominated_by=x.nominated_by, nominated_on=x.nominated_on, built_on=x.built_on,
            replicated_on=x.replicated_on, upgraded_on=x.upgraded_on,
            replicated_again_on=x.replicated_again_on, dropped_on=x.dropped_on,
            stage_note=x.stage_note, drop_reason=x.drop_reason, industry_known=x.industry_known,
            recognition_note=x.recognition_note, recognized_on=x.recognized_on,
            cost_down_pct=x.cost_down_pct, growth_pct=x.growth_pct, outcome_note=x.outcome_note,
            measured_on=x.measured_on,
            customer_name=customer.name if customer is not None else None,
            tier=customer.tier if customer is not None else None,
            criteria=criteria,
            qualified=all(v["met"] for v in (criteria["industry_known"],
                                             criteria["all_modules_used"],
                                             criteria["measured_outcome"]))))
    return out


def get_case(conn: Connection, case_id: UUID, at: int | None = None) -> BenchmarkOne | None:
    """One benchmark case with its criteria judged from the facts, plus `position`."""
    r = Reader(conn, at)
    t = r.table(CASES)
    row = conn.execute(select(t).where(t.c.id == case_id, r.visible(t))).first()
    return None if row is None else BenchmarkOne(**_items(r, [row])[0], position=r.position)


def coverage(r: Reader) -> tuple[list[ClassCoverage], list[str]]:
    """Per class (tier): customers, cases (not dropped) and whether a case built or further
    covers it; and the classes with customers but no such case."""
    c, t = r.table(CUSTOMERS), r.table(CASES)
    customers = Counter(row.tier for row in r.conn.execute(
        select(c.c.tier).where(r.visible(c))))
    cases: Counter[str] = Counter()
    covered: set[str] = set()
    for tier, stage in r.conn.execute(
            select(c.c.tier, t.c.stage).join(c, c.c.id == t.c.customer_id)
            .where(r.visible(c), r.visible(t), t.c.stage != B.DROPPED.value)):
        cases[tier] += 1
        if stage in COVERING:
            covered.add(tier)
    rows: list[ClassCoverage] = [{"tier": tier.value, "customers": customers[tier.value],
             "cases": cases[tier.value], "covered": tier.value in covered} for tier in Tier]
    missing = [x["tier"] for x in rows if x["customers"] and not x["covered"]]
    return rows, missing


def case_list(conn: Connection, *, customer_id: UUID | None = None,
              stage: list[str] | None = None, cursor: str | None = None, limit: int = 50,
              at: int | None = None, today: date | None = None) -> BenchmarkPage:
    """Cases by nomination date (then id) with their criteria: `{items, next_cursor,
    coverage, classes_without_case, position}`."""
    check_limit(limit)
    check_values("stage", stage, (s.value for s in BenchmarkStage))
    r = Reader(conn, at, today)
    t = r.table(CASES)
    stmt = select(t).where(r.visible(t))
    if customer_id is not None:
        stmt = stmt.where(t.c.customer_id == customer_id)
    if stage:
        stmt = stmt.where(t.c.stage.in_(stage))
    page, next_cursor = date_page(conn, stmt, t, "nominated_on", cursor, limit)
    rows, missing = coverage(r)
    return {"items": _items(r, list(page)), "next_cursor": next_cursor, "coverage": rows,
            "classes_without_case": missing, "position": r.position}
