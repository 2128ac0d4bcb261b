"""The boards' store-independent parts: the catalogue covers every label the templates
use, return addresses stay on the boards, languages, periods, progress and lag."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from hypothesis import given
from hypothesis import strategies as st

from api.boards import i18n
from api.boards.actions import safe_back
from api.boards.charts import lag_class, percent, trend
from api.boards.pages_boards import period_range

TEMPLATES = Path(i18n.__file__).parent / "templates"


def test_every_label_the_templates_use_is_in_both_languages() -> None:
    used: set[str] = set()
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        used.update(re.findall(r"\bt\('([a-z_]+)'", text))
        for call in re.findall(r"head\(t, ([^)]*)\)", text):
            used.update(re.findall(r"'([a-z_]+)'", call))
        for call in re.findall(r"head\(t, ([^)]*)\)", text):
            used.update(re.findall(r"'([a-z_]+)'", call))
        for group in re.findall(r"\{'[a-z_-]+': '[a-z_]+'(?:, '[a-z_-]+': '[a-z_]+')*\}", text):
            used.update(re.findall(r": '([a-z_]+)'", group))
    missing = sorted(k for k in used if k not in i18n.LABELS)
    assert not missing
    assert all(len(pair) == 2 and all(pair) for pair in i18n.LABELS.values())
    zh = i18n.Catalogue("zh")
    assert (zh.t("renewal_rate"), zh.t("revenue_renewal_rate"), zh.t("overdue"),
            zh.t("health")) == ("续约率", "续费率", "逾期", "健康度")


def test_the_language_comes_from_the_switch_then_accept_language() -> None:
    assert i18n.choose("zh", "en") == "zh"
    assert i18n.choose(None, "zh-CN,zh;q=0.9,en;q=0.8") == "zh"
    assert i18n.choose(None, "fr-FR, en;q=0.5, zh;q=0.4") == "en"
    assert i18n.choose("xx", None) == "en"
    assert i18n.choose(None, "zh;q=abc, en;q=0.1") == "en"


@given(st.text(max_size=200))
def test_a_return_address_is_always_a_board_page(value: str) -> None:
    back = safe_back(value)
    parts = urlsplit(back)
    assert not parts.scheme and not parts.netloc and back.startswith("/app/")
    assert "//" not in parts.path


def test_a_board_page_is_kept_as_the_return_address() -> None:
    assert safe_back("/app/customers/1?as_of=2025-01-01T00:00:00Z") == \
        "/app/customers/1?as_of=2025-01-01T00:00:00Z"
    for evil in ("https://evil.example/app/", "//evil.example/app/", "/app//evil", "/docs"):
        assert safe_back(evil) == "/app/"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)),
       st.sampled_from(["month", "quarter"]))
def test_a_period_holds_its_day(today: date, period: str) -> None:
    first, last = period_range(period, today)
    assert first <= today <= last and first.day == 1
    assert (last.month - first.month) == (2 if period == "quarter" else 0)


def test_progress_and_how_far_it_lags_the_term() -> None:
    assert percent(None) is None and percent("0.456") == 46 and percent(1.2) == 100
    contract = {"start_date": date(2025, 1, 1), "end_date": date(2025, 12, 31), "progress": 0.1}
    assert lag_class(contract, date(2025, 1, 20)) == "lag-ok"
    assert lag_class(contract, date(2025, 3, 15)) == "lag-behind"
    assert lag_class(contract, date(2025, 7, 1)) == "lag-far"
    assert lag_class({**contract, "progress": None}, date(2025, 7, 1)) == "lag-none"
    assert lag_class({**contract, "status": "renewed"}, date(2025, 7, 1)) == "lag-none"
    svg = trend([{"period_start": "2025-01-01", "score": 50, "band": "yellow"},
                 {"period_start": "2025-02-01", "score": 80, "band": "green"}], "<health>")
    assert svg.count("<circle") == 2 and "&lt;health&gt;" in svg and trend([]) == ""
