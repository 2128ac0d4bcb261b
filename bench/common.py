"""Small helpers shared by the benchmark scripts: progress lines, percentiles, memory."""

from __future__ import annotations

import math
import resource
import sys
import time
from collections.abc import Sequence

_STARTED = time.monotonic()


def say(message: str) -> None:
    """A progress line on stderr, with the time since the run started."""
    elapsed = time.monotonic() - _STARTED
    print(f"[bench {elapsed:7.1f}s] {message}", file=sys.stderr, flush=True)


class Every:
    """True at most once per `seconds` (for progress callbacks called in a hot loop)."""

    def __init__(self, seconds: float = 5.0):
        self.seconds = seconds
        self._last = 0.0

    def __call__(self) -> bool:
        now = time.monotonic()
        if now - self._last >= self.seconds:
            self._last = now
            return True
        return False


def percentile(samples: Sequence[float], p: float) -> float | None:
    """The p-th percentile (nearest rank) of the samples, None when there are none."""
    if not samples:
        return None
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


def peak_rss_mb() -> float:
    """This process's peak resident set size so far (ru_maxrss is in KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def rate(count: int, seconds: float) -> float | None:
    return round(count / seconds, 1) if seconds > 0 else None
