"""Users: create (admin), who am I, role changes, deactivation, token rotation."""

from __future__ import annotations

from uuid import UUID

from fastapi.responses import JSONResponse

from api.deps import Create, PlainWrite, ReaderDep, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.permissions import Action, Resource
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.users import (
    TokenRotated,
    UserCreate,
    UserCreated,
    UserDeactivate,
    UserMe,
    UserRoleChange,
)
from cs_domain.application import CommandResult

router = ledger_router(prefix="/users", tags=["users"])


@router.post("", status_code=201, response_model=UserCreated, responses=problems(*CREATE_ERRORS))
def create_user(body: UserCreate, w: Create) -> JSONResponse:
    """Create a user (admin). The response carries the user's API token, shown only once."""

    def present(out: tuple[CommandResult, str]) -> UserCreated:
        result, token = out
        return UserCreated(id=result.id, name=body.name.strip(), role=body.role, token=token,
                           version=result.version, position=result.position)

    return w.run(Action.CREATE_USERS,
                 lambda: w.app.create_user(actor=w.actor, name=body.name, role=body.role.value),
                 present, status=201, secret_fields=("token",))


@router.get("/me", response_model=UserMe, responses=problems(401, 500))
def who_am_i(principal: ReaderDep) -> UserMe:
    """The calling user: id, name and role."""
    return UserMe(id=principal.actor, name=principal.name, role=principal.role,
                  bootstrap=principal.user_id is None)


@router.post("/{user_id}/role", response_model=WriteResult, responses=problems(*WRITE_ERRORS))
def change_role(user_id: UUID, body: UserRoleChange, w: Write) -> JSONResponse:
    """Change a user's role (admin)."""
    return w.run(Action.MANAGE_USERS,
                 lambda: w.app.change_user_role(actor=w.actor, user_id=user_id,
                                                role=body.role.value,
                                                expected_version=w.expected_version),
                 WriteResult.of)


@router.post("/{user_id}/deactivate", response_model=WriteResult,
             responses=problems(*CREATE_ERRORS, 404))
def deactivate_user(user_id: UUID, body: UserDeactivate, w: PlainWrite) -> JSONResponse:
    """Deactivate a user (admin): their token stops working; their history stays."""
    return w.run(Action.MANAGE_USERS,
                 lambda: w.app.deactivate_user(actor=w.actor, user_id=user_id, reason=body.reason),
                 WriteResult.of)


@router.post("/{user_id}/token", response_model=TokenRotated,
             responses=problems(*CREATE_ERRORS, 404))
def rotate_token(user_id: UUID, w: PlainWrite) -> JSONResponse:
    """Issue a new token for a user (admin, or the user themselves); the old one is revoked."""

    def present(out: tuple[CommandResult, str]) -> TokenRotated:
        result, token = out
        return TokenRotated(id=result.id, token=token, version=result.version,
                            position=result.position)

    return w.run(Action.ROTATE_TOKEN,
                 lambda: w.app.rotate_user_token(actor=w.actor, user_id=user_id), present,
                 resource=lambda: Resource("user", user_id), secret_fields=("token",))

