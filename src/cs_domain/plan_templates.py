"""Success-plan templates (客成计划模板) as plain data: add one by appending to TEMPLATES.

Each template names its milestones with an offset in days from the plan's start
date and the acceptance criterion (验收标准) that proves the milestone was met.
Sources: seed 000 ("实施交接 → 持续运营 → 断约挽回" plan templates), seed 003
(onboarding check points 7/14/30/60/90 days; stable and renewal periods; win-back
of churned customers), seed 001 (handover form, month-4 and month-9 milestones,
renewal work 90 days before the end), seed 004 (30/60/90-day success roadmap).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MilestoneTemplate:
    title: str
    offset_days: int
    acceptance_criterion: str


@dataclass(frozen=True)
class PlanTemplate:
    key: str
    name: str
    purpose: str
    milestones: tuple[MilestoneTemplate, ...]
    # The plan that usually follows this one for the same customer (000: handover → operation).
    next_template: str | None = None


M = MilestoneTemplate

IMPLEMENTATION_HANDOVER = PlanTemplate(
    key="implementation_handover",
    name="Implementation handover (实施交接)",
    purpose="Take the customer over from sales and implementation and get them live within 90 days.",
    milestones=(
        M("Handover form received (客户交接表)", 0,
          "Sales handover recorded with level-1 key contacts and the customer's expectations"),
        M("Contact established, accounts initialised", 7,
          "Level-1 contact reached; admin account and organisation structure set up"),
        M("First training delivered", 14,
          "First training held and its follow-up (培训回访) recorded"),
        M("Customer activated (全员正式启用)", 30,
          "All intended users are active in the product"),
        M("Second-training check", 60,
          "Decided with the customer whether a second training is needed; held it if so"),
        M("Onboarding data review", 90,
          "Usage data reviewed with the customer; customer handed to continuous operation"),
    ),
    next_template="continuous_operation",
)

CONTINUOUS_OPERATION = PlanTemplate(
    key="continuous_operation",
    name="Continuous operation (持续运营)",
    purpose="Deepen and broaden usage through the stable period and prepare the renewal.",
    milestones=(
        M("Monthly usage analysis (月度使用分析表)", 30,
          "Usage analysis of the month shared with the customer"),
        M("Quarterly business review", 90,
          "QBR held; value delivered against the customer's goals documented"),
        M("No more basic-operation questions", 120,
          "No basic how-to question from the customer in the last 30 days"),
        M("Expansion potential assessed", 180,
          "Expansion potential and renewal intent recorded on the contract"),
        M("Customer runs its own activities", 270,
          "The customer ran at least one activity with the product on its own"),
        M("Renewal strategy prepared", 275,
          "Renewal intent, open risks and the offer agreed internally before the renewal period"),
    ),
)

CHURN_RECOVERY = PlanTemplate(
    key="churn_recovery",
    name="Churn recovery (断约挽回)",
    purpose="Keep a churned customer managed and win it back when its need returns.",
    milestones=(
        M("Churn reason confirmed", 7,
          "Reason category and story confirmed with the decision maker"),
        M("Win-back proposal presented", 30,
          "A proposal that answers the churn reason was presented to the customer"),
        M("Quarterly check-in", 90,
          "Customer contacted; its current needs recorded"),
        M("Reactivation decision", 180,
          "Customer reactivated, or the plan closed with the reason"),
    ),
    next_template="implementation_handover",
)

ROADMAP_30_60_90 = PlanTemplate(
    key="roadmap_30_60_90",
    name="30/60/90-day success roadmap",
    purpose="Agree goals with the customer and prove value within 90 days (seed 004).",
    milestones=(
        M("30 days: goals and KPI agreed", 30,
          "Business goals and the KPI that proves them (e.g. monthly reconciliation "
          "automation rate) agreed and baselined"),
        M("60 days: core workflows live", 60,
          "Core features used in daily work; KPI measured against the baseline"),
        M("90 days: value confirmed", 90,
          "Business impact review shows the KPI improved; next goals set"),
    ),
)

TEMPLATES: dict[str, PlanTemplate] = {
    t.key: t for t in (IMPLEMENTATION_HANDOVER, CONTINUOUS_OPERATION, CHURN_RECOVERY,
                       ROADMAP_30_60_90)
}
