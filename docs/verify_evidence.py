#!/usr/bin/env python3
"""Checks a risk's evidence file offline (python3 standard library only).

    python3 verify_evidence.py evidence.json [--head HASH]

For every event of the file it recomputes the chain link from the event's own bytes,
exactly as CS Ledger's recorders do (docs/architecture.md, "Tamper evidence"):

    hash = sha256(json([prev_hash, position, originator_id, version, topic, recorded_at])
                  + "\\n" + state)

and checks that the stored bytes say what the file shows (`data`, `actor`), that the
events are one aggregate's versions 1, 2, ... in log order, and that consecutive
positions chain (an event's prev_hash is the hash of the event right before it).
With --head it also checks the file's head against the hash you hold (an anchor, or
what `GET /audit/verify` answered). Exit 0 when everything verifies, 1 naming the
first position that does not.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys


def link(prev: str, position: int, originator_id: str, version: int, topic: str,
         recorded_at: str, state: bytes) -> str:
    header = json.dumps([prev, position, originator_id, version, topic, recorded_at],
                        separators=(",", ":"), ensure_ascii=True)
    digest = hashlib.sha256(header.encode("ascii"))
    digest.update(b"\n")
    digest.update(state)
    return digest.hexdigest()


def check(evidence: dict, head: str | None = None) -> list[str]:
    problems = []
    previous = None
    for number, event in enumerate(evidence["events"], start=1):
        where = f"position {event['position']}"
        state = base64.b64decode(event["state"])
        expected = link(event["prev_hash"], event["position"], event["originator_id"],
                        event["version"], event["topic"], event["recorded_at"], state)
        if expected != event["hash"]:
            problems.append(f"{where}: hash does not match its event")
        if json.loads(state) != event["data"] or event["data"].get("actor") != event["actor"]:
            problems.append(f"{where}: the data shown is not the data sealed")
        if event["version"] != number or event["originator_id"] != evidence["events"][0][
                "originator_id"]:
            problems.append(f"{where}: not version {number} of the same item")
        if previous is not None:
            if event["position"] <= previous["position"]:
                problems.append(f"{where}: out of log order")
            elif event["position"] == previous["position"] + 1 and \
                    event["prev_hash"] != previous["hash"]:
                problems.append(f"{where}: does not chain to position {previous['position']}")
        previous = event
    if head is not None and (evidence.get("head") or {}).get("hash") != head:
        problems.append("head: differs from the hash given with --head")
    return problems


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as handle:
        evidence = json.load(handle)
    head = argv[argv.index("--head") + 1] if "--head" in argv else None
    problems = check(evidence, head)
    for problem in problems:
        print(f"FAILED {problem}")
    if problems:
        return 1
    print(f"ok: {len(evidence['events'])} events of {evidence['risk_id']} verify; "
          f"head {evidence['head']['position']}:{evidence['head']['hash']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
