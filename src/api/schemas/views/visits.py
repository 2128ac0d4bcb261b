"""On-site visits across customers (`GET /metrics/visits`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import EXAMPLE_CUSTOMER_ID
from api.schemas.views.common import EXAMPLE_OWNER_ID, Position
from projections.queries.visits import HeadNotVisited, QuarterVisits, VisitedCustomer


class VisitMetrics(BaseModel):
    visits: int = Field(description="`onsite_visit` touchpoints in [from, to].")
    by_customer: list[VisitedCustomer] = Field(description="Customers visited, by name.")
    by_quarter: list[QuarterVisits]
    quarter: str = Field(description="The quarter of `today`.")
    head_customers_not_visited: list[HeadNotVisited] = Field(
        description="Strategic-tier customers with a live (signed or active) contract and no "
                    "on-site visit from the start of the quarter of `today` to `today` "
                    "(seeds 000/004); not limited by from/to.")
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "visits": 3, "quarter": "2026-Q4", "position": 20258,
        "by_customer": [{"customer_id": EXAMPLE_CUSTOMER_ID, "customer_name": "Acme Dental Group",
                         "owner_id": EXAMPLE_OWNER_ID, "visits": 3,
                         "last_visit_on": "2026-10-14"}],
        "by_quarter": [{"quarter": "2026-Q3", "visits": 2, "customers": 1},
                       {"quarter": "2026-Q4", "visits": 1, "customers": 1}],
        "head_customers_not_visited": [{"customer_id": EXAMPLE_CUSTOMER_ID,
                                        "customer_name": "Beta Clinics",
                                        "owner_id": EXAMPLE_OWNER_ID,
                                        "last_visit_on": "2026-08-02"}]}]})
