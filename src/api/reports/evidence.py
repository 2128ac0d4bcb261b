"""Evidence for auditors: a risk's events with the chain links that seal them.

For each event of the risk: its position, type, version, actor, recording time, its
stored bytes (`state`, base64) and decoded data, the previous link's hash and its own.
Anyone can recompute each link offline with the formula (docs/architecture.md, "Tamper
evidence") and `docs/verify_evidence.py` (stdlib only); `head` names the log's last link
at the moment of export, to compare with `GET /audit/verify` and an anchor kept outside.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from uuid import UUID

from eventsourcing.utils import resolve_topic

from cs_domain.errors import NotFound
from cs_domain.risk import Risk
from cs_store.chain import GENESIS, canonical_id
from cs_store.links import head_link, link_at, link_before

FORMULA = ("hash = sha256(json.dumps([prev_hash, position, originator_id, version, topic, "
           "recorded_at], separators=(',', ':'), ensure_ascii=True).encode('ascii') + b'\\n' "
           "+ state); the first link's prev_hash is 64 zeros")


def risk_evidence(recorder: Any, risk_id: UUID) -> dict[str, Any]:
    rows = recorder.select_timed_by_originator(risk_id)
    if not rows or resolve_topic(rows[0].topic) is not Risk.Raised:
        raise NotFound("risk", risk_id)
    events = []
    for row in rows:
        state = bytes(row.state)
        own = link_at(recorder, row.position)
        before = link_before(recorder, row.position)
        data = json.loads(state)
        events.append({
            "position": row.position, "originator_id": canonical_id(row.originator_id),
            "version": row.version, "topic": row.topic, "type": row.topic.rpartition(".")[2],
            "actor": data.get("actor"), "recorded_at": row.recorded_at,
            "prev_hash": GENESIS if before is None else before[2],
            "hash": None if own is None else own[2],
            "state": base64.b64encode(state).decode("ascii"), "data": data,
        })
    head = head_link(recorder, 2**63 - 1)
    return {
        "risk_id": str(risk_id), "formula": FORMULA, "events": events,
        "head": None if head is None else {"position": head[0], "recorded_at": head[1],
                                           "hash": head[2]},
        "position": rows[-1].position,
        "how_to_check": "python3 docs/verify_evidence.py EVIDENCE.json [--head HASH]: "
                        "recomputes every link; compare `head` with GET /audit/verify's head "
                        "and with an anchor kept outside the system",
    }
