"""Automation: playbooks started by events and by the passing of time (issue 5, seed 002).

- :mod:`automation.process` — the process manager: events → runs, steps, outcomes.
- :mod:`automation.tick` — `tick(app, models, now)`: time rules (renewal windows,
  inactivity, QBRs, overdue risks, outcome windows) as of `now`.
- :mod:`automation.runtime` — `AutomationRuntime` / `start_ticker`: both in a thread (processes build it with
  :mod:`cs_runtime.bootstrap`).
- :mod:`automation.rules`, :mod:`automation.schedule`, :mod:`automation.reactions`,
  :mod:`automation.outcomes` — the decisions, pure over the views as of a position.

Everything is idempotent by construction (derived run and task ids; steps, outcomes and
overdue marks recorded once): see docs/playbooks.md and docs/adr/0005.
"""
