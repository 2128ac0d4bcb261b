"""Sample sheets shared by the sheet tests."""

from __future__ import annotations

from typing import Any

from tests.api.reads.conftest import ReadApi

CUSTOMERS = (
    "external_id,name,tier,owner,industry,region,notes\n"
    "K-1,Acme Dental,growth,Chen Jing,Health,North,hello\n"
    "K-2,Beta Labs,strategic,Chen Jing,,,\n"
    "K-3,Gamma Foods,basic,Chen Jing,Food,South,\n"
)
CONTRACTS = (
    "number,customer,amount,currency,start_date,end_date,status,renews,churned_on,churn_reason\n"
    "N-2,K-1,13000.50,CNY,2026/1/1,2026-12-31,active,N-1,,\n"
    "N-1,K-1,12000.00,CNY,2025-01-01,2025-12-31,renewed,,,\n"
    "N-3,K-2,900,CNY,2025-03-01,2026-02-28,churned,,2025-09-01,竞品\n"
    "N-4,K-3,5000.12,USD,2025-06-01,2026-05-31,signed,,,\n"
)


def upload(api: ReadApi, kind: str, text: str | bytes, name: str = "sheet.csv",
           headers: dict[str, str] | None = None, **params: Any) -> Any:
    data = text.encode() if isinstance(text, str) else text
    return api.client.post(f"/api/v1/imports/{kind}", params=params, headers=headers or
                           {"Authorization": "Bearer test-bootstrap-admin-token"},
                           files={"file": (name, data)})
