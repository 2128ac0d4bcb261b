"""Hypothesis profiles: `ci` (thorough, the counts each test asks for) and `dev` (quick).

The profile is `HYPOTHESIS_PROFILE`, else `ci` when `CI` is set (.ci/run), else `dev`.
A test asks for `max_examples=examples(n)`: n under `ci`, a quarter of it (at least 2)
under `dev`, so a local run answers fast and CI keeps the full search.
"""

from __future__ import annotations

import os

from hypothesis import settings

PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
_SCALE = {"ci": 1.0, "dev": 0.25}

settings.register_profile("ci", deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, max_examples=25)
if PROFILE not in _SCALE:
    raise ValueError(f"HYPOTHESIS_PROFILE must be one of {sorted(_SCALE)}, not {PROFILE!r}")
settings.load_profile(PROFILE)


def examples(n: int) -> int:
    """The number of examples a test that asks for `n` runs under this profile."""
    return max(2, round(n * _SCALE[PROFILE]))
