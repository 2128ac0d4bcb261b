"""Properties: incremental views equal a rebuild; as-of P equals a rebuild cut at P.

Random command sequences (users, customers and contracts through their whole flow,
renewals and churns included) run through the application; the live views are
projected incrementally in random batch sizes, interleaved with the writes. Then:
- every row version of the live views equals a from-scratch rebuild's;
- for a random position P, the live views read as of P equal a rebuild of the events
  up to P, both as raw rows and through the query functions the API calls.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cs_domain.app import CustomerSuccess
from cs_domain.errors import DomainError
from projections.compose import customer_360, customer_list
from projections.db import ReadModels
from projections.rebuild import dump
from projections.runner import Projector
from projections.views.contracts import renewal_metrics, renewals
from tests.conftest import STORES
from tests.profiles import examples
from tests.projections.harness import check_incremental_and_as_of

BASE = date(2025, 1, 1)
TIERS = ["strategic", "growth", "basic"]
STAGES = ["onboarding", "growth", "mature", "renewal", "churned", "reactivated"]
REASONS = ["competitor", "value_not_realised", "business_closed", "price", "service", "other"]
i = st.integers(min_value=0, max_value=50)
COMMANDS = st.one_of(
    st.tuples(st.just("customer"), i, i), st.tuples(st.just("customer"), i, i),
    st.tuples(st.just("contract"), i, st.integers(1, 99), st.sampled_from(["EUR", "USD"]),
              st.integers(30, 720)),
    st.tuples(st.just("contract"), i, st.integers(1, 99), st.sampled_from(["EUR", "USD"]),
              st.integers(30, 720)),
    st.tuples(st.just("sign"), i), st.tuples(st.just("activate"), i),
    st.tuples(st.just("activate"), i), st.tuples(st.just("intent"), i, i),
    st.tuples(st.just("renew"), i, st.integers(1, 99), st.integers(1, 400)),
    st.tuples(st.just("renew"), i, st.integers(1, 99), st.integers(1, 400)),
    st.tuples(st.just("churn"), i, i), st.tuples(st.just("terminate"), i),
    st.tuples(st.just("rename"), i, i), st.tuples(st.just("owner"), i, i),
    st.tuples(st.just("contact"), i), st.tuples(st.just("uncontact"), i),
    st.tuples(st.just("stage"), i, i), st.tuples(st.just("user"), i),
    st.tuples(st.just("project"), st.integers(1, 9)),
    st.tuples(st.just("restart"), st.integers(1, 9)),
    *[st.tuples(st.just("flow"), i, st.integers(1, 99), st.sampled_from(["EUR", "USD"]),
                st.integers(30, 720), st.integers(lo, 4)) for lo in (0, 2, 3, 3, 3, 3)],
    *[st.tuples(st.just("customer"), i, i)] * 3,
    *[st.tuples(st.just("contact"), i)] * 3,
    st.tuples(st.just("rename"), i, i),
)
FLOW = ["draft", "sign", "activate", "renew", "churn"]


class World:
    """Runs drawn commands against an application, skipping those the domain refuses."""

    def __init__(self, app: CustomerSuccess, live: Projector):
        self.app, self.live = app, live
        self.users = [app.create_user(actor="t", name="Ann", role="csm")[0].id]
        self.customers: list[uuid.UUID] = []
        self.contracts: list[uuid.UUID] = []
        self.contacts: dict[uuid.UUID, list[uuid.UUID]] = {}
        self.numbers = 0

    def pick(self, items: list[Any], n: int) -> Any:
        return items[n % len(items)] if items else None

    def run(self, command: tuple[Any, ...]) -> None:
        with contextlib.suppress(DomainError):  # a refused command writes nothing
            self._run(command)

    def _run(self, c: tuple[Any, ...]) -> None:
        a, kind = self.app, c[0]
        if kind == "project":
            self.live.batch_size = c[1]
            self.live.catch_up()
        elif kind == "restart":
            # A new process: no caches, current rows are read back from the database.
            self.live = Projector(self.app, self.live.models, batch_size=c[1], max_cache=c[1])
        elif kind == "user":
            self.users.append(a.create_user(actor="t", name=f"U{c[1]}", role="csm")[0].id)
        elif kind == "customer":
            self.customers.append(a.register_customer(
                actor="t", name=f"Cust {c[1]}", tier=TIERS[c[2] % 3],
                owner_id=self.pick(self.users, c[2])).id)
        elif kind == "flow" and self.customers:
            # A contract taken through its flow in one go, so renewals and churns are common.
            self._run(("contract", *c[1:5]))
            last = len(self.contracts) - 1
            steps = {"sign": ("sign", last), "activate": ("activate", last),
                     "renew": ("renew", last, c[2] + 7, c[4]), "churn": ("churn", last, c[4])}
            for step in FLOW[1:min(c[5], 2) + 1] + ([FLOW[c[5]]] if c[5] >= 3 else []):
                self.run(steps[step])
        elif kind == "contract" and self.customers:
            self.numbers += 1
            start = BASE + timedelta(days=c[4] % 200)
            self.contracts.append(a.draft_contract(
                actor="t", customer_id=self.pick(self.customers, c[1]), number=f"N{self.numbers}",
                amount=Decimal(c[2]) * 100, currency=c[3], start_date=start,
                end_date=start + timedelta(days=c[4])).id)
        elif kind == "sign" and self.contracts:
            a.sign_contract(actor="t", contract_id=self.pick(self.contracts, c[1]), signed_on=BASE)
        elif kind == "activate" and self.contracts:
            a.activate_contract(actor="t", contract_id=self.pick(self.contracts, c[1]),
                                activated_on=BASE + timedelta(days=5))
        elif kind == "intent" and self.contracts:
            a.set_renewal_intent(actor="t", contract_id=self.pick(self.contracts, c[1]),
                                 intent=["high", "medium", "low"][c[2] % 3])
        elif kind == "renew" and self.contracts:
            old = self.pick(self.contracts, c[1])
            result = a.renew_contract(actor="t", contract_id=old, renewed_on=BASE,
                                      amount=Decimal(c[2]) * 100,
                                      new_end_date=date(2030, 1, 1) + timedelta(days=c[3]))
            self.contracts.append(result.extra["successor_id"])
        elif kind == "churn" and self.contracts:
            a.churn_contract(actor="t", contract_id=self.pick(self.contracts, c[1]),
                             churned_on=BASE, reason_category=REASONS[c[2] % len(REASONS)])
        elif kind == "terminate" and self.contracts:
            a.terminate_contract(actor="t", contract_id=self.pick(self.contracts, c[1]),
                                 terminated_on=BASE, reason="void")
        elif kind == "rename" and self.customers:
            a.update_customer(actor="t", customer_id=self.pick(self.customers, c[1]),
                              name=f"Renamed {c[2]}")
        elif kind == "owner" and self.customers:
            a.assign_owner(actor="t", customer_id=self.pick(self.customers, c[1]),
                           owner_id=self.pick(self.users, c[2]))
        elif kind == "contact" and self.customers:
            cust = self.pick(self.customers, c[1])
            contact = a.add_contact(actor="t", customer_id=cust, name="P", role="it", level="1")
            self.contacts.setdefault(cust, []).append(contact.extra["contact_id"])
        elif kind == "uncontact" and self.contacts:
            cust = self.pick(sorted(self.contacts), c[1])
            if self.contacts[cust]:
                a.remove_contact(actor="t", customer_id=cust,
                                 contact_id=self.contacts[cust].pop(0))
        elif kind == "stage" and self.customers:
            a.move_customer_stage(actor="t", customer_id=self.pick(self.customers, c[1]),
                                  stage=STAGES[c[2] % len(STAGES)], effective_on=BASE)


def reads(models: ReadModels, customers: list[uuid.UUID], at: int | None) -> dict[str, Any]:
    """What the API would show, minus the position (compared separately)."""
    def strip(result: dict[str, Any] | None) -> Any:
        return None if result is None else {k: v for k, v in result.items() if k != "position"}

    today = date(2025, 6, 1)
    with models.read() as conn:
        return {
            "360": [strip(customer_360(conn, cid, today, at)) for cid in customers],
            "list": strip(customer_list(conn, today=today, limit=500, at=at)),
            "expiring": strip(customer_list(conn, today=today, expiring_within_days=400, at=at)),
            "renewals": strip(renewals(conn, BASE, date(2031, 12, 31), at=at)),
            "metrics": strip(renewal_metrics(conn, BASE, date(2031, 12, 31), at=at)),
        }


@pytest.mark.parametrize("kind", STORES)
@settings(max_examples=examples(20), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(commands=st.lists(COMMANDS, min_size=8, max_size=40), final_batch=st.integers(1, 50),
       max_cache=st.sampled_from([0, 2, 100_000]), cut=st.floats(0, 1))
def test_incremental_equals_rebuild_and_as_of_equals_a_cut_rebuild(
    kind: str, commands: list[tuple[Any, ...]], final_batch: int, max_cache: int, cut: float
) -> None:
    def label(live_models: ReadModels) -> None:
        rows = dump(live_models)
        statuses = {k["status"] for k in rows["contracts"]["contracts"].values()}
        event(f"renewed contracts: {'renewed' in statuses}")
        event(f"churned contracts: {'churned' in statuses}")

    def compare(world: World, live_models: ReadModels, upto: ReadModels, position: int) -> None:
        as_of, cut_rebuild = reads(live_models, world.customers, position), reads(
            upto, world.customers, None)
        assert as_of == cut_rebuild
        with live_models.read() as conn:
            assert customer_list(conn, today=BASE, at=position)["position"] == position

    check_incremental_and_as_of(kind, commands, final_batch=final_batch, max_cache=max_cache,
                                cut=cut, world=World, label=label, compare=compare)
