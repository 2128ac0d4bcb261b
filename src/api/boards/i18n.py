"""The boards' languages: English and Chinese (zh-CN), from a small catalogue.

`?lang=zh|en` chooses; without it the `Accept-Language` header does (the first of its
languages we have, by quality), and English is the default. `Catalogue.t(key)` gives the
label; a key the catalogue lacks reads as itself with `_` as spaces (so a new field or
status shows up readable rather than missing) — tests/api/boards check that every key
the templates use is translated.
"""

from __future__ import annotations

LANGS = ("en", "zh")
# key: (English, 中文)
LABELS: dict[str, tuple[str, str]] = {
    "app_name": ("CS Ledger", "客户成功台账"),
    "workbench": ("My workbench", "我的工作台"), "customers": ("Customers", "客户"),
    "renewals": ("Renewals", "续约"), "risks": ("Risks", "风险"), "lifecycle": ("Lifecycle", "生命周期"),
    "team": ("Team", "团队"), "playbooks": ("Playbooks", "手册"), "sign_in": ("Sign in", "登录"),
    "sign_out": ("Sign out", "退出"), "api_token": ("API token", "API 令牌"),
    "sign_in_hint": ("Sign in with your API token (from `cs-ledger users add` or `make run`).",
                     "使用 API 令牌登录（来自 `cs-ledger users add` 或 `make run`）。"),
    "bad_token": ("The token is unknown or revoked.", "令牌无效或已被撤销。"),
    "as_of": ("As of", "截至"), "as_of_banner": ("As of {moment}, log position {position}",
                                             "截至 {moment}，日志位置 {position}"),
    "now": ("Now", "当前"), "show": ("Show", "显示"), "error": ("Error", "错误"),
    "language": ("Language", "语言"), "signed_in_as": ("Signed in as", "当前用户"),
    "read_only_past": ("A past state: read only.", "历史状态：只读。"),
    "overdue": ("overdue", "逾期"), "today": ("today", "今天"), "this_week": ("this week", "本周"),
    "my_tasks": ("My tasks", "我的任务"),
    "my_customers_by_phase": ("My customers by phase", "我的客户（按阶段）"),
    "my_open_risks": ("My open risks", "我的未关闭风险"),
    "csm_milestones_due": ("CSM milestones due", "待完成的客成里程碑"),
    "title": ("Title", "标题"), "customer": ("Customer", "客户"), "due_date": ("Due", "截止日期"),
    "status": ("Status", "状态"), "severity": ("Severity", "严重度"), "owner": ("Owner", "负责人"),
    "assignee": ("Assignee", "执行人"), "actions": ("Actions", "操作"), "name": ("Name", "名称"),
    "tier": ("Tier", "客户等级"), "stage": ("Stage", "阶段"), "phase": ("Phase", "生命周期阶段"),
    "health": ("Health", "健康度"), "health_band": ("Health band", "健康度等级"),
    "score": ("Score", "得分"), "trend": ("Trend", "趋势"), "search": ("Search", "搜索"),
    "expiring_within": ("Expiring within (days)", "到期天数内"), "any": ("any", "全部"),
    "filter": ("Filter", "筛选"), "next_page": ("Next page", "下一页"),
    "first_page": ("First page", "首页"), "previous_page": ("Previous page", "上一页"),
    "industry": ("Industry", "行业"), "region": ("Region", "区域"), "profile": ("Profile", "概况"),
    "contacts": ("Key contacts", "关键联系人"), "level": ("Level", "层级"), "role": ("Role", "角色"),
    "email": ("Email", "邮箱"), "attitude": ("Attitude", "态度"),
    "contracts": ("Contracts", "合同"), "number": ("Number", "合同编号"), "amount": ("Amount", "金额"),
    "currency": ("Currency", "币种"), "start_date": ("Start", "开始日期"), "end_date": ("End", "到期日期"),
    "progress": ("Progress", "进度"), "no_project": ("no project", "无实施项目"),
    "intent": ("Renewal intent", "续约意向"), "days_to_end": ("Days to end", "剩余天数"),
    "lag_ok": ("on track", "正常"), "lag_behind": ("behind", "落后"), "lag_far": ("far behind", "严重落后"),
    "requirements": ("Requirements", "需求"), "plans": ("Plan milestones", "计划里程碑"),
    "open_tasks": ("Open tasks", "未完成任务"), "playbook_runs": ("Playbook runs", "手册执行"),
    "touchpoints": ("Touchpoints", "触点"), "handover": ("Handover", "交接"),
    "expectations": ("Expectations", "客户期望"),
    "business_changes": ("Business changes", "经营变化"), "occurred_on": ("Occurred on", "发生日期"),
    "classification": ("Customers by level and usage", "客户分级（等级 × 使用）"),
    "level_class": ("Level", "客户等级"),
    "heavy": ("heavy", "重度"), "regular": ("regular", "常规"), "light": ("light", "轻度"),
    "inactive": ("inactive", "不活跃"), "unreported": ("unreported", "未上报"),
    "ungraded": ("ungraded", "未分级"),
    "merger": ("merger", "合并"), "closure": ("closure", "关闭"),
    "budget_cut": ("budget cut", "预算削减"),
    "leadership_change": ("leadership change", "管理层变动"), "timeline": ("Timeline", "时间线"),
    "when": ("When", "时间"), "who": ("Who", "操作人"), "what": ("What", "事件"),
    "position": ("Position", "位置"), "details": ("Details", "详情"), "summary": ("Summary", "摘要"),
    "kind": ("Kind", "类型"), "date": ("Date", "日期"), "none": ("none", "无"),
    "period": ("Period", "期间"), "this_month": ("This month", "本月"),
    "this_quarter": ("This quarter", "本季度"),
    "custom": ("Custom", "自定义"), "from": ("From", "从"), "to": ("To", "至"),
    "renewal_rate": ("Renewal rate", "续约率"), "revenue_renewal_rate": ("Revenue renewal rate", "续费率"),
    "due_customers": ("Due customers", "到期客户"),
    "renewed_customers": ("Renewed customers", "已续约客户"),
    "due_amount": ("Due amount", "到期金额"), "renewed_amount": ("Renewed amount", "续约金额"),
    "churned_customers": ("Churned customers", "流失客户"), "overall": ("Overall", "总体"),
    "renewed_on": ("Renewed on", "续约日期"), "risk": ("Risk", "风险"), "trail": ("Trail", "轨迹"),
    "category": ("Category", "类别"), "raised_on": ("Raised on", "提出日期"),
    "strategy": ("Strategy", "策略"), "resolution": ("Resolution", "解决方案"),
    "closed_on": ("Closed on", "关闭日期"), "count": ("Count", "数量"),
    "checkpoints": ("Check points", "检查点"), "day": ("Day", "天"), "upcoming": ("Upcoming", "即将到来"),
    "due_today": ("Due today", "今日到期"), "passed": ("Passed", "已通过"),
    "contract_value": ("Contract value", "合同金额"), "open_risks": ("Open risks", "未关闭风险"),
    "overdue_risks": ("Overdue risks", "逾期风险"), "overdue_tasks": ("Overdue tasks", "逾期任务"),
    "milestones": ("Milestones", "里程碑"), "done_on_time": ("on time", "按时"),
    "done_late": ("late", "延迟"), "pending": ("pending", "待完成"),
    "definitions": ("Definitions", "定义"), "effectiveness": ("Effectiveness", "效果"),
    "key": ("Key", "标识"), "enabled": ("active", "启用"), "running": ("running", "进行中"),
    "trigger": ("Trigger", "触发"), "active": ("active", "执行中"),
    "runs": ("Runs", "执行"), "started": ("started", "已开始"), "completed": ("completed", "已完成"),
    "abandoned": ("abandoned", "已放弃"), "completion_rate": ("Completion rate", "完成率"),
    "triggered_on": ("Triggered on", "触发日期"), "playbook": ("Playbook", "手册"),
    "start_task": ("Start", "开始"), "complete_task": ("Complete", "完成"),
    "close_risk": ("Close risk", "关闭风险"), "raise_risk": ("Raise a risk", "提出风险"),
    "set_intent": ("Set intent", "设置意向"), "record_touchpoint": ("Record a touchpoint", "记录触点"),
    "add_contact": ("Add a contact", "添加联系人"), "save": ("Save", "保存"),
    "description": ("Description", "描述"), "note": ("Note", "备注"), "done": ("Done.", "已完成。"),
    "refused": ("Refused", "被拒绝"), "not_found": ("Not found", "未找到"),
    "customers_count": ("Customers", "客户数"), "mean_score": ("Mean score", "平均分"),
    "sort": ("Sort", "排序"), "previous": ("previous", "之前"),
    # values (statuses, phases, tiers, bands, intents, severities, stages)
    "open": ("open", "未关闭"), "mitigating": ("mitigating", "缓解中"), "closed": ("closed", "已关闭"),
    "todo": ("to do", "待办"), "doing": ("doing", "进行中"), "cancelled": ("cancelled", "已取消"),
    "low": ("low", "低"), "medium": ("medium", "中"), "high": ("high", "高"),
    "critical": ("critical", "严重"),
    "strategic": ("strategic", "战略"), "growth": ("growth", "成长"), "basic": ("basic", "基础"),
    "red": ("red", "红"), "yellow": ("yellow", "黄"), "green": ("green", "绿"),
    "draft": ("draft", "草稿"), "signed": ("signed", "已签约"), "renewed": ("renewed", "已续约"),
    "churned": ("churned", "已流失"), "terminated": ("terminated", "已终止"),
    "onboarding": ("onboarding", "上线期"), "stable": ("stable", "稳定期"),
    "renewal": ("renewal", "续约期"),
    "refunded": ("refunded", "已退款"), "ended": ("ended", "已结束"),
    "not_started": ("not started", "未开始"),
    "mature": ("mature", "成熟期"), "reactivated": ("reactivated", "重新激活"),
    "missed": ("missed", "未达成"), "up": ("up", "上升"), "down": ("down", "下降"),
    "flat": ("flat", "持平"),
    # touchpoints, requirement steps, risk categories, CSM milestones
    "check_in": ("check-in", "例行沟通"), "call": ("call", "电话"),
    "onsite_visit": ("onsite visit", "上门拜访"),
    "training": ("training", "培训"), "qbr": ("QBR", "季度业务回顾"),
    "weekly_report": ("weekly report", "周报"),
    "collected": ("collected", "已收集"), "classified": ("classified", "已分类"),
    "analysed": ("analysed", "已分析"),
    "handed_over": ("handed over", "已转产品"), "scheduled": ("scheduled", "已排期"),
    "delivered": ("delivered", "已交付"), "rejected": ("rejected", "已拒绝"),
    "feedback_given": ("feedback given", "已反馈"), "adoption": ("adoption", "使用"),
    "relationship": ("relationship", "关系"), "product": ("product", "产品"),
    "delivery": ("delivery", "交付"),
    "commercial": ("commercial", "商务"), "competitor": ("competitor", "竞争"), "other": ("other", "其他"),
    "activated": ("activated", "已启用"), "no_basic_questions": ("no basic questions", "无基础问题"),
    "own_activities": ("own activities", "自主开展活动"),
    # seed 001 §二.4/6/7: activities, benchmark cases, referrals
    "activities": ("Activities", "活动"), "participants": ("Participants", "参与人数"),
    "revenue": ("revenue-raising", "提高营收类"), "influence": ("influence-raising", "提高影响力类"),
    "activity_revenue": ("Revenue", "营收"),
    "planned": ("planned", "已策划"), "prepared": ("prepared", "已准备"),
    "launched": ("launched", "已上线"), "reviewed": ("reviewed", "已复盘"),
    "improved": ("improved", "已改进"),
    "benchmark_case": ("Benchmark case", "标杆案例"), "candidate": ("candidate", "候选"),
    "built": ("built", "已打造"), "replicated": ("replicated", "已复制"),
    "upgraded": ("upgraded", "已升级"), "replicated_again": ("replicated again", "已再复制"),
    "dropped": ("dropped", "已放弃"), "qualified": ("meets all criteria", "符合全部标准"),
    "industry_known": ("known in the industry", "行业知名"),
    "all_modules_used": ("every module used", "使用全部模块"),
    "measured_outcome": ("cost down / growth measured", "降本增效有数据"),
    "referrals": ("Referrals", "转介绍"), "prospect": ("Prospect", "被介绍客户"),
    "incentive": ("Incentive", "激励政策"), "introduced": ("introduced", "已介绍"),
    "contacted": ("contacted", "已联系"), "proposal": ("proposal", "方案中"),
    "won": ("won", "已成单"), "lost": ("lost", "未成单"),
    # The practices page (/app/practice): the week of each CSM and the quarter's figures.
    "practice": ("Week & quarter", "周报与季度"), "csm_week": ("Each CSM's week", "客户成功经理周统计"),
    "customers_touched": ("Customers served", "服务客户数"), "tasks_done": ("Tasks done", "完成任务"),
    "risks_raised": ("Risks raised", "新增风险"), "risks_closed": ("Risks closed", "关闭风险"),
    "renewals_recorded": ("Renewals", "续约"), "weekly_brief": ("Weekly brief", "周报"),
    "follow_up_owner": ("follow-up", "跟进人"), "no_brief": ("not submitted", "未提交"),
    "visits": ("On-site visits", "上门拜访"),
    "head_customers_not_visited": ("head customers not visited this quarter", "本季度未拜访的头部客户"),
    "responses": ("responses", "答卷"), "promoters": ("promoters", "推荐者"),
    "detractors": ("detractors", "贬损者"), "support_desk": ("Support desk (tickets)", "客服工单"),
    "first_reply_minutes": ("first reply, minutes", "首次响应（分钟）"),
    "accuracy": ("accuracy", "准确率"), "win_rate": ("win rate", "成单率"),
    "benchmark_cases": ("Benchmark cases", "标杆案例"),
    "classes_without_case": ("classes without a case", "尚无标杆的分级"),
}


def choose(query_lang: str | None, accept_language: str | None) -> str:
    """`?lang=` if it is one of ours, else the best of Accept-Language, else English."""
    if query_lang in LANGS:
        return str(query_lang)
    best: tuple[float, str] | None = None
    for part in (accept_language or "").split(",")[:20]:
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        lang = tag.strip().lower().split("-")[0]
        if lang in LANGS and (best is None or quality > best[0]):
            best = (quality, lang)
    return best[1] if best else "en"


class Catalogue:
    def __init__(self, lang: str):
        self.lang = lang
        self._index = LANGS.index(lang)

    def t(self, key: object, **values: object) -> str:
        text = str(key)
        entry = LABELS.get(text)
        label = entry[self._index] if entry else text.replace("_", " ")
        return label.format(**values) if values else label
