"""The boards over HTTP on both stores: sign-in, sessions, CSRF, pages, figures, as_of,
languages and actions (the browser tests in test_browser.py drive the same in chromium)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from api.app import create_app
from api.boards.pages_boards import PAGE_ROWS
from api.boards.session import SESSION_COOKIE, board_sessions
from cs_store.settings import Settings
from tests.api.conftest import TestClient, admin_settings
from tests.boards.support import World, build, csrf_of, ok, sign_in

PAGES = ["/app/", "/app/customers", "/app/renewals", "/app/risks", "/app/lifecycle", "/app/team",
         "/app/practice", "/app/playbooks"]


@pytest.fixture
def board(settings: Settings) -> Iterator[tuple[TestClient, World]]:
    with TestClient(create_app(admin_settings(settings)), raise_server_exceptions=False) as client:
        world = build(client)
        yield client, world


def page(client: TestClient, path: str, world: World, **params: Any) -> Any:
    """A page read once the views have applied the world (read-your-writes)."""
    response = client.get(path, params={"min_position": world.head, **params})
    assert response.status_code == 200, response.text[:2000]
    return response


def test_every_page_needs_a_session(board: tuple[TestClient, World]) -> None:
    client, world = board
    for path in [*PAGES, f"/app/customers/{world.customer_id}", f"/app/risks/{world.risk_id}"]:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/app/login", path
    client.cookies.set(SESSION_COOKIE, "forged-session-id", path="/app")
    assert client.get("/app/", follow_redirects=False).headers["location"] == "/app/login"


def test_sign_in_sets_a_strict_http_only_cookie_and_never_shows_the_token(
        board: tuple[TestClient, World]) -> None:
    client, world = board
    form = client.get("/app/login")
    assert 'name="token"' in form.text
    no_csrf = client.post("/app/login", data={"token": world.csm_token}, follow_redirects=False)
    assert no_csrf.status_code == 403
    bad = client.post("/app/login", data={"token": "csl_wrong", "csrf": csrf_of(form.text)})
    assert bad.status_code == 401 and 'name="token"' in bad.text
    answer = sign_in(client, world.csm_token)
    assert answer.status_code == 303 and answer.headers["location"] == "/app/"
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    assert world.csm_token not in cookie
    home = page(client, "/app/", world)
    assert world.csm_token not in home.text and "Call the director" in home.text


def test_an_expired_session_and_sign_out_lead_back_to_sign_in(
        board: tuple[TestClient, World]) -> None:
    client, world = board
    sign_in(client, world.csm_token)
    assert client.get("/app/", follow_redirects=False).status_code == 200
    client.app.state.board_sessions.expire_all_now()  # type: ignore[attr-defined]
    assert client.get("/app/", follow_redirects=False).headers["location"] == "/app/login"
    sign_in(client, world.csm_token)
    assert client.get("/app/logout", follow_redirects=False).headers["location"] == "/app/login"
    assert client.get("/app/", follow_redirects=False).status_code == 303


def test_a_session_is_known_to_every_api_process_and_ends_with_its_user(
        board: tuple[TestClient, World], settings: Settings) -> None:
    """Sessions live in the shared read-model database: a second API process on the same
    store serves the signed-in browser; the database holds neither the token nor the
    session id; deactivating the user ends the session everywhere at once."""
    client, world = board
    answer = sign_in(client, world.csm_token)
    session_id = answer.cookies[SESSION_COOKIE]
    with TestClient(create_app(admin_settings(settings)),
                    raise_server_exceptions=False) as other:
        other.cookies.set(SESSION_COOKIE, session_id, path="/app")
        home = other.get("/app/", params={"min_position": world.head}, follow_redirects=False)
        assert home.status_code == 200 and "Call the director" in home.text
        store = client.app.state.board_sessions  # type: ignore[attr-defined]
        with store.engine.connect() as conn:
            rows = [tuple(map(str, r)) for r in conn.execute(select(board_sessions))]
        assert len(rows) == 1
        assert not any(world.csm_token in v or session_id in v for v in rows[0])
        ok(client, "POST", f"/users/{world.csm_id}/deactivate", {"reason": "left the team"})
        assert other.get("/app/", follow_redirects=False).headers["location"] == "/app/login"
    assert client.get("/app/", follow_redirects=False).headers["location"] == "/app/login"
    assert store.count() == 0  # both processes dropped it


def test_the_360_shows_the_api_figures(board: tuple[TestClient, World]) -> None:
    client, world = board
    sign_in(client, world.csm_token)
    html = page(client, f"/app/customers/{world.customer_id}", world).text
    api = ok(client, "GET", f"/customers/{world.customer_id}?min_position={world.head}")
    progress = api["contracts"][0]["progress"]
    bar = re.search(rf'<progress[^>]*data-contract-id="{world.contract_id}"[^>]*>', html)
    assert bar, "no progress bar for the contract"
    assert f'aria-valuenow="{round(progress * 100)}"' in bar.group(0)
    row = re.search(rf'<tr class="overdue" data-risk-id="{world.risk_id}">.*?</tr>', html, re.S)
    assert row and ">overdue<" in row.group(0).split("</td>")[2]
    assert "<th" in html and "Customer.Registered" in html  # headers; the timeline


def test_the_customer_page_shows_activities_the_case_and_referrals(
        board: tuple[TestClient, World]) -> None:
    client, world = board
    sign_in(client, world.csm_token)
    cid = world.customer_id
    activity = ok(client, "POST", "/activities", {"customer_id": cid, "kind": "revenue",
                                                  "title": "Spring whitening week",
                                                  "on": "2025-03-01"})["id"]
    for step, body in (("prepare", {"on": "2025-03-02"}), ("launch", {"on": "2025-03-03"}),
                       ("review", {"participants": 42, "revenue": "800.00", "currency": "CNY",
                                   "note": "ok", "on": "2025-03-10"})):
        ok(client, "POST", f"/activities/{activity}/{step}", body)
    ok(client, "POST", "/benchmark-cases", {"customer_id": cid, "title": "Acme case"})
    last = ok(client, "POST", "/referrals", {"customer_id": cid, "prospect_name": "Pearl Dental",
                                             "incentive_policy": "Referral bonus"})
    html = page(client, f"/app/customers/{cid}", world, min_position=last["position"]).text
    row = re.search(r"<tr><td>2025-03-01</td><td>Spring whitening week</td>.*?</tr>", html, re.S)
    assert row and "reviewed" in row.group(0) and "800.00 CNY" in row.group(0)
    assert "Benchmark case: Acme case (candidate)" in html
    assert "✗ every module used" in html  # no usage report: not met, from the facts
    assert "Pearl Dental" in html and "Referral bonus" in html


def test_every_page_renders_with_header_cells(board: tuple[TestClient, World]) -> None:
    client, world = board
    sign_in(client, world.csm_token)
    for path in [*PAGES, f"/app/risks/{world.risk_id}"]:
        html = page(client, path, world).text
        assert "<th" in html and 'aria-label="main"' in html, path
        assert len(html.encode()) <= 200 * 1024


def test_renewal_rates_equal_the_api(board: tuple[TestClient, World]) -> None:
    client, world = board
    sign_in(client, world.csm_token)
    html = page(client, "/app/renewals", world, period="custom", **{"from": "2025-10-01"},
                to="2025-12-31").text
    api = ok(client, "GET", f"/metrics/renewals?from=2025-10-01&to=2025-12-31"
                            f"&min_position={world.head}")
    eur = next(m for m in api["currencies"] if m["currency"] == "EUR")
    cell = re.search(r'data-testid="renewal-rate-EUR" data-value="([^"]*)"', html)
    assert eur["due_customers"] == 1 and eur["renewal_rate"] is not None
    assert cell and Decimal(cell.group(1)) == Decimal(str(eur["renewal_rate"]))
    assert "C-2025-0001" in html


def test_the_renewal_board_pages_its_contracts(board: tuple[TestClient, World]) -> None:
    """50 contracts a page (the rates above still count them all); a bad page is named."""
    client, world = board
    for i in range(PAGE_ROWS + 5):
        last = ok(client, "POST", "/contracts", {
            "customer_id": world.customer_id, "number": f"P-{i:03d}", "amount": "100.00",
            "currency": "EUR", "start_date": "2026-01-01", "end_date": "2026-03-31"})
    sign_in(client, world.csm_token)
    period = {"period": "custom", "from": "2026-03-01", "to": "2026-03-31",
              "min_position": last["position"]}
    first = client.get("/app/renewals", params=period).text
    rows = re.findall(r'data-contract-row="', first)
    assert len(rows) == PAGE_ROWS and 'data-testid="renewal-total">55<' in first
    assert "P-000" in first and "P-054" not in first and 'rel="next"' in first
    second = client.get("/app/renewals", params={**period, "page": 2}).text
    assert len(re.findall(r'data-contract-row="', second)) == 5 and "P-054" in second
    assert 'rel="prev"' in second and 'rel="next"' not in second
    bad = client.get("/app/renewals", params={**period, "page": "0"})
    assert bad.status_code == 422 and "page: must be" in bad.text


def test_the_practice_page_shows_the_api_s_week_and_quarter(
        board: tuple[TestClient, World]) -> None:
    """Each CSM's week (seed 003) and the quarter's visits, NPS, desk, referrals and
    benchmark coverage: the figures of GET /team/weekly and the metrics reads."""
    client, world = board
    headers = {"Authorization": f"Bearer {world.csm_token}"}
    touch = ok(client, "POST", "/touchpoints", {
        "customer_id": world.customer_id, "kind": "onsite_visit", "occurred_on": "2025-03-04",
        "summary": "Visited the clinic", "participants": ["Chen Jing"]}, headers=headers)
    brief = ok(client, "POST", "/team/weekly/2025-W10/brief", {
        "summary": "One visit; the director is unhappy.",
        "problems": ["Director unhappy with onboarding"]}, headers=headers)
    head = max(touch["position"], brief["position"])
    sign_in(client, world.csm_token)
    html = client.get("/app/practice", params={"week": "2025-W10", "min_position": head}).text
    api = ok(client, "GET", f"/team/weekly?week=2025-W10&min_position={head}")
    [mine] = [i for i in api["items"] if i["owner_id"] == world.csm_id]
    row = re.search(rf'<tr data-owner-id="{world.csm_id}">(.*?)</tr>', html, re.S)
    assert row, html[:3000]
    cells = re.findall(r'<td class="num">(\d+)</td>', row.group(1))
    assert [int(c) for c in cells] == [mine[k] for k in (
        "customers_touched", "visits", "tasks_done", "risks_raised", "risks_closed", "renewals")]
    assert mine["visits"] == 1 and "One visit; the director is unhappy." in row.group(1)
    assert 'data-problem-status="open"' in row.group(1)
    assert 'rel="prev">2025-W09<' in html and 'rel="next">2025-W11<' in html
    assert 'data-testid="quarter-figures"' in html and 'data-testid="classes-without-case"' in html
    bad = client.get("/app/practice", params={"week": "2025-W99"})
    assert bad.status_code == 422 and "week" in bad.text


def test_as_of_shows_the_past_with_a_banner_and_keeps_it_in_links(
        board: tuple[TestClient, World]) -> None:
    client, world = board
    sign_in(client, world.csm_token)
    page(client, "/app/", world)
    html = client.get("/app/customers", params={"as_of": "2000-01-01T00:00:00Z"}).text
    banner = re.search(r'data-testid="as-of-banner">([^<]*)<', html)
    assert banner and "2000-01-01T00:00:00+00:00" in banner.group(1) and "position 0" in banner.group(1)
    assert "Acme Dental" not in html  # not registered yet then
    assert 'href="/app/risks?as_of=2000-01-01T00%3A00%3A00Z"' in html
    bad = client.get("/app/customers", params={"as_of": "yesterday"})
    assert bad.status_code == 422 and "as_of" in bad.text and 'role="alert"' in bad.text


def test_language_from_the_switch_and_accept_language(board: tuple[TestClient, World]) -> None:
    client, world = board
    sign_in(client, world.csm_token)
    assert "续约率" in page(client, "/app/renewals", world, lang="zh").text
    chinese = client.get("/app/risks", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert "逾期" in chinese.text and 'lang="zh-CN"' in chinese.text
    english = client.get("/app/risks", headers={"Accept-Language": "zh;q=0.3,en;q=0.8"})
    assert "overdue" in english.text and "逾期" not in english.text


def _form(html: str, action: str, item: str) -> dict[str, str]:
    """The hidden fields of the form posting `action` for `item`."""
    for form in re.findall(rf'<form method="post" action="/app/actions/{action}".*?</form>', html, re.S):
        fields = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', form))
        if fields.get("item") == item:
            return fields
    raise AssertionError(f"no {action} form for {item}")


def test_actions_need_csrf_and_refuse_a_stale_version(board: tuple[TestClient, World]) -> None:
    client, world = board
    sign_in(client, world.csm_token)
    html = page(client, f"/app/customers/{world.customer_id}", world).text
    fields = _form(html, "task-start", world.task_id)
    head = client.app.state.container.app.max_position()  # type: ignore[attr-defined]
    no_csrf = client.post("/app/actions/task-start", data={**fields, "csrf": ""},
                          follow_redirects=False)
    assert no_csrf.status_code == 403
    assert client.app.state.container.app.max_position() == head  # type: ignore[attr-defined]
    started = client.post("/app/actions/task-start", data=fields)
    assert 'data-testid="action-ok"' in started.text
    stale = client.post("/app/actions/task-start", data=fields)  # the same version again
    assert 'data-status="412"' in stale.text and "Stale version" in stale.text


def test_an_analyst_sees_no_action_and_a_csm_only_their_own(
        board: tuple[TestClient, World]) -> None:
    client, world = board
    sign_in(client, world.analyst_token)
    html = page(client, f"/app/customers/{world.customer_id}", world).text
    assert "/app/actions/" not in html
    sign_in(client, world.csm_token)
    html = page(client, f"/app/customers/{world.customer_id}", world).text
    assert "/app/actions/risk-close" in html and "/app/actions/contact-add" in html


def test_a_refused_action_shows_the_problem_and_writes_nothing(
        board: tuple[TestClient, World]) -> None:
    client, world = board
    sign_in(client, world.analyst_token)
    html = page(client, "/app/", world).text
    head = client.app.state.container.app.max_position()  # type: ignore[attr-defined]
    answer = client.post("/app/actions/risk-close", data={
        "csrf": csrf_of(html), "item": world.risk_id, "resolution": "done",
        "back": "https://evil.example/"}, follow_redirects=False)
    assert answer.headers["location"] == "/app/"
    shown = client.get("/app/").text
    assert 'data-status="403"' in shown
    assert client.app.state.container.app.max_position() == head  # type: ignore[attr-defined]


def test_a_day_of_work_through_the_forms(board: tuple[TestClient, World]) -> None:
    client, world = board
    sign_in(client, world.csm_token)
    html = page(client, f"/app/customers/{world.customer_id}", world).text
    customer = _form(html, "contact-add", world.customer_id)
    posts = [
        ("contact-add", {**customer, "name": "Dr. Wang", "role": "director", "level": "1"}),
        ("touchpoint", {"csrf": customer["csrf"], "customer_id": world.customer_id,
                        "kind": "onsite_visit", "summary": "Visited the clinic"}),
        ("risk-raise", {"csrf": customer["csrf"], "customer_id": world.customer_id,
                        "title": "Budget freeze", "category": "commercial",
                        "severity": "medium", "due_date": "2099-01-31"}),
        ("risk-close", {**_form(html, "risk-close", world.risk_id), "resolution": "Met him"}),
    ]
    for action, data in posts:
        answer = client.post(f"/app/actions/{action}", data=data)
        assert 'data-testid="action-ok"' in answer.text, (action, answer.text[:3000])
    renewals = page(client, "/app/renewals", world, period="custom", **{"from": "2025-12-01"},
                    to="2025-12-31").text
    intent = {**_form(renewals, "renewal-intent", world.contract_id), "intent": "low"}
    assert 'data-testid="action-ok"' in client.post("/app/actions/renewal-intent",
                                                    data=intent).text
    head = client.app.state.container.app.max_position()  # type: ignore[attr-defined]
    c360 = ok(client, "GET", f"/customers/{world.customer_id}?min_position={head}")
    assert "Dr. Wang" in [p["name"] for p in c360["contacts"]]
    assert "Visited the clinic" in [t["summary"] for t in c360["last_touchpoints"]]
    risks = {r["title"]: r["status"] for r in c360["risks"]}
    assert risks == {"Director unhappy": "closed", "Budget freeze": "open"}
    assert c360["contracts"][0]["intent"] == "low"
    bad = client.post("/app/actions/risk-raise", data={
        "csrf": customer["csrf"], "customer_id": world.customer_id, "title": "x",
        "category": "commercial", "severity": "extreme", "due_date": "2099-01-31"})
    assert 'data-status="422"' in bad.text and "severity" in bad.text


def test_business_changes_and_the_classification_table(board: tuple[TestClient, World]) -> None:
    """Seed 001 §二.8 on the 360; §二.1's cross table (with its best practices) on the team
    page, the same figures as GET /classification."""
    client, world = board
    ok(client, "POST", f"/customers/{world.customer_id}/business-changes",
       {"kind": "budget_cut", "occurred_on": "2025-09-01", "note": "Budgets frozen"})
    written = ok(client, "POST", "/classification/best-practices", {
        "level": "growth", "usage_class": "unreported", "text": "Ask for the first report"})
    head = written["position"]
    sign_in(client, world.csm_token)
    html = client.get(f"/app/customers/{world.customer_id}", params={"min_position": head}).text
    row = re.search(r'data-testid="business-changes".*?</table>', html, re.S)
    assert row and "budget cut" in row.group(0) and "Budgets frozen" in row.group(0)
    team = client.get("/app/team", params={"min_position": head}).text
    api = ok(client, "GET", f"/classification?min_position={head}")
    for cell in api["cells"]:
        shown = re.search(rf'data-cell="{cell["level"]}:{cell["usage_class"]}">'
                          r'<span class="num">(\d+)</span>', team)
        assert shown and int(shown.group(1)) == cell["customers"], cell
    assert "Ask for the first report" in team
