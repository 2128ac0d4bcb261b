"""Read models: views derived from the event log, rebuildable, verifiable, readable "as of".

Entry points (see docs/projections.md):
- :class:`projections.db.ReadModels` — the read-model database (`from_settings`, `read()`).
- :class:`projections.runner.Projector` — catch up / follow the log, `wait_for` a position.
- :mod:`projections.rebuild` — `rebuild`, `verify`, `dump`.
- Query functions: :mod:`projections.compose` (`customer_list`, `customer_360`),
  :mod:`projections.views.contracts` (`renewals`, `renewal_metrics`),
  :mod:`projections.views.users` (`get_user`, `list_users`); the work views
  :mod:`~projections.views.risks`, :mod:`~projections.views.tasks`,
  :mod:`~projections.views.requirements`, :mod:`~projections.views.complaints`,
  :mod:`~projections.views.team` and :mod:`~projections.queries.lifecycle`.
- :mod:`projections.registry` — the one list of views.
"""
