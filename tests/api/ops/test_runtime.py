"""What `cs-ledger serve` runs (both stores): one application, one projector set and one
automation, all from cs_runtime.bootstrap; `--no-projectors` runs neither."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from api.app import create_app
from cs_store.settings import Settings
from tests.api.conftest import Api, TestClient


def test_serve_runs_one_application_one_projector_and_one_automation(api_settings: Settings):
    fast = api_settings.model_copy(update={"poll_interval": 0.05})
    with TestClient(create_app(fast, run_projectors=True, run_automation=True)) as client:
        api = Api(client)
        container = api.container
        runtime = container.runtime
        assert runtime.app is container.app
        assert runtime.projector is not None and container.views.projector is runtime.projector
        assert runtime.automation is not None
        assert runtime.automation.app is runtime.app
        assert runtime.automation.sync.projector is runtime.projector  # no second projector

        # The automation acts on a write: activating a contract starts its onboarding.
        api.ok("POST", "/playbooks/install-defaults")
        customer = api.customer(api.user("csm"))
        today = datetime.now(UTC).date()
        contract = api.contract(customer, "signed", start_date=today.isoformat(),
                                end_date=(today + timedelta(days=364)).isoformat())
        api.ok("POST", f"/contracts/{contract}/activate", {"activated_on": today.isoformat()})
        deadline = time.monotonic() + 60
        while not api.ok("GET", f"/playbook-runs?customer_id={customer}")["items"]:
            assert time.monotonic() < deadline, "the automation did not start the onboarding"
            time.sleep(0.1)


def test_no_projectors_means_no_automation_either(api_settings: Settings):
    with TestClient(create_app(api_settings, run_projectors=False, run_automation=True)) as client:
        runtime = Api(client).container.runtime
        assert runtime.projector is None and runtime.automation is None
