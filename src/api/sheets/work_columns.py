"""Columns of the contacts, risks and tasks sheets (English | 中文), in the same spirit as
customers/contracts/usage: a key column, the customer's external id, bilingual choices."""

from __future__ import annotations

from api.sheets import cells
from api.sheets.columns import KEY_LEN, Column

LEVELS = {"1": "1", "2": "2", "一级": "1", "二级": "2"}
ATTITUDES = {"champion": "champion", "supportive": "supportive", "neutral": "neutral",
             "skeptical": "skeptical", "detractor": "detractor", "拥护者": "champion",
             "支持": "supportive", "中立": "neutral", "怀疑": "skeptical", "反对": "detractor"}
CATEGORIES = {"adoption": "adoption", "relationship": "relationship", "product": "product",
              "delivery": "delivery", "commercial": "commercial", "competitor": "competitor",
              "other": "other", "使用": "adoption", "关系": "relationship", "产品": "product",
              "交付": "delivery", "商务": "commercial", "竞品": "competitor", "其他": "other"}
SEVERITIES = {"low": "low", "medium": "medium", "high": "high", "critical": "critical",
              "低": "low", "中": "medium", "高": "high", "严重": "critical"}
RISK_STATUSES = {"open": "open", "closed": "closed", "未关闭": "open", "已关闭": "closed"}
TASK_STATUSES = {"todo": "todo", "doing": "doing", "done": "done", "待办": "todo",
                 "进行中": "doing", "已完成": "done"}
CUSTOMER = Column("customer", "客户编号", cells.text(KEY_LEN), True, ("customer_id",),
                  "the customer's external id")

CONTACTS = (
    CUSTOMER,
    Column("name", "联系人", cells.text(200), True, doc="key with the customer (≤ 200)"),
    Column("role", "职务", cells.text(100), True, doc="≤ 100"),
    Column("level", "级别", cells.choice(LEVELS), True, doc="1 2 / 一级 二级"),
    Column("attitude", "态度", cells.choice(ATTITUDES),
           doc="champion supportive neutral skeptical detractor / 拥护者 支持 中立 怀疑 反对"),
    Column("email", "邮箱", cells.text(200), doc="≤ 200"),
)
RISKS = (
    Column("key", "风险编号", cells.text(KEY_LEN), True, doc="key: the risk's id in your books"),
    CUSTOMER,
    Column("title", "风险标题", cells.text(200), True, doc="≤ 200"),
    Column("category", "风险类别", cells.choice(CATEGORIES), True,
           doc="adoption relationship product delivery commercial competitor other / "
               "使用 关系 产品 交付 商务 竞品 其他"),
    Column("severity", "严重程度", cells.choice(SEVERITIES), True,
           doc="low medium high critical / 低 中 高 严重"),
    Column("raised_on", "提出日期", cells.business_date, True),
    Column("due_date", "截止日期", cells.business_date, True),
    Column("description", "描述", cells.text(5000), doc="≤ 5000"),
    Column("status", "状态", cells.choice(RISK_STATUSES), doc="open closed / 未关闭 已关闭"),
    Column("closed_on", "关闭日期", cells.business_date, doc="closed: required"),
    Column("resolution", "处理结果", cells.text(5000), doc="closed: required (≤ 5000)"),
)
TASKS = (
    Column("key", "任务编号", cells.text(KEY_LEN), True, doc="key: the task's id in your books"),
    CUSTOMER,
    Column("title", "任务标题", cells.text(200), True, doc="≤ 200"),
    Column("assignee", "负责人", cells.text(200), True, ("assignee_name", "assignee_id"),
           "a user's name or id"),
    Column("due_date", "截止日期", cells.business_date, True),
    Column("status", "状态", cells.choice(TASK_STATUSES), doc="todo doing done / 待办 进行中 已完成"),
    Column("done_on", "完成日期", cells.business_date, doc="done: the completion date"),
)
