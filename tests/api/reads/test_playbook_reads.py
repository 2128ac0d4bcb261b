"""Playbook runs and effectiveness over HTTP: runs with their tasks, the 360 section,
outcome rates per playbook and version, as of a moment before the run — on both stores."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from cs_domain.playbook import Playbook
from tests.api.reads.conftest import ReadApi

D0 = date(2026, 3, 2)


def test_runs_effectiveness_and_the_360(live: ReadApi) -> None:
    app = live.container.app
    csm = live.user("csm")
    customer = live.customer(csm, tier="strategic")
    live.ok("POST", "/playbooks/install-defaults")
    before = datetime.now(UTC)
    started = app.start_playbook_run(actor="system:playbooks", playbook_key="qbr",
                                      customer_id=UUID(customer), occurrence_key="q:2026-01",
                                      triggered_on=D0)
    other = app.start_playbook_run(actor="system:playbooks", playbook_key="qbr",
                                   customer_id=UUID(customer), occurrence_key="q:2026-04",
                                   triggered_on=date(2026, 4, 1))
    app.abandon_playbook_run(actor=str(csm.id), run_id=other.id, abandoned_on=date(2026, 4, 2),
                             reason="customer asked to skip")
    app.measure_playbook_outcome(actor="system:playbooks", run_id=started.id, metric="QBR held",
                                 achieved=True, measured_on=date(2026, 3, 20))

    runs = live.read("/playbook-runs", customer_id=customer)
    assert [r["id"] for r in runs["items"]] == [str(other.id), str(started.id)]
    run = live.read(f"/playbook-runs/{started.id}")
    assert run["playbook_key"] == "qbr" and run["status"] == "active"
    assert [s["assignee_id"] for s in run["steps"]] == [str(csm.id)] * 3
    assert [s["due_date"] for s in run["steps"]] == ["2026-03-02", "2026-03-16", "2026-03-18"]
    assert run["outcomes"][0]["achieved"] is True

    report = live.read("/metrics/playbooks", playbook="qbr")
    (qbr,) = report["playbooks"]
    assert qbr["runs"] == {"started": 2, "active": 1, "completed": 0, "abandoned": 1}
    assert qbr["abandon_rate"] == 0.5
    held = next(o for o in qbr["outcomes"] if o["metric"] == "QBR held")
    assert (held["achieved"], held["missed"], held["pending"], held["rate"]) == (1, 0, 1, 1.0)
    assert [v["version"] for v in qbr["versions"]] == [1]

    full = live.read(f"/customers/{customer}")
    assert {r["id"] for r in full["playbook_runs"]} == {str(started.id), str(other.id)}

    then = live.read("/playbook-runs", customer_id=customer, as_of=before.isoformat())
    assert then["items"] == []
    assert live.get("/playbook-runs/" + str(Playbook.id_for("nope"))).status_code == 404
