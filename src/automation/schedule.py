"""The time-driven rules: which occurrences exist on `today`, given what the log says.

Each rule defines a set of occurrences, each dated by a business date computed from the
log's history; `occurrences(reader, catalog, today)` lists those dated on or before
`today`. With the log fixed, that set only grows as `today` advances, which is what makes
`tick` idempotent and independent of how often it ran (docs/adr/0005).

For each active playbook of the trigger kind:
- renewal_window: each live (signed/active) contract, `contract:<id>:renewal:<end date>`,
  dated end date − days_before.
- inactivity: each onboarded, not churned customer whose latest activity (never active:
  its onboarding start) is ≥ `days` before today, `customer:<id>:inactive:<day reached>`,
  dated last active day + days.
- no_reply: each onboarded, not churned customer's silences (cs_domain.signals: the first
  outreach — a weekly report — after its latest reply that got no reply within `days`),
  `customer:<id>:no-reply:<outreach day>`, dated outreach day + days + 1.
- quarterly: each onboarded, not churned customer of the playbook's tiers, one per quarter
  from the first quarter start on or after max(onboarded on, the day its tier became
  known), `customer:<id>:qbr:<quarter start>`, dated the quarter start.
- churn_risk: each customer in force today whose churn probability (the newest churn model
  of the playbook's `horizon_days` known at the snapshot, features as of today) is at least
  `threshold`, `customer:<id>:churn-risk:<month>`, dated today: at most one run per
  customer and calendar month. Unlike the other rules it depends on the model's view of
  today, so a customer above the threshold only between two ticks starts nothing
  (docs/playbooks.md); no model trained yet: nothing.

Overdue risks and outcome measurements are listed by `tick` from the same snapshot.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from automation import inputs
from automation.catalog import Catalog
from automation.rules import (
    Occurrence,
    churn_risk_key,
    fresh,
    inactive_key,
    no_reply_key,
    qbr_key,
    quarters,
    renewal_key,
)
from cs_domain.days import shift
from cs_domain.playbook import TriggerKind
from cs_domain.playbook_rules import inactive
from cs_domain.signals import OUTREACH_KINDS, REPLY_KINDS, unanswered_outreach
from projections.view import Reader
from projections.views.churn import (
    ChurnPrediction,
    ModelFileMissing,
    latest_model,
    load_model_file,
    predict,
)
from projections.views.churn import scored as scored_ranking

GONE = ("churned",)
MAX_CUSTOMERS = 10_000_000  # every customer in force (the predictions are not paged here)


def occurrences(r: Reader, catalog: Catalog, today: date) -> list[Occurrence]:
    found: list[Occurrence] = []
    found += _renewals(r, catalog, today)
    found += _inactivity(r, catalog, today)
    found += _no_reply(r, catalog, today)
    found += _quarterly(r, catalog, today)
    found += _churn_risk(r, catalog, today)
    return found


def _renewals(r: Reader, catalog: Catalog, today: date) -> list[Occurrence]:
    playbooks = catalog.active(TriggerKind.RENEWAL_WINDOW, r.at)
    if not playbooks:
        return []
    found = []
    for k in inputs.contracts(r, live=True):
        for p in playbooks:
            opens = shift(k["end_date"], -p.days("days_before", "120"))
            if opens <= today:
                found.append(Occurrence(p.key, k["customer_id"],
                                        renewal_key(k["id"], k["end_date"]), opens, k["id"],
                                        k["known_on"]))
    return found


def _inactivity(r: Reader, catalog: Catalog, today: date) -> list[Occurrence]:
    playbooks = catalog.active(TriggerKind.INACTIVITY, r.at)
    if not playbooks:
        return []
    last = inputs.last_active(r)
    found = []
    for c in inputs.customers(r):
        if c["onboarded_on"] is None or c["stage"] in GONE:
            continue
        # The latest activity the log knows of, whenever reported (not only up to today):
        # what a later report says can only move the silence later, never undo one.
        report = last.get(c["id"])
        for p in playbooks:
            reached = inactive(report.period_end if report else None, c["onboarded_on"],
                               today, p.days("days", "30"))
            if reached is not None:
                found.append(Occurrence(p.key, c["id"], inactive_key(c["id"], reached), reached,
                                        report.id if report else None,
                                        report.known_on if report else c["tier_known_on"]))
    return found


def _no_reply(r: Reader, catalog: Catalog, today: date) -> list[Occurrence]:
    playbooks = catalog.active(TriggerKind.NO_REPLY, r.at)
    if not playbooks:
        return []
    seen = inputs.touchpoints_by_customer(r, OUTREACH_KINDS | REPLY_KINDS)
    found = []
    for c in inputs.customers(r):
        if c["onboarded_on"] is None or c["stage"] in GONE or c["id"] not in seen:
            continue
        for p in playbooks:
            found += [Occurrence(p.key, c["id"], no_reply_key(c["id"], sent), reached)
                      for sent, reached in unanswered_outreach(seen[c["id"]],
                                                               p.days("days", "14"), today)]
    return found


def _quarterly(r: Reader, catalog: Catalog, today: date) -> list[Occurrence]:
    playbooks = catalog.active(TriggerKind.QUARTERLY, r.at)
    if not playbooks:
        return []
    found = []
    for c in inputs.customers(r):
        if c["onboarded_on"] is None or c["stage"] in GONE:
            continue
        anchor = max(c["onboarded_on"], c["tier_known_on"])
        for p in playbooks:
            if c["tier"] not in p.param("tiers", ["strategic"]):
                continue
            # Known since the customer's tier was: a quarter whose every step was past by
            # then starts nothing (history loaded at once gets no QBR per past quarter).
            found += [Occurrence(p.key, c["id"], qbr_key(c["id"], q), q, None, c["tier_known_on"])
                      for q in quarters(anchor, today)
                      if fresh(q, p.last_offset, c["tier_known_on"])]
    return found


def _churn_risk(r: Reader, catalog: Catalog, today: date) -> list[Occurrence]:
    playbooks = catalog.active(TriggerKind.CHURN_RISK, r.at)
    if not playbooks:
        return []
    found = []
    scored: dict[int, list[ChurnPrediction]] = {}
    for p in playbooks:
        horizon = p.days("horizon_days", "30")
        if horizon not in scored:
            scored[horizon] = []
            model = latest_model(r, horizon)
            if model is not None:
                try:
                    fitted = load_model_file(r.conn, model["sha256"])
                except ModelFileMissing:
                    continue
                kept = scored_ranking(r.conn, model["sha256"], today, limit=None)
                scored[horizon] = kept[1] if kept is not None else predict(
                    r, fitted, today, limit=MAX_CUSTOMERS)
        threshold = p.number("threshold", "0.7")
        month = today.replace(day=1)
        found += [Occurrence(p.key, item["customer_id"],
                             churn_risk_key(item["customer_id"], month), today, None, today)
                  for item in scored[horizon]
                  if Decimal(str(item["probability"])) >= threshold]
    return found
