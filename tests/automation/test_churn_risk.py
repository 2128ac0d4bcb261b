"""The `churn_risk` trigger: a customer whose churn probability (the newest model, features
as of the tick's day) reaches the playbook's threshold starts it once per month; no model
yet starts nothing; thresholds outside 0.05..0.99 are refused naming the field."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from automation.commands import ACTOR
from automation.rules import churn_risk_key
from cs_domain.app import CustomerSuccess
from cs_domain.churn_model import FittedModel
from cs_domain.errors import InvalidInput
from projections.db import ReadModels
from projections.views.churn import FEATURES, store_model_file
from tests.automation.story import BASE, Story, monday, run, run_id, runs, ticked

PLAYBOOK = {
    "name": "Churn risk: save the account", "trigger_kind": "churn_risk",
    "trigger_params": {"threshold": "0.6"},
    "customer_goal": "Get value from the product again.",
    "business_goal": "Keep the customer through the renewal.",
    "actions": [{"title": "Review the account's risk factors", "offset_days": 0,
                 "channel": "internal", "owner_role": "owner_csm"}],
    "success_metrics": [{"name": "renewed", "kind": "renewed", "within_days": 150}],
}


def silence_model(app: CustomerSuccess, models: ReadModels) -> None:
    """A hand-made model: the fewer active days, the likelier the churn (p = 0.5 at 3.5)."""
    coefs = tuple(-2.0 if name == "active_days" else 0.0 for name in FEATURES)
    means = tuple(3.5 if name == "active_days" else 0.0 for name in FEATURES)
    fitted = FittedModel(FEATURES, means, (1.0,) * len(FEATURES), coefs, 0.0)
    with models.write() as conn:
        digest = store_model_file(conn, fitted)
    app.record_churn_model(actor="test", horizon_days=30, trained_until=BASE,
                           features=FEATURES, metrics={"auc": "1"}, sha256=digest)


def test_churn_risk_starts_the_playbook_for_customers_above_the_threshold(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    app.define_playbook(actor=ACTOR, key="churn_save", **PLAYBOOK)
    quiet, busy = story.customer("Quiet"), story.customer("Busy")
    for customer, days in ((quiet, [5, 3, 1, 0]), (busy, [5, 5, 6, 6])):
        story.contract(customer, start=-200, end=165)
        story.usage(customer, monday(-35), days)
    ticked(app, models, 0)
    assert runs(models, playbook="churn_save") == []  # no model trained yet
    silence_model(app, models)
    ticked(app, models, 0)
    month = BASE.replace(day=1)
    found = run(models, run_id("churn_save", churn_risk_key(quiet, month)))
    assert found is not None and found["triggered_on"] == BASE
    assert [str(r["customer_id"]) for r in runs(models, playbook="churn_save")] == [str(quiet)]
    ticked(app, models, 3)  # same month: the same occurrence, no second run
    assert len(runs(models, playbook="churn_save")) == 1


@pytest.mark.parametrize(("params", "field"), [
    ({"threshold": "0.01"}, "trigger_params.threshold"),
    ({"threshold": 1}, "trigger_params.threshold"),
    ({}, "trigger_params.threshold"),
    ({"threshold": "0.5", "horizon_days": 400}, "trigger_params.horizon_days"),
])
def test_thresholds_are_bounded(app: CustomerSuccess, params: dict[str, object], field: str):
    with pytest.raises(InvalidInput) as error:
        app.define_playbook(actor=ACTOR, key="churn_bad",
                            **{**PLAYBOOK, "trigger_params": params})
    assert [e.field for e in error.value.errors] == [field]


def test_month_key() -> None:
    assert churn_risk_key(UUID(int=7), date(2026, 3, 1)).endswith(":churn-risk:2026-03")
