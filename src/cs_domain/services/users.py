"""User commands: create, re-role, rotate tokens, deactivate; token lookup for auth."""

from __future__ import annotations

from uuid import UUID

from cs_domain.application import CommandResult, LedgerApplication
from cs_domain.errors import InvalidInput, NotFound
from cs_domain.user import Role, User, UserToken, hash_token, new_token

OWNER_ROLES = {Role.ADMIN.value, Role.MANAGER.value, Role.CSM.value}


class UserCommands(LedgerApplication):
    def create_user(
        self, *, actor: str, name: str, role: str, token: str | None = None,
        user_id: UUID | None = None,
    ) -> tuple[CommandResult, str]:
        """Creates a user; returns the result and the plain token (shown once)."""
        token = token or new_token()
        token_hash = hash_token(token)
        user = User.create(actor=actor, name=name, role=role, token_hash=token_hash,
                           user_id=user_id)
        if self.exists(UserToken.id_for(token_hash)):
            raise InvalidInput.one("token", "is already in use")
        index = UserToken.issue(actor=actor, token_hash=token_hash, user_id=user.id)
        position = self.commit(user, index)
        return self.result(user, position), token

    def change_user_role(
        self, *, actor: str, user_id: UUID, role: str, expected_version: int | None = None
    ) -> CommandResult:
        user = self.load(User, user_id, expected_version)
        user.change_role(actor=actor, role=role)
        return self.result(user, self.commit(user))

    def rotate_user_token(self, *, actor: str, user_id: UUID) -> tuple[CommandResult, str]:
        user = self.load(User, user_id)
        old = self.load(UserToken, UserToken.id_for(user.token_hash))
        token = new_token()
        token_hash = hash_token(token)
        user.rotate_token(actor=actor, token_hash=token_hash)
        old.revoke(actor=actor)
        index = UserToken.issue(actor=actor, token_hash=token_hash, user_id=user.id)
        return self.result(user, self.commit(user, old, index)), token

    def deactivate_user(self, *, actor: str, user_id: UUID, reason: str | None = None
                        ) -> CommandResult:
        user = self.load(User, user_id)
        user.deactivate(actor=actor, reason=reason)
        return self.result(user, self.commit(user))

    def user_for_token(self, token: str) -> User | None:
        """The active user a bearer token belongs to, or None."""
        return self.user_for_token_hash(hash_token(token))

    def user_for_token_hash(self, token_hash: str) -> User | None:
        """The active user whose current token has this SHA-256, or None."""
        try:
            index = self.load(UserToken, UserToken.id_for(token_hash))
            user = self.load(User, index.user_id)
        except NotFound:
            return None
        if index.revoked or not user.active:
            return None
        return user

    def require_user(self, user_id: UUID, field: str, roles: set[str] | None = None) -> User:
        """A referenced user must exist, be active and (optionally) hold one of `roles`."""
        try:
            user = self.load(User, user_id)
        except NotFound:
            raise InvalidInput.one(field, f"user {user_id} does not exist") from None
        if not user.active:
            raise InvalidInput.one(field, f"user {user_id} is deactivated")
        if roles is not None and user.role not in roles:
            raise InvalidInput.one(field, f"user {user_id} has role {user.role}, "
                                          f"expected one of: {', '.join(sorted(roles))}")
        return user
