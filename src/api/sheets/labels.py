"""Header rows in the request's language: English field names, or their Chinese labels.

The language is `?lang=zh|en`, else the first of `Accept-Language`; a field without a
Chinese label keeps its English name. Nested columns translate part by part
(`health.score` → `健康度.分数`).
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.requests import Request

ZH = {
    "id": "编号", "name": "名称", "customer_id": "客户ID", "customer_name": "客户名称",
    "customer": "客户", "tier": "客户等级", "owner_id": "负责人ID", "owner_name": "负责人",
    "support_manager_id": "支持经理ID", "support_manager_name": "支持经理",
    "stage": "阶段", "stage_since": "阶段开始", "onboarded_on": "上线日期", "industry": "行业",
    "region": "区域", "size_grade": "规模等级", "contacts_count": "联系人数",
    "number": "合同编号", "contract_id": "合同ID", "contract_number": "合同编号",
    "amount": "金额", "currency": "币种", "start_date": "开始日期", "end_date": "到期日期",
    "days_to_end": "距到期天数", "status": "状态", "intent": "续约意向", "progress": "进度",
    "expansion_potential": "增购潜力", "title": "标题", "severity": "严重程度",
    "category": "类别", "due_date": "截止日期", "overdue": "逾期", "description": "描述",
    "raised_on": "提出日期", "closed_on": "关闭日期", "resolution": "处理结果",
    "assignee_id": "负责人ID", "assignee_name": "负责人", "kind": "类型", "source_kind": "来源",
    "health": "健康度", "score": "分数", "band": "等级", "components": "构成",
    "period_start": "开始日期", "period_end": "结束日期", "phase": "阶段", "day": "天数",
    "count": "数量", "position": "日志位置", "created_position": "创建位置",
    "registered_at": "登记时间", "received_at": "接收时间", "collected_on": "收集日期",
    "playbook_key": "手册", "started_on": "开始日期", "completed_on": "完成日期",
    "customers": "客户数", "renewal_rate": "续约率", "revenue_renewal_rate": "续费率",
    # seed 001 §二.4/6/7: activities, benchmark cases, referrals
    "goal": "目标", "planned_on": "策划日期", "prepared_on": "准备日期", "launched_on": "活动上线日期",
    "reviewed_on": "复盘日期", "improved_on": "改进日期", "participants": "参与人数",
    "revenue": "营收", "review_note": "复盘", "improvement": "改进",
    "nominated_on": "提名日期", "built_on": "打造日期", "replicated_on": "复制日期",
    "upgraded_on": "升级日期", "replicated_again_on": "再复制日期", "criteria": "标准",
    "industry_known": "行业知名", "all_modules_used": "使用全部模块",
    "measured_outcome": "降本增效", "met": "达到", "qualified": "符合标准",
    "cost_down_pct": "成本下降%", "growth_pct": "业务增长%",
    "prospect_name": "被介绍客户", "incentive_policy": "激励政策", "incentive_amount": "激励金额",
    "credited_owner_id": "计入客户成功经理ID", "introduced_on": "介绍日期", "won_on": "成单日期",
    "lost_on": "未成单日期", "deal_amount": "成交金额",
}


def request_lang(request: Request) -> str:
    lang = request.query_params.get("lang")
    if lang in ("zh", "en"):
        return lang
    accepted = request.headers.get("accept-language", "").strip().lower()
    return "zh" if accepted.startswith("zh") else "en"


def label(column: str, lang: str) -> str:
    if lang != "zh":
        return column
    return ".".join(ZH.get(part, part) for part in column.split("."))


def header_labels(columns: Iterable[str], lang: str) -> list[str]:
    return [label(c, lang) for c in columns]
