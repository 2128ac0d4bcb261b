"""A small book of customers built through the HTTP API, shared by the read tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.api.conftest import User
from tests.api.reads.conftest import ReadApi


@dataclass
class Book:
    chen: User
    li: User
    customers: dict[str, str] = field(default_factory=dict)  # name → id
    contracts: dict[str, str] = field(default_factory=dict)  # label → id


def build_book(api: ReadApi) -> Book:
    """Two CSMs; Acme (strategic, Chen) renews, Beta (growth, Chen) churns, Gamma (basic,
    Li) has a live contract ending 2025-12-31 with low intent, Delta (growth, Li) only a
    draft. Renewal amounts in EUR except Gamma's (USD)."""
    book = Book(api.user("csm", "Chen Jing"), api.user("csm", "Li Wei"))
    for name, tier, owner in (("Acme Dental", "strategic", book.chen),
                              ("Beta Clinics", "growth", book.chen),
                              ("Gamma Labs", "basic", book.li),
                              ("Delta Care", "growth", book.li)):
        book.customers[name] = api.customer(owner, name=name, tier=tier, region="East")
    acme, beta, gamma, delta = (book.customers[n] for n in
                                ("Acme Dental", "Beta Clinics", "Gamma Labs", "Delta Care"))
    book.contracts["acme"] = api.contract(acme, "active", number="ACME-1", amount="12000.00",
                                          end_date="2025-06-30")
    api.ok("POST", f"/contracts/{book.contracts['acme']}/renew",
           {"renewed_on": "2025-06-01", "amount": "15000.00", "new_end_date": "2026-06-30"})
    book.contracts["beta"] = api.contract(beta, "active", number="BETA-1", amount="8000.00",
                                          end_date="2025-06-15")
    api.ok("POST", f"/contracts/{book.contracts['beta']}/churn",
           {"churned_on": "2025-06-15", "reason_category": "competitor"})
    book.contracts["gamma"] = api.contract(gamma, "active", number="GAMMA-1", amount="5000.00",
                                           currency="USD", end_date="2025-12-31")
    api.ok("POST", f"/contracts/{book.contracts['gamma']}/renewal-intent", {"intent": "low"})
    book.contracts["delta"] = api.contract(delta, "draft", number="DELTA-1",
                                           end_date="2025-06-20")
    return book
