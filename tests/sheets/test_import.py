"""Imports on both stores: every row validated first, all or nothing, idempotent by key."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest
from openpyxl import Workbook

from api.sheets.importer import ImportRefused, run_import
from cs_domain.app import CustomerSuccess
from cs_domain.contract import Contract, ContractNumber
from cs_domain.customer import Customer
from cs_domain.imports import CustomerKey, SheetImport
from cs_store.factory import chain_recorder

CUSTOMERS_EN = (
    "external_id,name,tier,owner,industry,region,notes\n"
    "K-1,Acme Dental,growth,Chen Jing,Health,North,hello\n"
    "K-2,Beta Labs,strategic,Chen Jing,,,\n"
)
CUSTOMERS_ZH = (
    "负责人,客户名称,客户编号,客户等级\n"
    "Chen Jing,Acme Dental,K-1,成长\n"
    "Chen Jing,Beta Labs,K-2,战略\n"
)
CONTRACTS = (
    "number,customer,amount,currency,start_date,end_date,status,renews,churned_on,churn_reason\n"
    "N-2,K-1,13000.50,CNY,2026/1/1,2026-12-31,active,N-1,,\n"
    "N-1,K-1,12000.00,CNY,2025-01-01,2025-12-31,renewed,,,\n"
    "N-3,K-2,900,CNY,2025-03-01,2026-02-28,churned,,2025-09-01,竞品\n"
)


def imported(app: CustomerSuccess, kind: str, text: str, name: str = "x.csv", **kw: object):
    return run_import(app, actor="importer", kind=kind, data=text.encode(), file_name=name, **kw)


def customer_of(app: CustomerSuccess, external_id: str) -> Customer:
    key = app.load(CustomerKey, CustomerKey.id_for(external_id))
    return app.load(Customer, key.customer_id)


def test_customers_import_then_reimport_writes_nothing(app: CustomerSuccess, csm: UUID) -> None:
    outcome = imported(app, "customers", CUSTOMERS_EN)
    assert (outcome.rows, outcome.created, outcome.updated) == (2, 2, 0)
    assert outcome.ignored_columns == ["notes"]
    acme = customer_of(app, "K-1")
    assert (acme.name, acme.tier, acme.owner_id, acme.industry) == ("Acme Dental", "growth", csm,
                                                                   "Health")
    head = app.max_position()
    again = imported(app, "customers", CUSTOMERS_ZH)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert app.max_position() == head


def test_a_changed_cell_is_one_event(app: CustomerSuccess, csm: UUID) -> None:
    imported(app, "customers", CUSTOMERS_EN)
    head = app.max_position()
    outcome = imported(app, "customers", CUSTOMERS_EN.replace("Beta Labs", "Beta Labs Ltd"))
    assert (outcome.updated, outcome.unchanged) == (1, 1)
    # the import record, then the one profile change
    assert app.max_position() == head + 2
    assert customer_of(app, "K-2").name == "Beta Labs Ltd"


def test_every_bad_row_is_named_and_nothing_written(app: CustomerSuccess, csm: UUID) -> None:
    head = app.max_position()
    bad = ("external_id,name,tier,owner\n"
           "K-1,Acme,growth,Chen Jing\n"
           "K-2,,growth,Chen Jing\n"
           "K-3,Gamma,gold,Nobody\n"
           "K-1,Again,basic,Chen Jing\n")
    with pytest.raises(ImportRefused) as refused:
        imported(app, "customers", bad)
    errors = {(e["row"], e["column"]) for e in refused.value.errors}
    assert errors == {(3, "name"), (4, "tier"), (5, "external_id")}
    with pytest.raises(ImportRefused) as refused:
        imported(app, "customers", bad.replace("gold", "basic"))
    assert (4, "owner") in {(e["row"], e["column"]) for e in refused.value.errors}
    assert app.max_position() == head


def test_contracts_with_renewal_chain_and_churn(app: CustomerSuccess, csm: UUID) -> None:
    imported(app, "customers", CUSTOMERS_EN)
    outcome = imported(app, "contracts", CONTRACTS)
    assert (outcome.created, outcome.updated) == (3, 0)
    n1 = app.load(Contract, app.load(ContractNumber, ContractNumber.id_for("N-1")).contract_id)
    n2 = app.load(Contract, n1.successor_id)
    assert (n1.status, n2.status, n2.number, n2.amount) == ("renewed", "active", "N-2",
                                                            Decimal("13000.50"))
    n3 = app.load(Contract, app.load(ContractNumber, ContractNumber.id_for("N-3")).contract_id)
    assert (n3.status, n3.churn_reason, n3.churned_on) == ("churned", "competitor",
                                                          date(2025, 9, 1))
    assert customer_of(app, "K-2").stage == "churned"
    head = app.max_position()
    again = imported(app, "contracts", CONTRACTS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert app.max_position() == head


def test_the_import_record_names_its_events(app: CustomerSuccess, csm: UUID) -> None:
    outcome = imported(app, "customers", CUSTOMERS_EN)
    record = app.load(SheetImport, outcome.import_id)
    first = outcome.position - record.events
    rows = chain_recorder(app).select_timed(first - 1, record.events + 5)
    ids = [UUID(str(r.originator_id)) for r in rows]
    assert ids[0] == record.id
    assert len(rows) == record.events + 1
    assert {customer_of(app, "K-1").id, customer_of(app, "K-2").id} <= set(ids[1:])


def test_contract_of_unknown_customer_and_dry_run(app: CustomerSuccess, csm: UUID) -> None:
    imported(app, "customers", CUSTOMERS_EN)
    head = app.max_position()
    with pytest.raises(ImportRefused) as refused:
        imported(app, "contracts", CONTRACTS.replace("N-3,K-2", "N-3,K-9"))
    assert [(e["row"], e["column"]) for e in refused.value.errors] == [(4, "customer")]
    dry = imported(app, "contracts", CONTRACTS, dry_run=True)
    assert dry.created == 3 and app.max_position() == head


def test_xlsx_gb18030_and_excel_dates(app: CustomerSuccess, csm: UUID) -> None:
    run_import(app, actor="i", kind="customers", data=CUSTOMERS_ZH.encode("gb18030"),
               file_name="c.csv")
    assert customer_of(app, "K-2").tier == "strategic"
    book = Workbook()
    sheet = book.active
    sheet.append(["客户编号", "开始日期", "结束日期", "周活跃天数", "功能使用率", "问题数"])
    sheet.append(["K-1", date(2026, 7, 1), date(2026, 7, 7), 3, 0.45, 2])
    data = io.BytesIO()
    book.save(data)
    outcome = run_import(app, actor="i", kind="usage", data=data.getvalue(), file_name="u.xlsx")
    assert outcome.created == 1


@pytest.mark.parametrize("data,name", [(b"", "a.csv"), (b"%PDF-1.4 ...", "a.pdf"),
                                       (b"PK\x03\x04garbage", "a.xlsx")])
def test_files_that_are_not_sheets(app: CustomerSuccess, data: bytes, name: str) -> None:
    with pytest.raises(ImportRefused):
        run_import(app, actor="i", kind="customers", data=data, file_name=name)


CONTACTS = ("客户编号,联系人,职务,级别,态度,邮箱\n"
            "K-1,Wang Fang,CIO,一级,拥护者,wf@example.com\n"
            "K-2,Zhao Lei,IT lead,2,,\n")
RISKS = ("key,customer,title,category,severity,raised_on,due_date,status,closed_on,resolution\n"
         "R-1,K-1,Director unhappy,关系,高,2025-11-01,2025-12-01,closed,2025-11-20,Met him\n"
         "R-2,K-2,Low usage,adoption,medium,2025/11/3,2025/12/3,,,\n")
TASKS = ("任务编号,客户编号,任务标题,负责人,截止日期,状态,完成日期\n"
         "T-1,K-1,Monthly usage analysis,Chen Jing,2025-12-05,已完成,2025-12-04\n"
         "T-2,K-2,QBR deck,Chen Jing,2025-12-10,待办,\n")


@pytest.mark.parametrize("kind,text", [("contacts", CONTACTS), ("risks", RISKS),
                                       ("tasks", TASKS)])
def test_work_items_import_once(app: CustomerSuccess, csm: UUID, kind: str, text: str) -> None:
    imported(app, "customers", CUSTOMERS_EN)
    outcome = imported(app, kind, text)
    assert (outcome.created, outcome.updated) == (2, 0)
    head = app.max_position()
    again = imported(app, kind, text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert app.max_position() == head


def test_a_risk_closed_later_is_one_update(app: CustomerSuccess, csm: UUID) -> None:
    imported(app, "customers", CUSTOMERS_EN)
    imported(app, "risks", RISKS)
    closed = RISKS.replace("2025/12/3,,,", "2025/12/3,已关闭,2025-12-01,Training held")
    outcome = imported(app, "risks", closed)
    assert (outcome.updated, outcome.unchanged) == (1, 1)
    with pytest.raises(ImportRefused) as refused:
        imported(app, "risks", RISKS.replace("Low usage", "Renamed"))
    assert [(e["row"], e["column"]) for e in refused.value.errors] == [(3, "title")]
