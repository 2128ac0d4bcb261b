"""Every role may read every view (docs/security.md: `read`); no token is 401."""

from __future__ import annotations

import pytest

from tests.api.reads.book import build_book
from tests.api.reads.conftest import ReadApi

ROLES = ("admin", "manager", "csm", "support", "analyst", "auditor")


def read_paths(customer_id: str) -> list[tuple[str, dict[str, str]]]:
    year = {"from": "2025-01-01", "to": "2025-12-31"}
    return [("/customers", {}), (f"/customers/{customer_id}", {}), ("/renewals", year),
            ("/metrics/renewals", year)]


def test_every_role_reads_every_view(live: ReadApi):
    book = build_book(live)
    users = {role: live.user(role) for role in ROLES}
    acme = book.customers["Acme Dental"]
    head = live.head()
    for path, params in read_paths(acme):
        expected = None
        for role, user in users.items():
            body = live.read(path, user.headers, min_position=head, **params)
            body.pop("position")
            expected = expected or body
            assert body == expected, (role, path)  # the same answer for everyone


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}])
def test_reads_need_a_token(live: ReadApi, headers: dict[str, str]):
    for path, params in read_paths("5a7b9c1d-2e3f-4a5b-8c6d-7e8f9a0b1c2d"):
        r = live.client.get("/api/v1" + path, headers=headers, params=params)
        assert r.status_code == 401 and r.headers["content-type"] == "application/problem+json"
