"""The renewal pipeline and the renewal metrics (business time)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import EXAMPLE_CUSTOMER_ID
from api.schemas.views.common import EXAMPLE_CONTRACT_ID, EXAMPLE_OWNER_ID, Position
from projections.queries.renewal_rates import RenewalTargetGap, ReportingRenewals
from projections.views.contracts import CurrencyMetrics, OverallRenewals, Renewal


class RenewalList(BaseModel):
    from_: date = Field(alias="from", serialization_alias="from")
    to: date
    items: list[Renewal] = Field(description="Contracts ending in [from, to], by end date.")
    position: Position

    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "from": "2025-12-01", "to": "2025-12-31", "position": 1107,
        "items": [{
            "id": EXAMPLE_CONTRACT_ID, "number": "C-2025-0042", "customer_id": EXAMPLE_CUSTOMER_ID,
            "customer_name": "Acme Dental Group", "owner_id": EXAMPLE_OWNER_ID,
            "owner_name": "Chen Jing", "stage": "renewal", "status": "active",
            "amount": "12000.00", "currency": "EUR", "start_date": "2025-01-01",
            "end_date": "2025-12-31", "intent": "low", "expansion_potential": None,
            "renewed_on": None, "renewal_amount": None, "churned_on": None,
            "churn_reason": None, "progress": None, "renews": "C-2024-0042",
            "signed_on": "2024-12-20", "activated_on": "2025-01-01"}]}]})


class RenewalMetrics(BaseModel):
    from_: date = Field(alias="from", serialization_alias="from")
    to: date
    currencies: list[CurrencyMetrics] = Field(description="One entry per currency (amounts are "
                                                          "never added across currencies).")
    overall: OverallRenewals
    reporting: ReportingRenewals | None = Field(description="Null without a reporting currency.")
    target: RenewalTargetGap | None = Field(description="The target of the range's year (from "
                                                        "and to in one year), null without one.")
    position: Position

    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "from": "2025-10-01", "to": "2025-12-31", "position": 1107,
        "currencies": [{
            "currency": "EUR", "due_customers": 8, "renewed_customers": 7,
            "renewal_rate": 0.875, "due_amount": "96000.00", "renewed_amount": "101500.00",
            "revenue_renewal_rate": 1.0573, "churned_customers": 1,
            "churn_reasons": [{"category": "competitor", "customers": 1, "amount": "12000.00"}],
        }],
        "overall": {"due_customers": 8, "renewed_customers": 7, "renewal_rate": 0.875,
                    "churned_customers": 1},
        "reporting": {"currency": "EUR", "due_amount": "96000.00", "renewed_amount": "101500.00",
                      "revenue_renewal_rate": 1.0573, "missing_rates": []},
        "target": {"year": 2025, "renewal_rate": 0.9, "revenue_renewal_rate": 1.0,
                   "owner_id": EXAMPLE_OWNER_ID, "owner_name": "Li Wei",
                   "gap_renewal_rate": -0.025, "gap_revenue_renewal_rate": 0.0573},
    }]})
