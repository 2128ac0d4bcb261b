"""Tamper evidence: every stored event is linked into a SHA-256 hash chain.

Each link covers the previous link, the event's global position, its
originator id and version, its topic, the moment it was recorded and its
stored bytes. Changing, deleting or reordering a stored event breaks the
chain at that position; the head hash can be anchored outside the system.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol
from uuid import UUID

GENESIS = "0" * 64


def canonical_id(originator_id: UUID | str) -> str:
    try:
        return str(UUID(str(originator_id)))
    except ValueError:
        return str(originator_id)


def link_hash(
    prev: str,
    position: int,
    originator_id: UUID | str,
    version: int,
    topic: str,
    recorded_at: str,
    state: bytes,
) -> str:
    digest = hashlib.sha256()
    digest.update(
        f"{prev}|{position}|{canonical_id(originator_id)}|{version}|{topic}|{recorded_at}|".encode()
    )
    digest.update(bytes(state))
    return digest.hexdigest()


def format_recorded_at(moment: datetime) -> str:
    """Fixed-width UTC text, so text order is time order on every store."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_recorded_at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def next_recorded_at(previous: str | None, now: datetime) -> str:
    """The recording time of a new link: the clock, but never before its predecessor."""
    current = format_recorded_at(now)
    if previous is not None and previous > current:
        return previous
    return current


@dataclass(frozen=True)
class ChainLink:
    position: int
    recorded_at: str
    hash: str


@dataclass(frozen=True)
class StoredRow:
    """One stored event as the chain sees it (None when the event row is missing)."""

    position: int
    originator_id: UUID | str
    version: int
    topic: str
    state: bytes


class ChainReader(Protocol):
    def iter_chain_and_events(
        self, batch: int = 5000
    ) -> Iterator[tuple[ChainLink | None, StoredRow | None]]: ...


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events_checked: int
    head: str
    first_bad_position: int | None = None
    reason: str | None = None


def verify_pairs(pairs: Iterable[tuple[ChainLink | None, StoredRow | None]]) -> VerifyResult:
    """Walk (link, event) pairs in position order and recompute the chain."""
    prev = GENESIS
    prev_time = ""
    checked = 0
    for link, row in pairs:
        if link is None and row is not None:
            return VerifyResult(False, checked, prev, row.position, "event has no chain link")
        if link is not None and row is None:
            return VerifyResult(False, checked, prev, link.position, "event missing from the log")
        assert link is not None and row is not None
        if link.recorded_at < prev_time:
            return VerifyResult(False, checked, prev, link.position, "recording time goes back")
        expected = link_hash(
            prev, row.position, row.originator_id, row.version, row.topic, link.recorded_at,
            row.state,
        )
        if expected != link.hash:
            return VerifyResult(False, checked, prev, link.position, "hash does not match")
        prev = link.hash
        prev_time = link.recorded_at
        checked += 1
    return VerifyResult(True, checked, prev)


def merge_by_position(
    links: Iterator[ChainLink], rows: Iterator[StoredRow]
) -> Iterator[tuple[ChainLink | None, StoredRow | None]]:
    """Full outer join of two position-ordered streams."""
    link = next(links, None)
    row = next(rows, None)
    while link is not None or row is not None:
        if row is None or (link is not None and link.position < row.position):
            yield link, None
            link = next(links, None)
        elif link is None or row.position < link.position:
            yield None, row
            row = next(rows, None)
        else:
            yield link, row
            link = next(links, None)
            row = next(rows, None)
