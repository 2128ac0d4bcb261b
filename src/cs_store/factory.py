"""Builds the application service for a Settings object (the one wiring point)."""

from __future__ import annotations

from typing import cast

from cs_domain.app import CustomerSuccess
from cs_store.recorders import ChainedRecorder
from cs_store.settings import Settings
from cs_store.wiring import event_store_env


def build_application(settings: Settings) -> CustomerSuccess:
    return CustomerSuccess(env=event_store_env(settings))


def chain_recorder(app: CustomerSuccess) -> ChainedRecorder:
    """The application's recorder, with the chain and timed reads of cs_store."""
    return cast(ChainedRecorder, app.recorder)
