"""Queries across views: figures derived at query time from several views' tables, with no
tables and no projector of their own (activation, lifecycle board, a CSM's week, visits,
renewal and forecast rates, health metrics and backtests, playbook effectiveness).

A view module (`projections.views.<name>`) owns its tables, its projector and the queries
that read only them; a module here reads the tables of the views it names and waits for
them (`views_named(...)` in the API)."""
