"""The quarterly review as HTML (server-side SVG charts, no scripts, no CDN) or XLSX
(native openpyxl bar charts). Both show the JSON's figures, nothing computed anew:
each section's scalar figures this quarter against last, then the charts and tables.
"""

from __future__ import annotations

import io
from html import escape
from typing import Any

SECTIONS = ("risks", "requirements", "complaints", "activation", "usage", "referrals")
BAR_W, BAR_GAP, CHART_H = 36, 18, 160


def figures(section: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """The scalar figures of a section (nested objects flattened, lists left out)."""
    out: dict[str, Any] = {}
    for key, value in section.items():
        if key in ("position", "from", "to") or isinstance(value, list):
            continue
        if isinstance(value, dict):
            out.update(figures(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


def comparison(report: dict[str, Any]) -> list[tuple[str, str, Any, Any]]:
    rows = []
    for section in SECTIONS:
        now, before = figures(report[section]), figures(report["previous"][section])
        rows += [(section, key, now[key], before.get(key)) for key in now]
    for block in report["renewals"]["currencies"]:
        last: dict[str, Any] = next((b for b in report["previous"]["renewals"]["currencies"]
                     if b["currency"] == block["currency"]), {})
        for key in ("due_customers", "renewed_customers", "renewal_rate", "due_amount",
                    "renewed_amount", "revenue_renewal_rate", "churned_customers"):
            rows.append((f"renewals {block['currency']}", key, block[key], last.get(key)))
    return rows


def bars(title: str, series: list[tuple[str, float, float | None]]) -> str:
    """An SVG bar chart: this quarter (dark) against the previous one (light) per label."""
    top = max([abs(v) for _, a, b in series for v in (a, b) if v is not None] + [1e-9])
    width = max(1, len(series)) * (2 * BAR_W + BAR_GAP) + BAR_GAP
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{CHART_H + 40}" '
             f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for i, (label, now, before) in enumerate(series):
        x = BAR_GAP + i * (2 * BAR_W + BAR_GAP)
        for j, (value, colour) in enumerate(((before, "#9ecae1"), (now, "#08519c"))):
            if value is None:
                continue
            h = CHART_H * abs(value) / top
            parts.append(f'<rect x="{x + j * BAR_W}" y="{CHART_H - h:.1f}" width="{BAR_W - 4}" '
                         f'height="{h:.1f}" fill="{colour}"><title>{value}</title></rect>')
        parts.append(f'<text x="{x}" y="{CHART_H + 16}" font-size="11">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _num(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def chart_series(report: dict[str, Any]) -> dict[str, list[tuple[str, float, float | None]]]:
    prev = {b["currency"]: b for b in report["previous"]["renewals"]["currencies"]}
    renewal = [(b["currency"], _num(b["renewal_rate"]) or 0.0,
                _num(prev.get(b["currency"], {}).get("renewal_rate")))
               for b in report["renewals"]["currencies"]]
    bands = [(band, float(n), _num(report["previous"]["health"]["bands"].get(band)))
             for band, n in report["health"]["bands"].items()]
    last_churn = {c["category"]: c["customers"] for c in report["previous"]["churn_reasons"]}
    churn = [(c["category"], float(c["customers"]), _num(last_churn.get(c["category"])))
             for c in report["churn_reasons"]]
    return {"Renewal rate per currency (续约率)": renewal,
            "Health bands (健康度分布)": bands, "Churn reasons (流失原因)": churn}


def _table(head: list[str], rows: list[list[Any]]) -> str:
    cells = "".join(f"<th>{escape(str(h))}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>"
                                    for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def html(report: dict[str, Any]) -> bytes:
    charts = "".join(f"<h3>{escape(t)}</h3>{bars(t, s)}" for t, s in chart_series(report).items())
    team = [[m.get("owner_name"), m.get("customers"), m.get("open_risks"), m.get("overdue_risks"),
             m.get("overdue_tasks")] for m in report["team"]["items"]]
    movers = [[m["customer_name"], m["score_before"], m["score_after"], m["change"]]
              for m in report["health_movers"]]
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Quarterly review {escape(report['quarter'])}</title><style>
body{{font-family:sans-serif;margin:2em;color:#222}} table{{border-collapse:collapse;margin:1em 0}}
td,th{{border:1px solid #ccc;padding:3px 8px;font-size:13px}} th{{background:#eef}}</style></head>
<body><h1>Quarterly review 复盘 {escape(report['quarter'])}</h1>
<p>{escape(report['from'])} – {escape(report['to'])}, against {escape(report['previous_quarter'])}.
Computed at log position <b data-testid="position">{report['position']}</b>, head hash
<code>{escape(report['head_hash'] or '')}</code>{' (as of ' + escape(report['as_of']) + ')'
if report.get('as_of') else ''}.</p>
<p>Dark: this quarter; light: the previous one.</p>{charts}
<h2>Figures</h2>{_table(['section', 'figure', report['quarter'], report['previous_quarter']],
                        [list(r) for r in comparison(report)])}
<h2>Churn reasons, ranked</h2>{_table(['category', 'customers', 'amounts'],
    [[c['category'], c['customers'], c['amounts']] for c in report['churn_reasons']])}
<h2>Health: biggest movers</h2>{_table(['customer', 'before', 'after', 'change'], movers)}
<h2>Per CSM</h2>{_table(['CSM', 'customers', 'open risks', 'overdue risks', 'overdue tasks'],
                        team)}
</body></html>"""
    return page.encode("utf-8")


def xlsx(report: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    summary.append(["quarter", report["quarter"], "position", report["position"], "head_hash",
                    report["head_hash"]])
    summary.append(["section", "figure", report["quarter"], report["previous_quarter"]])
    for row in comparison(report):
        summary.append(list(row))
    for title, series in chart_series(report).items():
        sheet = book.create_sheet(title.split(" (")[0][:31])
        sheet.append(["", report["quarter"], report["previous_quarter"]])
        for label, now, before in series:
            sheet.append([label, now, before])
        chart = BarChart()
        chart.title = title
        chart.add_data(Reference(sheet, min_col=2, max_col=3, min_row=1,
                                 max_row=len(series) + 1), titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=len(series) + 1))
        sheet.add_chart(chart, "E2")
    team = book.create_sheet("Team")
    team.append(["CSM", "customers", "open risks", "overdue risks", "overdue tasks"])
    for m in report["team"]["items"]:
        team.append([m.get("owner_name"), m.get("customers"), m.get("open_risks"),
                     m.get("overdue_risks"), m.get("overdue_tasks")])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
