"""The bench smoke test drives a real `bench.run` (generation, rebuild, a served API under
load) and takes minutes on a loaded 2-core machine, so `make test` leaves it out and
`make bench-smoke` runs it (CS_LEDGER_BENCH_SMOKE=1)."""

from __future__ import annotations

import os

collect_ignore_glob = [] if os.environ.get("CS_LEDGER_BENCH_SMOKE") else ["test_*.py"]
