"""The demo team: who works the customers, and their deterministic demo tokens.

Sizes follow seed 003 (a CSM looks after 200-300 customers): one CSM per 250
customers (rounded up), a manager per ten CSMs, a support/implementation person
per three CSMs, one admin, one analyst, one auditor, and the product-analytics
integration that pushes weekly usage (a manager account: usage of any customer).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from uuid import UUID

from cs_demo.catalogue import CHINESE_GIVEN, CHINESE_SURNAMES, WESTERN_FIRST, WESTERN_LAST
from cs_demo.ids import DemoIds, demo_token
from cs_domain.app import CustomerSuccess
from cs_domain.user import Role

CUSTOMERS_PER_CSM = 250
LOADER_ACTOR = "demo-loader"
INTEGRATION_NAME = "Product analytics (integration)"

# The order roles are created in and listed in; token probing walks it too.
ROLES: tuple[str, ...] = (Role.ADMIN.value, Role.MANAGER.value, Role.CSM.value,
                          Role.SUPPORT.value, Role.ANALYST.value, Role.AUDITOR.value)


@dataclass(frozen=True)
class DemoUser:
    id: UUID
    name: str
    role: str
    n: int  # 1-based number within the role
    token: str


@dataclass(frozen=True)
class Team:
    users: tuple[DemoUser, ...]

    def with_role(self, role: str) -> list[DemoUser]:
        return [u for u in self.users if u.role == role]

    @property
    def admin(self) -> DemoUser:
        return self.with_role(Role.ADMIN.value)[0]

    @property
    def integration(self) -> DemoUser:
        return next(u for u in self.users if u.name == INTEGRATION_NAME)

    @property
    def managers(self) -> list[DemoUser]:
        return [u for u in self.with_role(Role.MANAGER.value) if u.name != INTEGRATION_NAME]

    @property
    def csms(self) -> list[DemoUser]:
        return self.with_role(Role.CSM.value)

    @property
    def support(self) -> list[DemoUser]:
        return self.with_role(Role.SUPPORT.value)


def team_sizes(customers: int) -> dict[str, int]:
    csms = max(1, math.ceil(customers / CUSTOMERS_PER_CSM))
    return {
        Role.ADMIN.value: 1,
        Role.MANAGER.value: 1 + csms // 10 + 1,  # the last manager account is the integration
        Role.CSM.value: csms,
        Role.SUPPORT.value: max(2, math.ceil(csms / 3)),
        Role.ANALYST.value: 1,
        Role.AUDITOR.value: 1,
    }


def person_name(k: int, chinese: bool) -> str:
    """The k-th name of a fixed, repeatable sequence (distinct for the first 400)."""
    if chinese:
        return f"{CHINESE_SURNAMES[k % 20]} {CHINESE_GIVEN[(k // 20 + k) % 20]}"
    return f"{WESTERN_FIRST[k % 20]} {WESTERN_LAST[(k // 20 + k) % 20]}"


def plan_team(customers: int, seed: int) -> Team:
    ids = DemoIds(seed)
    users: list[DemoUser] = []
    k = 0
    for role, count in team_sizes(customers).items():
        for n in range(1, count + 1):
            is_integration = role == Role.MANAGER.value and n == count
            name = INTEGRATION_NAME if is_integration else person_name(k * 7 + seed, k % 2 == 0)
            users.append(DemoUser(ids.of("user", role, n), name, role, n,
                                  demo_token(role, n, seed)))
            k += 1
    return Team(tuple(users))


def create_team(app: CustomerSuccess, team: Team) -> None:
    """Creates the users (one small transaction each: there are few of them)."""
    admin = team.admin
    for user in team.users:
        actor = LOADER_ACTOR if user is admin else str(admin.id)
        app.create_user(actor=actor, name=user.name, role=user.role, token=user.token,
                        user_id=user.id)


def find_demo_users(app: CustomerSuccess, seed: int) -> list[DemoUser]:
    """The demo users of this seed present in the store, found by their tokens."""
    found: list[DemoUser] = []
    for role in ROLES:
        n = 1
        while True:
            token = demo_token(role, n, seed)
            user = app.user_for_token(token)
            if user is None or user.role != role:
                break
            found.append(DemoUser(user.id, user.name, user.role, n, token))
            n += 1
    return found
