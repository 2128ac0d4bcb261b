"""Bearer-token authentication: who is calling.

Tokens are looked up by their SHA-256 hash (the only form stored). The token in
`CS_LEDGER_ADMIN_TOKEN`, if set, authenticates the bootstrap admin, whose
events carry the actor id `admin-bootstrap`.
"""

from __future__ import annotations

import hmac

from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.permissions import Principal
from api.problems import ApiProblem
from cs_domain.app import CustomerSuccess
from cs_domain.user import Role, hash_token
from cs_store.settings import Settings

BOOTSTRAP_ACTOR = "admin-bootstrap"

bearer_scheme = HTTPBearer(
    auto_error=False, scheme_name="bearer",
    description="`Authorization: Bearer <token>`; tokens come from `POST /api/v1/users` or "
                "`cs-ledger users add`.",
)


class Unauthorized(ApiProblem):
    def __init__(self, detail: str, *, token_sent: bool):
        challenge = 'Bearer realm="cs-ledger"'
        if token_sent:
            challenge += ', error="invalid_token"'
        super().__init__(401, "unauthorized", detail, headers={"WWW-Authenticate": challenge})


def authenticate(
    app: CustomerSuccess, settings: Settings, credentials: HTTPAuthorizationCredentials | None
) -> Principal:
    if credentials is None or not credentials.credentials:
        raise Unauthorized("send a bearer token: Authorization: Bearer <token>", token_sent=False)
    return authenticate_hash(app, settings, hash_token(credentials.credentials))


def authenticate_hash(app: CustomerSuccess, settings: Settings, token_hash: str) -> Principal:
    """Who holds the token with this SHA-256 (a board session keeps only the hash)."""
    if settings.admin_token and hmac.compare_digest(token_hash, hash_token(settings.admin_token)):
        return Principal(actor=BOOTSTRAP_ACTOR, role=Role.ADMIN, name="bootstrap admin")
    user = app.user_for_token_hash(token_hash)
    if user is None:
        raise Unauthorized("the bearer token is unknown or revoked", token_sent=True)
    return Principal(actor=str(user.id), role=Role(user.role), name=user.name, user_id=user.id)
