"""The columns of each import kind, in English and Chinese (docs/import.md has the table).

A header matches a column by its English name, its Chinese name or an alias (the
names the exports use, so an exported sheet imports back), ignoring case. Columns a
kind does not know are ignored and reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from api.sheets import cells
from api.sheets.cells import Parser

TIERS = {"strategic": "strategic", "growth": "growth", "basic": "basic",
         "战略": "strategic", "成长": "growth", "基础": "basic"}
STATUSES = {"draft": "draft", "signed": "signed", "active": "active", "churned": "churned",
            "terminated": "terminated", "renewed": "renewed",
            "草稿": "draft", "已签约": "signed", "执行中": "active", "已流失": "churned",
            "已终止": "terminated", "已续约": "renewed"}
CHURN_REASONS = {"competitor": "competitor", "value_not_realised": "value_not_realised",
                 "business_closed": "business_closed", "price": "price", "service": "service",
                 "other": "other", "竞品": "competitor", "价值未实现": "value_not_realised",
                 "业务关闭": "business_closed", "价格": "price", "服务": "service", "其他": "other"}
SIZE_GRADES = {"A": "A", "B": "B", "C": "C", "D": "D"}
KEY_LEN = 64


@dataclass(frozen=True)
class Column:
    name: str
    zh: str
    parse: Parser
    required: bool = False
    aliases: tuple[str, ...] = ()
    doc: str = ""


CUSTOMERS = (
    Column("external_id", "客户编号", cells.text(KEY_LEN), True, ("id",),
           "key: the customer's id in your books (≤ 64)"),
    Column("name", "客户名称", cells.text(200), True, doc="≤ 200"),
    Column("tier", "客户等级", cells.choice(TIERS), True, doc="strategic growth basic / 战略 成长 基础"),
    Column("owner", "负责人", cells.text(200), True, ("owner_name", "owner_id"),
           "the owning CSM's user name or id"),
    Column("industry", "行业", cells.text(100), doc="≤ 100"),
    Column("region", "区域", cells.text(100), doc="≤ 100"),
    Column("size_grade", "规模等级", cells.choice(SIZE_GRADES), doc="A B C D"),
)
CONTRACTS = (
    Column("number", "合同编号", cells.text(KEY_LEN), True, doc="key (≤ 64)"),
    Column("customer", "客户编号", cells.text(KEY_LEN), True, ("customer_id",),
           "the customer's external id"),
    Column("amount", "合同金额", cells.decimal, True, doc="> 0, ≤ 15 integer digits, ≤ 4 places"),
    Column("currency", "币种", cells.text(3), True, doc="ISO 4217, e.g. CNY"),
    Column("start_date", "开始日期", cells.business_date, True),
    Column("end_date", "到期日期", cells.business_date, True),
    Column("status", "状态", cells.choice(STATUSES), True,
           doc="draft signed active churned terminated (renewed) / "
               "草稿 已签约 执行中 已流失 已终止 (已续约)"),
    Column("renews", "续约自", cells.text(KEY_LEN), doc="the predecessor's number"),
    Column("churned_on", "流失日期", cells.business_date,
           doc="churned: the churn date; terminated: the termination date"),
    Column("churn_reason", "流失原因", cells.choice(CHURN_REASONS),
           doc="competitor value_not_realised business_closed price service other / "
               "竞品 价值未实现 业务关闭 价格 服务 其他"),
    Column("signed_on", "签约日期", cells.business_date, doc="default: start_date"),
    Column("activated_on", "启用日期", cells.business_date, doc="default: start_date"),
)
USAGE = (
    Column("customer", "客户编号", cells.text(KEY_LEN), True, ("customer_id",),
           "the customer's external id"),
    Column("period_start", "开始日期", cells.business_date, True, doc="key with the customer"),
    Column("period_end", "结束日期", cells.business_date, True),
    Column("active_days_per_week", "周活跃天数", cells.decimal, True, doc="0..7"),
    Column("feature_adoption", "功能使用率", cells.decimal, True, doc="0..1"),
    Column("open_issues", "问题数", cells.count, True, doc="≥ 0"),
    Column("core_features_used", "核心功能使用数", cells.count),
    Column("core_features_total", "核心功能总数", cells.count),
    Column("nps", "NPS", cells.count, doc="-100..100"),
)
def _kinds() -> dict[str, tuple[Column, ...]]:
    from api.sheets import work_columns as w

    return {"customers": CUSTOMERS, "contacts": w.CONTACTS, "contracts": CONTRACTS,
            "usage": USAGE, "risks": w.RISKS, "tasks": w.TASKS}


KINDS: Mapping[str, tuple[Column, ...]] = _kinds()


@dataclass(frozen=True)
class HeaderMap:
    """Which cell index holds which column, the headers as written, and those ignored."""

    index: dict[str, int]
    written: dict[str, str]
    ignored: list[str]
    missing: list[str]


def map_header(columns: tuple[Column, ...], header: list[str]) -> HeaderMap:
    """Each column takes the first of its names the header has (English, Chinese, then
    the aliases in order: `owner_name` before `owner_id`)."""
    folded = [title.casefold() for title in header]
    index: dict[str, int] = {}
    written: dict[str, str] = {}
    for column in columns:
        for name in (column.name, column.zh, *column.aliases):
            if name.casefold() in folded:
                position = folded.index(name.casefold())
                if position not in index.values():
                    index[column.name] = position
                    written[column.name] = header[position]
                    break
    ignored = [t for i, t in enumerate(header) if t and i not in index.values()]
    missing = [c.name for c in columns if c.required and c.name not in index]
    return HeaderMap(index, written, ignored, missing)


def header_row(columns: tuple[Column, ...], lang: str) -> list[str]:
    return [c.zh if lang == "zh" else c.name for c in columns]


def cell_of(cells_: list[Any], position: int | None) -> Any:
    if position is None or position >= len(cells_):
        return None
    return cells_[position]
