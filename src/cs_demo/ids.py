"""Deterministic ids and demo tokens derived from the seed.

Every id the generator chooses is a uuid5 in a namespace derived from the seed,
so two runs with the same seed write the same ids. (Three kinds of id are chosen
inside the domain with uuid4 and differ between runs: the successor contract
that ``Contract.renew`` creates, the milestones ``SuccessPlan.draft`` copies from
a template and the tasks ``Risk.set_strategy`` makes of its todos. Everything
else about those items is the same.)

Demo tokens are derived from the seed too, so `cs-ledger demo --tokens` can show
them again later although the store keeps only their hashes. They are for demos
only: anyone who knows the seed can derive them.
"""

from __future__ import annotations

import hashlib
from uuid import UUID, uuid5

from cs_domain.base import LEDGER_NS


class DemoIds:
    def __init__(self, seed: int):
        self.seed = seed
        self.namespace = uuid5(LEDGER_NS, f"demo:{seed}")

    def of(self, kind: str, *parts: object) -> UUID:
        return uuid5(self.namespace, ":".join((kind, *map(str, parts))))


def seed_tag(seed: int) -> str:
    """A short tag of the seed, part of every demo token."""
    return hashlib.sha256(f"cs-ledger-demo:{seed}".encode()).hexdigest()[:8]


def demo_token(role: str, n: int, seed: int) -> str:
    """The demo token of the n-th (1-based) demo user with this role."""
    return f"csl_demo_{role}_{n}_{seed_tag(seed)}"
