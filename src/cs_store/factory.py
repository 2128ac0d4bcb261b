"""Builds the application service for a Settings object (the one wiring point)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from cs_domain.app import CustomerSuccess
from cs_store.recorders import ChainedRecorder
from cs_store.settings import Settings
from cs_store.wiring import event_store_env, postgres_setup_lock


def build_application(settings: Settings) -> CustomerSuccess:
    """The application on the configured store, creating what is missing.

    Always build it here: on PostgreSQL the set-up runs under an advisory lock, so
    processes starting together do not trip over each other's CREATE statements.
    """
    if not settings.is_postgres:
        return CustomerSuccess(env=event_store_env(settings))
    with postgres_setup_lock(settings):
        return CustomerSuccess(env=event_store_env(settings))


def chain_recorder(app: CustomerSuccess) -> ChainedRecorder:
    """The application's recorder, with the chain and timed reads of cs_store."""
    return cast(ChainedRecorder, app.recorder)


@contextmanager
def open_readonly(settings: Settings) -> Iterator[CustomerSuccess]:
    """The application on an existing store, for read-only tools: nothing is created.

    Raises StoreUnavailable when the SQLite file, the PostgreSQL server or its schema
    is missing; a missing table surfaces as the library's PersistenceError on first read.
    """
    app = CustomerSuccess(env=event_store_env(settings, create=False))
    try:
        yield app
    finally:
        app.close()
