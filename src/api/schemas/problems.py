"""Problem details (RFC 9457): the body of every error response."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class FieldProblem(BaseModel):
    field: str = Field(description="Dotted path of the offending input, e.g. `amount` or "
                                   "`todos.0.due_date`; headers and query parameters by name.")
    message: str


class Problem(BaseModel):
    """An error, as `application/problem+json`."""

    type: str = Field(description="A URI naming the kind of problem (see docs/api.md).")
    title: str = Field(description="Short summary of the kind of problem.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request.")
    instance: str = Field(description="The path of the request.")
    errors: list[FieldProblem] | None = Field(
        default=None, description="Validation problems, one per field (422 only).")

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [{
        "type": "https://cs-ledger.dev/problems/transition-not-allowed",
        "title": "Transition not allowed",
        "status": 409,
        "detail": "cannot renew a contract that is draft",
        "instance": "/api/v1/contracts/3f1c9a0e-5b7d-4c2a-9e8f-1a2b3c4d5e6f/renew",
    }]})
