"""Tamper evidence: every stored event is linked into a SHA-256 hash chain.

Each link covers the previous link, the event's global position, its
originator id and version, its topic, the moment it was recorded and its
stored bytes. Changing, deleting or reordering a stored event breaks the
chain at that position; the head hash can be anchored outside the system,
which also makes a truncated tail detectable (see :func:`verify_pairs`).

This module is pure (no I/O): the recorders compute links with
:func:`link_hash` and feed verification with position-ordered pairs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

GENESIS = "0" * 64
# json.dumps(..., separators=(",", ":"), ensure_ascii=True), its encoder built once.
_HEADER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True)
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

# Why verification stopped; stable texts that tools and tests may match.
MISSING_LINK = "event has no chain link"
MISSING_EVENT = "event missing from the log"
BAD_TIME = "recording time is malformed"
TIME_GOES_BACK = "recording time goes back"
HASH_MISMATCH = "hash does not match"
ANCHOR_MISMATCH = "chain differs from the anchor"
TRUNCATED = "log ends before the anchored position"


def canonical_id(originator_id: UUID | str) -> str:
    """One text per id, whatever form the store returns (SQLite: hex; PostgreSQL: uuid)."""
    if type(originator_id) is UUID:  # already the one form (saves parsing its text again)
        return str(originator_id)
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
    """The hash of one link.

    The header is a JSON array (self-delimiting, strings escaped), so no choice of
    field values can shift bytes from one field into another or into the state.
    """
    header = _HEADER.encode(
        [prev, position, canonical_id(originator_id), version, topic, recorded_at])
    digest = hashlib.sha256(header.encode("ascii"))
    digest.update(b"\n")
    digest.update(bytes(state))
    return digest.hexdigest()


def format_recorded_at(moment: datetime) -> str:
    """Fixed-width UTC text, so text order is time order on every store."""
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


def parse_recorded_at(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=UTC)


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
    """One stored event as the chain sees it."""

    position: int
    originator_id: UUID | str
    version: int
    topic: str
    state: bytes


@dataclass(frozen=True)
class Anchor:
    """A head recorded outside the system earlier: `POSITION:HASH`."""

    position: int
    hash: str

    @classmethod
    def parse(cls, text: str) -> Anchor:
        position, sep, hash_ = text.strip().partition(":")
        if not sep or not position.isdigit() or int(position) < 1 or len(hash_) != 64:
            raise ValueError("an anchor is POSITION:HASH, e.g. 42:<64 hex digits>")
        try:
            int(hash_, 16)
        except ValueError:
            raise ValueError("an anchor's hash is 64 hex digits") from None
        return cls(int(position), hash_.lower())

    def __str__(self) -> str:
        return f"{self.position}:{self.hash}"


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events_checked: int
    head: str
    first_bad_position: int | None = None
    reason: str | None = None
    # Position of `head` (0 for an empty log): with the hash, an anchor for later runs.
    head_position: int = 0


def _check_link(link: ChainLink, row: StoredRow, prev: str, prev_time: str) -> str | None:
    """Why this (link, event) pair does not continue the chain, or None."""
    try:
        parse_recorded_at(link.recorded_at)
    except (TypeError, ValueError):
        return BAD_TIME
    if link.recorded_at < prev_time:
        return TIME_GOES_BACK
    expected = link_hash(
        prev, row.position, row.originator_id, row.version, row.topic, link.recorded_at, row.state
    )
    return None if expected == link.hash else HASH_MISMATCH


def verify_pairs(
    pairs: Iterable[tuple[ChainLink | None, StoredRow | None]], anchor: Anchor | None = None
) -> VerifyResult:
    """Walk (link, event) pairs in position order and recompute the chain.

    Stops at the first position that does not verify. With an anchor, the link at the
    anchored position must carry the anchored hash, and the log must reach it.
    """
    prev, prev_time, prev_position, checked = GENESIS, "", 0, 0
    anchor_pending = anchor is not None

    def fail(position: int, reason: str) -> VerifyResult:
        return VerifyResult(False, checked, prev, position, reason, prev_position)

    for link, row in pairs:
        if link is None:
            if row is None:
                continue
            return fail(row.position, MISSING_LINK)
        if row is None:
            return fail(link.position, MISSING_EVENT)
        reason = _check_link(link, row, prev, prev_time)
        if reason is not None:
            return fail(link.position, reason)
        if anchor is not None and anchor_pending and link.position >= anchor.position:
            # Past the anchored position without meeting it: that link was removed
            # (and the chain rebuilt after it), or it now carries another hash.
            if link.position > anchor.position or link.hash != anchor.hash:
                return fail(anchor.position, ANCHOR_MISMATCH)
            anchor_pending = False
        prev, prev_time, prev_position = link.hash, link.recorded_at, link.position
        checked += 1
    if anchor is not None and anchor_pending:
        return fail(prev_position + 1, TRUNCATED)
    return VerifyResult(True, checked, prev, head_position=prev_position)


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
