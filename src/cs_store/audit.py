"""Verifying the hash chain of a store (used by `cs-ledger audit verify` and the API)."""

from __future__ import annotations

from cs_store.chain import Anchor, VerifyResult, verify_pairs
from cs_store.recorders import ChainedRecorder


def verify_log(
    recorder: ChainedRecorder, *, anchor: Anchor | None = None, batch: int = 5000
) -> VerifyResult:
    """Recompute the whole chain, streaming `batch` rows at a time (bounded memory).

    Covers every event up to the head seen when verification starts; events committed
    meanwhile are left for the next run. An `anchor` (a head printed by an earlier run
    and kept elsewhere) also detects a log cut short after it.
    """
    return verify_pairs(recorder.iter_chain_and_events(batch), anchor)
