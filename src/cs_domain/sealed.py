"""Sealed snapshots: a snapshot is used only if it still says what was sealed into it.

Snapshots are a cache beside the hash-chained log, yet commands load through them, so a
snapshot edited in the database (an `owner_id` changed) would let a command act on a
state its events never produced. Each snapshot we take carries a `seal`:
`sha256(json([link, originator_id, version, topic]) + "\\n" + state)`, where `link` is the
hash-chain link of the event at the snapshot's version and `state` the transcoded
state. On load a snapshot whose seal does not match is ignored (the aggregate replays
from its events) and counted; one without a seal (taken before sealing) is ignored too.

The seal is keyed by the chain, not by a secret: it catches an edited, moved or stale
snapshot (and one whose event was altered), not a forger who recomputes it with the
code in hand. That one is caught by `cs-ledger audit verify`, which by default rebuilds
every snapshot from its events and compares (`cs_store.snapshots.verify_snapshots`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from eventsourcing.domain import Snapshot


class SealedSnapshot(Snapshot):
    seal: str = ""


def seal_of(link: str, snapshot: Any, encode: Callable[[Any], bytes]) -> str:
    header = json.dumps([link, str(snapshot.originator_id), snapshot.originator_version,
                         snapshot.topic], separators=(",", ":"))
    return hashlib.sha256(header.encode() + b"\n" + encode(snapshot.state)).hexdigest()
