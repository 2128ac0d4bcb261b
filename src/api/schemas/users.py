"""Users: creation (admin), the caller's identity, role changes, token rotation."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import EXAMPLE_USER_ID, Schema, ShortText
from cs_domain.user import Role


class UserCreate(Schema):
    name: ShortText = Field(examples=["Chen Jing"])
    role: Role

    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "Chen Jing", "role": "csm"}]})


class UserCreated(BaseModel):
    id: UUID
    name: str
    role: Role
    token: str | None = Field(description="The API token, shown once. Only its SHA-256 hash is "
                                          "stored, so an idempotent replay returns null.")
    version: int
    position: int

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": EXAMPLE_USER_ID, "name": "Chen Jing", "role": "csm",
        "token": "csl_4mB0c1Q2…", "version": 1, "position": 17,
    }]})


class UserMe(BaseModel):
    id: str = Field(description="The user's id; `admin-bootstrap` for the bootstrap admin token.")
    name: str
    role: Role
    bootstrap: bool = Field(description="True for the token from CS_LEDGER_ADMIN_TOKEN.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": EXAMPLE_USER_ID, "name": "Chen Jing", "role": "csm", "bootstrap": False,
    }]})


class UserRoleChange(Schema):
    role: Role

    model_config = ConfigDict(json_schema_extra={"examples": [{"role": "manager"}]})


class UserDeactivate(Schema):
    reason: str | None = Field(default=None, max_length=5000)

    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "left the company"}]})


class TokenRotated(BaseModel):
    id: UUID
    token: str | None = Field(description="The new token, shown once (null in a replay); the "
                                          "old token stops working.")
    version: int
    position: int

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": EXAMPLE_USER_ID, "token": "csl_9xY…", "version": 2, "position": 88}]})
