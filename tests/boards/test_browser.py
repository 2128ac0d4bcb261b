"""The boards in a real browser: Playwright driving Debian's chromium (`make browser`
installs it) against a real server (uvicorn in a thread, SQLite; the HTTP tests in
test_pages.py cover PostgreSQL too). One browser and one server for the module."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from bench.boards import serving

from cs_store.settings import Settings
from tests.boards.support import ADMIN_TOKEN, World, build, ok

CHROMIUM = os.environ.get("CS_LEDGER_CHROMIUM", "/usr/bin/chromium")
pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[str, World]]:
    with tempfile.TemporaryDirectory(prefix="cs-boards-") as data:
        settings = Settings(data_dir=Path(data), database_url=None, admin_token=ADMIN_TOKEN)
        with serving(settings) as base, httpx.Client(base_url=base, timeout=60) as client:
            yield base, build(client)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no chromium at {CHROMIUM}: run `make browser` (apt-get install chromium)",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def signed_in(browser: Any, served: tuple[str, World]) -> Iterator[Any]:
    """One tab, signed in through the form as the CSM (shared by the module's tests)."""
    base, world = served
    context = browser.new_context(base_url=base, locale="en-US")
    tab = context.new_page()
    tab.goto("/app/")
    assert tab.url.endswith("/app/login")
    tab.fill("input[name=token]", world.csm_token)
    tab.click("button[type=submit]")
    tab.wait_for_url("**/app/")
    yield tab
    context.close()


@pytest.fixture
def page(signed_in: Any, served: tuple[str, World]) -> Any:
    """The tab on the workbench, once the views have applied the world."""
    signed_in.goto(f"/app/?min_position={served[1].head}")
    return signed_in


def api(base: str, path: str, token: str = ADMIN_TOKEN) -> dict[str, Any]:
    with httpx.Client(base_url=base, timeout=60) as client:
        return ok(client, "GET", path, headers={"Authorization": f"Bearer {token}"})


def test_each_page_from_the_navigation_bar(page: Any) -> None:
    assert "Call the director" in page.inner_text("main")
    for label in ("Customers", "Renewals", "Risks", "Lifecycle", "Team", "Playbooks",
                  "My workbench"):
        page.click(f"nav >> text={label}")
        assert page.inner_text("h1").startswith(label)
        assert page.locator("[data-testid=page-error]").count() == 0
        assert page.locator("th").count() > 0
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"


def test_the_360_progress_bar_and_overdue_risk(page: Any, served: tuple[str, World]) -> None:
    base, world = served
    page.goto(f"/app/customers/{world.customer_id}")
    contract = api(base, f"/customers/{world.customer_id}")["contracts"][0]
    bar = page.locator(f"progress[data-contract-id='{world.contract_id}']")
    assert bar.get_attribute("aria-valuenow") == str(round(contract["progress"] * 100))
    row = page.locator(f"tr[data-risk-id='{world.risk_id}']")
    assert "overdue" in row.get_attribute("class")
    assert "overdue" in row.inner_text()


def test_renewal_figures_equal_the_api(page: Any, served: tuple[str, World]) -> None:
    base, _world = served
    page.goto("/app/renewals")
    page.check("input[name=period][value=custom]")
    page.fill("input[name=from]", "2025-10-01")
    page.fill("input[name=to]", "2025-12-31")
    page.click("[data-testid=period-picker] button[type=submit]")
    figures = api(base, "/metrics/renewals?from=2025-10-01&to=2025-12-31")["currencies"]
    eur = next(m for m in figures if m["currency"] == "EUR")
    shown = page.get_attribute("[data-testid=renewal-rate-EUR]", "data-value")
    assert float(shown) == eur["renewal_rate"]
    assert "C-2025-0001" in page.inner_text("[data-testid=renewal-table]")


def test_an_action_and_its_412_on_a_stale_version(page: Any, served: tuple[str, World]) -> None:
    base, world = served
    page.goto(f"/app/customers/{world.customer_id}")
    row = page.locator(f"tr[data-task-id='{world.task_id}']")
    assert row.locator("button").inner_text() == "Start"
    with httpx.Client(base_url=base, timeout=60) as client:  # someone else moves the task on
        ok(client, "POST", f"/tasks/{world.task_id}/start", {"started_on": "2025-03-05"},
           headers={"Authorization": f"Bearer {world.csm_token}"})
    row.locator("button").click()
    problem = page.locator("[data-testid=problem]")
    assert problem.get_attribute("data-status") == "412"
    assert "Stale version" in problem.inner_text()
    page.locator(f"tr[data-task-id='{world.task_id}'] button").click()  # now: Complete
    assert page.locator("[data-testid=action-ok]").count() == 1
    assert page.locator(f"tr[data-task-id='{world.task_id}']").count() == 0  # no longer open


def test_the_as_of_banner_and_a_past_state(page: Any, served: tuple[str, World]) -> None:
    page.goto("/app/customers")
    assert "Acme Dental" in page.inner_text("main")
    page.fill("input[name=as_of]", "2001-02-03T04:05:06Z")
    page.click("[data-testid=as-of-picker] button")
    banner = page.inner_text("[data-testid=as-of-banner]")
    assert "2001-02-03T04:05:06+00:00" in banner and "log position 0" in banner
    assert "Acme Dental" not in page.inner_text("main")
    page.click("nav >> text=Risks")
    assert "as_of=2001-02-03" in page.url
    assert page.locator("[data-testid=as-of-banner]").count() == 1
    page.goto("/app/customers?as_of=not-a-moment")
    assert "as_of" in page.inner_text("[data-testid=page-error]")


def test_the_language_switch(page: Any) -> None:
    page.click("[data-testid=lang-zh]")
    assert page.inner_text("h1") == "我的工作台"
    page.click("nav >> text=续约")
    assert "续约率" in page.inner_text("main") and "续费率" in page.inner_text("main")
    page.click("[data-testid=lang-en]")
    assert "Renewal rate" in page.inner_text("main")
