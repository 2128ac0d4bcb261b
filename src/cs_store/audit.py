"""Verifying the hash chain of a store."""

from __future__ import annotations

from cs_store.chain import VerifyResult, verify_pairs
from cs_store.recorders import ChainedRecorder


def verify_log(recorder: ChainedRecorder) -> VerifyResult:
    return verify_pairs(recorder.iter_chain_and_events())
