"""What one imported row does to the store, per kind: created, updated or unchanged.

Each planner takes the row's parsed values (by English column name) and acts on the
batch's aggregates through their public methods, so the domain's rules validate every
row as they would a command. A changed cell becomes the one event that changes it;
an identical row adds no event. Business dates come from the sheet.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

from api.sheets.batch import Batch, RowError
from cs_domain.contract import CLOSED, Contract, ContractNumber, ContractStatus
from cs_domain.customer import Customer
from cs_domain.imports import CustomerKey
from cs_domain.lifecycle import Fact
from cs_domain.usage import UsageFigures, UsageReport

Values = dict[str, Any]
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
PROFILE = ("name", "tier", "industry", "region", "size_grade")
TERMS = ("amount", "currency", "start_date", "end_date")
# How far along its flow each status is; renewed, churned and terminated are final.
PROGRESS = {"draft": 0, "signed": 1, "active": 2, "renewed": 3, "churned": 3, "terminated": 3}


def customer_row(b: Batch, v: Values) -> str:
    owner_id = b.users.owner(v["owner"])
    known = b.known_customer(v["external_id"])
    if known is None:
        customer = Customer.register(
            actor=b.actor, name=v["name"], tier=v["tier"], owner_id=owner_id,
            industry=v.get("industry"), region=v.get("region"), size_grade=v.get("size_grade"))
        b.add(customer, CustomerKey.claim(actor=b.actor, external_id=v["external_id"],
                                          customer_id=customer.id))
        return CREATED
    customer = b.customer(known)
    changes = {f: v[f] for f in PROFILE if v.get(f) is not None and v[f] != getattr(customer, f)}
    if changes:
        customer.update_profile(actor=b.actor, **changes)
    if owner_id != customer.owner_id:
        customer.assign_owner(actor=b.actor, owner_id=owner_id)
    b.add(customer)
    return UPDATED if customer.pending_events else UNCHANGED


def contract_row(b: Batch, v: Values) -> str:
    customer_id = b.customer_id(v["customer"])
    index = b.find(ContractNumber, ContractNumber.id_for(v["number"]))
    if index is None:
        contract = _new_contract(b, v, customer_id)
        created = True
    else:
        recorded = b.find(Contract, index.contract_id)
        if recorded is None:
            raise RowError("number", "names a contract that cannot be loaded")
        contract = recorded
        _same_terms(contract, v, customer_id)
        created = False
    before = len(contract.pending_events)
    _advance(b, contract, v)
    b.add(contract)
    if created:
        return CREATED
    return UPDATED if len(contract.pending_events) > before else UNCHANGED


def _new_contract(b: Batch, v: Values, customer_id: Any) -> Contract:
    renews = v.get("renews")
    if not renews:
        contract = Contract.draft(
            actor=b.actor, customer_id=customer_id, number=v["number"], amount=v["amount"],
            currency=v["currency"], start_date=v["start_date"], end_date=v["end_date"],
            contract_id=uuid4())
    else:
        contract = _renewal(b, v, customer_id, renews)
    b.add(contract, ContractNumber.claim(actor=b.actor, number=v["number"],
                                         contract_id=contract.id))
    return contract


def _renewal(b: Batch, v: Values, customer_id: Any, renews: str) -> Contract:
    index = b.find(ContractNumber, ContractNumber.id_for(renews))
    predecessor = None if index is None else b.find(Contract, index.contract_id)
    if predecessor is None:
        raise RowError("renews", f"contract {renews!r} is neither in the store nor in the file")
    if predecessor.customer_id != customer_id:
        raise RowError("renews", f"contract {renews!r} belongs to another customer")
    if predecessor.status != ContractStatus.ACTIVE:
        raise RowError("renews", f"contract {renews!r} is {predecessor.status}; "
                                 "only an active contract is renewed")
    follows = predecessor.end_date + timedelta(days=1)
    if v["start_date"] != follows:
        raise RowError("start_date", f"must be {follows} (the day after {renews!r} ends)")
    successor = predecessor.renew(
        actor=b.actor, renewed_on=v.get("signed_on") or v["start_date"], amount=v["amount"],
        new_end_date=v["end_date"], successor_number=v["number"])
    b.customer(customer_id).follow(Fact.RENEWED, predecessor.renewed_on or v["start_date"],
                                   predecessor.number)
    b.add(predecessor, b.customer(customer_id))
    return successor


def _same_terms(contract: Contract, v: Values, customer_id: Any) -> None:
    if contract.customer_id != customer_id:
        raise RowError("customer", "differs from the recorded contract's customer")
    for field in TERMS:
        if getattr(contract, field) != v[field]:
            raise RowError(field, f"differs from the recorded contract "
                                  f"({getattr(contract, field)}); an import does not amend terms")


def _advance(b: Batch, contract: Contract, v: Values) -> None:
    """Moves the contract along its flow to the sheet's status (never back)."""
    target = v["status"]
    current = contract.status
    if current == target or (current == "renewed" and target == "active"):
        return
    if current in CLOSED or PROGRESS[target] < PROGRESS[current]:
        raise RowError("status", f"is {current} in the store; an import does not move a "
                                 "contract back")
    start: date = v["start_date"]
    if current == ContractStatus.DRAFT:
        contract.sign(actor=b.actor, signed_on=v.get("signed_on") or start)
    if target == ContractStatus.SIGNED:
        return
    if contract.status == ContractStatus.SIGNED:
        activated_on = v.get("activated_on") or start
        contract.activate(actor=b.actor, activated_on=activated_on)
        b.customer(contract.customer_id).follow(Fact.CONTRACT_ACTIVATED, activated_on,
                                                contract.number)
    _close(b, contract, v, target)


def _close(b: Batch, contract: Contract, v: Values, target: str) -> None:
    if target == ContractStatus.CHURNED:
        if v.get("churned_on") is None or v.get("churn_reason") is None:
            missing = "churned_on" if v.get("churned_on") is None else "churn_reason"
            raise RowError(missing, "is required for a churned contract")
        contract.churn(actor=b.actor, churned_on=v["churned_on"],
                       reason_category=v["churn_reason"])
        b.customer(contract.customer_id).follow(Fact.CHURNED, v["churned_on"], contract.number)
    elif target == ContractStatus.TERMINATED:
        contract.terminate(actor=b.actor, terminated_on=v.get("churned_on") or v["end_date"],
                           reason=v.get("churn_reason") or "terminated (imported)")
    b.add(b.customer(contract.customer_id))


def usage_row(b: Batch, v: Values) -> str:
    customer_id = b.customer_id(v["customer"])
    figures = UsageFigures(
        period_end=v["period_end"], active_days_per_week=v["active_days_per_week"],
        feature_adoption=v["feature_adoption"], open_issues=v["open_issues"],
        core_features_used=v.get("core_features_used"),
        core_features_total=v.get("core_features_total"), nps=v.get("nps"))
    report = b.find(UsageReport, UsageReport.id_for(customer_id, v["period_start"]))
    if report is None:
        b.add(UsageReport.report(actor=b.actor, customer_id=customer_id,
                                 period_start=v["period_start"], figures=figures))
        return CREATED
    changed = report.correct(actor=b.actor, figures=figures)
    b.add(report)
    return UPDATED if changed else UNCHANGED


def _as_uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


def prefetch(b: Batch, kind: str, rows: list[Values]) -> None:
    """Loads what the rows will look up, a few hundred aggregates per query: the keys
    first, then the customers, contracts and usage periods they point to."""
    externals = {v["customer" if kind != "customers" else "external_id"] for v in rows}
    numbers = {v[c] for v in rows for c in ("number", "renews") if v.get(c)}
    b.prefetch([CustomerKey.id_for(e) for e in externals]
               + [ContractNumber.id_for(n) for n in numbers])
    customers = {c for c in map(_as_uuid, externals) if c is not None}
    customers |= {k.customer_id for e in externals
                  if (k := b.find(CustomerKey, CustomerKey.id_for(e))) is not None}
    contracts = {i.contract_id for n in numbers
                 if (i := b.find(ContractNumber, ContractNumber.id_for(n))) is not None}
    b.prefetch([*customers, *contracts])
    if kind == "usage":
        b.prefetch([UsageReport.id_for(c, v["period_start"]) for v in rows
                    if (c := b.known_customer(v["customer"])) is not None])


def _key_text(v: Values, column: str) -> str:
    return str(v[column]).strip().casefold()


def _planners() -> dict[str, Callable[[Batch, Values], str]]:
    from api.sheets import work_rows as w

    return {"customers": customer_row, "contracts": contract_row, "usage": usage_row,
            "contacts": w.contact_row, "risks": w.risk_row, "tasks": w.task_row}


PLANNERS = _planners()
KEYS: dict[str, Callable[[Values], object]] = {
    "customers": lambda v: _key_text(v, "external_id"),
    "contracts": lambda v: _key_text(v, "number"),
    "usage": lambda v: (_key_text(v, "customer"), v["period_start"]),
    "contacts": lambda v: (_key_text(v, "customer"), _key_text(v, "name")),
    "risks": lambda v: _key_text(v, "key"),
    "tasks": lambda v: _key_text(v, "key"),
}
# Domain field names that are not the column's name.
FIELD_COLUMNS = {"owner_id": "owner", "customer_id": "customer", "new_end_date": "end_date",
                 "reason_category": "churn_reason", "reason": "churn_reason"}
