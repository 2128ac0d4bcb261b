"""Weekly usage reports (product analytics) over each customer's live weeks.

A report covers Monday to Sunday and exists once the week is over. Usage ramps
up over the first eight weeks, wanders around the customer's level, dips in the
holiday weeks, and falls off in the ten weeks before a churned term ends. Two
patterns feed the low-engagement playbooks (seed 002):

- ``declining``: the latest week is 40-65 % below the week 14 days before it, in
  active days and in the health score (usage down ≥ 30 % within 14 days);
- ``silent``: no activity at all in the last 5-8 weeks (≥ 30 days).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from cs_demo.catalogue import CORE_PRODUCT
from cs_demo.context import DemoContext
from cs_demo.traits import Traits
from cs_domain.usage import UsageFigures, UsageReport

WEEK = timedelta(days=7)
LEVEL = {"healthy": (0.68, 0.92), "steady": (0.45, 0.68), "declining": (0.6, 0.85),
         "silent": (0.4, 0.6)}
RAMP_WEEKS = 8
PRE_CHURN_WEEKS = 10
# A first term older than the usage history brings its onboarding weeks along (imported
# with the contract), so its activation is evidenced; some customers activated late.
ONBOARDING_WEEKS = 6
LATE_ACTIVATION = 0.15


def mondays(first: date, last: date) -> Iterator[date]:
    """The Mondays from the week containing `first`'s next Monday up to `last`."""
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    while monday <= last:
        yield monday
        monday += WEEK


def is_holiday(monday: date, chinese_calendar: bool) -> bool:
    """The spring-festival weeks (late January to mid February) in China, Christmas and
    the new year elsewhere (approximate: the same weeks every year)."""
    if chinese_calendar:
        return (monday.month == 1 and monday.day >= 25) or (monday.month == 2 and monday.day <= 14)
    return (monday.month == 12 and monday.day >= 22) or (monday.month == 1 and monday.day <= 3)


def figures(rng: random.Random, level: float, monday: date, nps_band: tuple[int, int],
            issues: int) -> UsageFigures:
    level = max(0.0, min(1.0, level))
    days = Decimal(f"{7 * level:.1f}")
    adoption = Decimal(f"{min(1.0, 0.15 + 0.8 * level) if level > 0 else 0:.2f}")
    core = min(CORE_PRODUCT.core_features, round(CORE_PRODUCT.core_features * level * 1.1))
    used = min(CORE_PRODUCT.features, round(CORE_PRODUCT.features * level * 0.8))
    nps = rng.randint(*nps_band) if monday.day <= 7 else None  # asked monthly
    return UsageFigures(period_end=monday + timedelta(days=6), active_days_per_week=days,
                        feature_adoption=adoption, open_issues=issues,
                        core_features_used=core, core_features_total=CORE_PRODUCT.core_features,
                        features_used=used, features_available=CORE_PRODUCT.features, nps=nps)


def usage_reports(ctx: DemoContext, t: Traits, rng: random.Random, live_from: list[date],
                  ended_on: list[date], actor: str) -> list[UsageReport]:
    """Reports for every complete week in the history window while the customer was live,
    and the onboarding weeks of a first term that began before that window."""
    customer_id = ctx.ids.of("customer", t.index)
    last_complete = ctx.today - timedelta(days=7)  # the Monday of a week over by yesterday
    reports: list[UsageReport] = []
    if live_from and live_from[0] < ctx.usage_since:
        reports += onboarding_reports(ctx, t, live_from[0], actor)
    for k, start in enumerate(live_from):
        churned = k < len(ended_on)
        end = ended_on[k] - timedelta(days=6) if churned else last_complete
        weeks = list(mondays(max(start, ctx.usage_since), min(end, last_complete)))
        if not weeks:
            continue
        pattern = "steady" if churned else t.health
        base = rng.uniform(*LEVEL[pattern]) * (0.75 if churned else 1.0)
        level = base
        silent_weeks = rng.randint(5, 8) if pattern == "silent" else 0
        at_risk = pattern in ("declining", "silent") or churned
        nps_band = (-50, 0) if at_risk else (20, 70) if pattern == "healthy" else (0, 40)
        issues_mean = 1.5 if at_risk else 0.4
        reference = 0.5
        for i, monday in enumerate(weeks):
            from_end = len(weeks) - 1 - i  # 0 for the latest week
            level += (base - level) * 0.3 + rng.uniform(-0.06, 0.06)
            value = level * min(1.0, 0.35 + 0.65 * ((monday - start).days // 7) / RAMP_WEEKS)
            if is_holiday(monday, t.region.chinese_names):
                value *= 0.6
            if churned and from_end < PRE_CHURN_WEEKS:
                value *= 0.4 + 0.6 * from_end / PRE_CHURN_WEEKS
            issues = min(20, int(rng.expovariate(1 / issues_mean)))
            if pattern == "silent" and from_end < silent_weeks:
                value, issues = 0.0, 0
            if pattern == "declining" and from_end <= 2:
                # The week 14 days before the latest is the reference; the drop comes after it,
                # with more open issues, so active days and the health score both fall ≥ 30 %.
                if from_end == 2:
                    reference, value, issues = max(value, 0.5), max(value, 0.5), 0
                else:
                    value = reference * (0.75 if from_end == 1 else rng.uniform(0.35, 0.6))
                    issues = 1 if from_end == 1 else 2
            reports.append(UsageReport.report(
                actor=actor, customer_id=customer_id, period_start=monday,
                figures=figures(rng, value, monday, nps_band, issues)))
    return reports


def onboarding_reports(ctx: DemoContext, t: Traits, start: date, actor: str
                       ) -> list[UsageReport]:
    """The first weeks of usage of a first term older than the usage history: most
    customers are active in their first week, `LATE_ACTIVATION` of them 5-8 weeks later.
    Drawn from their own generator, so the rest of the story is the same with or without."""
    rng = random.Random(f"{ctx.seed}:{t.index}:onboarding")
    first = start + timedelta(days=rng.randint(35, 60) if rng.random() < LATE_ACTIVATION else 0)
    last = min(first + ONBOARDING_WEEKS * WEEK, ctx.usage_since - WEEK)
    level = rng.uniform(*LEVEL["steady"])
    customer_id = ctx.ids.of("customer", t.index)
    return [UsageReport.report(
        actor=actor, customer_id=customer_id, period_start=monday,
        figures=figures(rng, level * min(1.0, 0.35 + 0.65 * i / RAMP_WEEKS), monday, (0, 40), 0))
        for i, monday in enumerate(mondays(first, last))]
