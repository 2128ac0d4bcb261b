"""The playbooks CS Ledger ships with (seed 002, with the check points of seed 003
and the win-back of seed 001). Installed by `install_default_playbooks`; managers
revise them like any other playbook."""

from __future__ import annotations

from typing import Any


def _a(title: str, offset: int, channel: str = "call", role: str = "owner_csm", *,
       must: bool = False, by: tuple[str, ...] = ()) -> dict[str, Any]:
    """One action; `must`: a late run catches it up (one task due the day the run started);
    `by`: the touchpoint kinds that, recorded in its window, complete it."""
    action: dict[str, Any] = {"title": title, "owner_role": role, "channel": channel,
                              "offset_days": offset}
    if must:
        action["must_happen"] = True
    if by:
        action["completed_by"] = list(by)
    return action


CALL = ("call", "check_in")
MEET = ("check_in", "onsite_visit", "qbr")


DEFAULT_PLAYBOOKS: dict[str, dict[str, Any]] = {
    "onboarding": {
        "name": "Onboarding",
        "trigger_kind": "contract_activated",
        "trigger_params": {},
        "customer_goal": "Reach first value quickly and get every intended user active.",
        "business_goal": "Activation within 30 days; a healthy account by day 90.",
        "actions": [
            _a("Send the welcome message", 0, "email"),
            _a("Hold the kickoff call", 2, "meeting", must=True, by=("check_in", "onsite_visit")),
            _a("Guided setup session", 5, "meeting", by=("training",)),
            _a("Day-7 checkpoint: contacts and accounts set up", 7, "call", by=CALL),
            _a("Day-14 check-in after the first training", 14, "call", by=CALL),
            _a("Day-30 checkpoint: activation", 30, "call", must=True, by=CALL),
            _a("Day-60 checkpoint: second training needed?", 60, "call", by=(*CALL, "training")),
            _a("Day-90 checkpoint: onboarding data review", 90, "meeting", must=True, by=MEET),
        ],
        "success_metrics": [
            {"name": "kickoff held", "kind": "meeting_held", "step": 1, "within_days": 14},
            {"name": "onboarding completed", "kind": "tasks_done", "within_days": 100},
        ],
    },
    "low_engagement_drop": {
        "name": "Low engagement: usage drop",
        "trigger_kind": "usage_drop",
        "trigger_params": {"drop_ratio": "0.30", "window_days": 14},
        "customer_goal": "Get back to the value the customer was getting.",
        "business_goal": "Stop a slide before it becomes a churn risk.",
        "actions": [
            _a("Review the usage data and recent tickets", 0, "internal"),
            _a("Call the level-1 contact about the drop", 1, "call", must=True, by=CALL),
            _a("Targeted training on the unused features", 7, "meeting", by=("training",)),
            _a("Follow-up check on usage", 14, "call", by=CALL),
        ],
        "success_metrics": [
            {"name": "usage recovered", "kind": "usage_recovered", "within_days": 30},
        ],
    },
    "low_engagement_inactive": {
        "name": "Low engagement: no activity",
        "trigger_kind": "inactivity",
        "trigger_params": {"days": 30},
        "customer_goal": "Resume using the product.",
        "business_goal": "Re-engage silent accounts before renewal is at risk.",
        "actions": [
            _a("Check what changed at the customer", 0, "internal"),
            _a("Reach out to the level-1 contact", 1, "email", must=True, by=CALL),
            _a("Offer an onsite or remote re-launch session", 7, "meeting",
               by=("training", "onsite_visit")),
        ],
        "success_metrics": [
            {"name": "usage recovered", "kind": "usage_recovered", "within_days": 30},
        ],
    },
    "business_change_review": {
        "name": "Business change review",
        "trigger_kind": "business_change",
        "trigger_params": {},
        "customer_goal": "Keep getting value from the product through the change.",
        "business_goal": "Act on a churn warning line early (seed 001 §二.8: business change).",
        "actions": [
            _a("Assess what the change means for the account", 0, "internal"),
            _a("Talk to the level-1 contact about the change", 2, "call", must=True, by=CALL),
            _a("Agree the way forward with the decision makers", 14, "meeting", by=MEET),
        ],
        "success_metrics": [
            {"name": "contact reached", "kind": "meeting_held", "step": 1, "within_days": 14},
        ],
    },
    "renewal_readiness": {
        "name": "Renewal readiness",
        "trigger_kind": "renewal_window",
        "trigger_params": {"days_before": 120},
        "customer_goal": "Decide on the renewal with the value achieved in view.",
        "business_goal": "Renew on time, with expansion where it fits.",
        "actions": [
            _a("120 days out: review health, value delivered and open risks", 0, "internal"),
            _a("90 days out: open the renewal conversation", 30, "meeting", must=True, by=MEET),
            _a("60 days out: send the renewal proposal", 60, "email", must=True),
            _a("30 days out: close the renewal", 90, "meeting", must=True, by=MEET),
        ],
        "success_metrics": [
            {"name": "renewed", "kind": "renewed", "within_days": 150},
        ],
    },
    "expansion": {
        "name": "Expansion",
        "trigger_kind": "usage_growth",
        "trigger_params": {"weeks": 4, "growth_ratio": "0.20"},
        "customer_goal": "Get more value from a product that is working for them.",
        "business_goal": "Turn sustained growth into an expansion.",
        "actions": [
            _a("Review growth and seat utilisation", 0, "internal"),
            _a("Discuss new use cases with the level-1 contact", 7, "meeting", must=True,
               by=MEET),
        ],
        "success_metrics": [
            {"name": "conversation held", "kind": "meeting_held", "step": 1, "within_days": 21},
        ],
    },
    "qbr": {
        "name": "Quarterly business review",
        "trigger_kind": "quarterly",
        "trigger_params": {"tiers": ["strategic"]},
        "customer_goal": "See the value delivered and agree the next quarter's goals.",
        "business_goal": "Keep strategic accounts aligned and visible.",
        "actions": [
            _a("Prepare the QBR deck from usage and outcomes", 0, "internal"),
            _a("Hold the QBR", 14, "meeting", must=True, by=("qbr",)),
            _a("Send the QBR summary and agreed actions", 16, "email"),
        ],
        "success_metrics": [
            {"name": "QBR held", "kind": "meeting_held", "step": 1, "within_days": 30},
        ],
    },
    "churn_winback": {
        "name": "Churn win-back",
        "trigger_kind": "contract_churned",
        "trigger_params": {},
        "customer_goal": "Have a path back if their situation changes.",
        "business_goal": "Learn why they left and win back where possible (seed 001).",
        "actions": [
            _a("Exit interview: confirm the churn reason", 3, "call", must=True, by=("call",)),
            _a("Win-back review: what would bring them back", 30, "internal"),
            _a("Re-engagement check", 90, "email"),
        ],
        "success_metrics": [
            {"name": "reactivated", "kind": "reactivated", "within_days": 180},
        ],
    },
}
