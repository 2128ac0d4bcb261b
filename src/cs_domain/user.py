"""Users: who may act, with which role. Only a SHA-256 hash of a token is stored.

Creating, re-roling and deactivating users are events too, so who granted what
is part of the audited log. :class:`UserToken` indexes token hashes.
"""

from __future__ import annotations

import hashlib
import secrets
from enum import StrEnum
from uuid import UUID, uuid4

from cs_domain.base import LedgerAggregate, check_enum, check_text, index_id
from cs_domain.errors import Validator


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    CSM = "csm"
    SUPPORT = "support"
    ANALYST = "analyst"
    AUDITOR = "auditor"
    IMPLEMENTATION = "implementation"  # 实施: delivers projects, raises risks (seed 000)
    SALES = "sales"  # hands the customer over to the CSM (客户交接表, seed 001)


def new_token() -> str:
    return "csl_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class User(LedgerAggregate):
    KIND = "user"

    class Created(LedgerAggregate.Created):
        actor: str
        name: str
        role: str
        token_hash: str

    class RoleChanged(LedgerAggregate.Event):
        actor: str
        role: str

        def apply(self, u: User) -> None:
            u.role = self.role

    class TokenRotated(LedgerAggregate.Event):
        actor: str
        token_hash: str

        def apply(self, u: User) -> None:
            u.token_hash = self.token_hash

    class Deactivated(LedgerAggregate.Event):
        actor: str
        reason: str | None

        def apply(self, u: User) -> None:
            u.active = False

    def __init__(self, actor: str, name: str, role: str, token_hash: str):
        self.name = name
        self.role = role
        self.token_hash = token_hash
        self.active = True

    @classmethod
    def create(
        cls, *, actor: str, name: str, role: str, token_hash: str, user_id: UUID | None = None
    ) -> User:
        v = Validator()
        check_text(v, name, "name")
        check_enum(v, Role, role, "role")
        v.done()
        return cls._create(
            cls.Created, id=user_id or uuid4(), actor=actor, name=name.strip(), role=role,
            token_hash=token_hash,
        )

    def change_role(self, *, actor: str, role: str) -> None:
        v = Validator()
        check_enum(v, Role, role, "role")
        v.done()
        if not self.active:
            raise self.refuse("change the role of", "deactivated")
        self.trigger_event(self.RoleChanged, actor=actor, role=role)

    def rotate_token(self, *, actor: str, token_hash: str) -> None:
        if not self.active:
            raise self.refuse("rotate the token of", "deactivated")
        self.trigger_event(self.TokenRotated, actor=actor, token_hash=token_hash)

    def deactivate(self, *, actor: str, reason: str | None = None) -> None:
        if not self.active:
            raise self.refuse("deactivate", "deactivated")
        self.trigger_event(self.Deactivated, actor=actor, reason=reason)


class UserToken(LedgerAggregate):
    """Index from a token hash to its user; a rotated token's entry is revoked."""

    KIND = "token"

    class Issued(LedgerAggregate.Created):
        actor: str
        user_id: UUID

    class Revoked(LedgerAggregate.Event):
        actor: str

        def apply(self, t: UserToken) -> None:
            t.revoked = True

    def __init__(self, actor: str, user_id: UUID):
        self.user_id = user_id
        self.revoked = False

    @staticmethod
    def id_for(token_hash: str) -> UUID:
        return index_id("token", token_hash)

    @classmethod
    def issue(cls, *, actor: str, token_hash: str, user_id: UUID) -> UserToken:
        return cls._create(cls.Issued, id=cls.id_for(token_hash), actor=actor, user_id=user_id)

    def revoke(self, *, actor: str) -> None:
        if not self.revoked:
            self.trigger_event(self.Revoked, actor=actor)
