"""Each CSM's ISO week (`GET /team/weekly`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.views.common import EXAMPLE_OWNER_ID, Position
from projections.queries.weekly import CsmWeek


class TeamWeek(BaseModel):
    week: str = Field(description="The ISO week, `YYYY-Www`.")
    items: list[CsmWeek] = Field(description="One per CSM (customer owners and active csm "
                                             "users), by owner id.")
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "week": "2026-W49", "position": 20258,
        "items": [{"owner_id": EXAMPLE_OWNER_ID, "customers_touched": 12, "visits": 2,
                   "tasks_done": 9, "risks_raised": 1, "risks_closed": 2, "renewals": 1,
                   "brief": {"summary": "12 customers served; Acme's renewal agreed.",
                             "submitted_on": "2026-12-04", "submitted_by": EXAMPLE_OWNER_ID,
                             "problems": [{"problem": 0, "text": "Beta is not answering",
                                           "status": "open",
                                           "follow_up_owner_id": EXAMPLE_OWNER_ID,
                                           "assigned_on": "2026-12-07", "closed_on": None,
                                           "resolution": None}]}}]}]})
