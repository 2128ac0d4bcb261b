"""Helpers for the demo tests: read a whole store back as decoded events and aggregates."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from uuid import UUID

from cs_domain.app import CustomerSuccess

TODAY_ISO = "2026-11-30"


def decoded_log(app: CustomerSuccess) -> list[tuple[str, UUID, int, dict[str, Any]]]:
    """Every event in log order: (topic, originator id, version, state without timestamp)."""
    log = []
    for n in app.recorder.select_notifications(0, 10**9):
        event = app.mapper.to_domain_event(n)
        state = {k: v for k, v in event.__dict__.items() if k != "timestamp"}
        log.append((n.topic, n.originator_id, n.originator_version, state))
    return log


def ids_by_kind(app: CustomerSuccess) -> dict[str, list[UUID]]:
    """Aggregate ids by class name (e.g. "Contract"), in order of creation."""
    kinds: dict[str, list[UUID]] = defaultdict(list)
    for n in app.recorder.select_notifications(0, 10**9):
        if n.originator_version == 1:
            kinds[n.topic.split(":")[1].split(".")[0]].append(n.originator_id)
    return kinds


def load_all(app: CustomerSuccess, kind: str) -> list[Any]:
    return [app.repository.get(i) for i in ids_by_kind(app)[kind]]


def state(item: Any) -> dict[str, Any]:
    """Comparable state of an aggregate: its attributes and version."""
    values = {k: v for k, v in item.__dict__.items() if not k.startswith("_")}
    values["version"] = item.version
    return values
