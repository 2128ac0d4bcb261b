"""The `cs-ledger` command line. Each sub-command lives in its own module here and
registers itself on :data:`api.cli.base.app` when imported below."""

from __future__ import annotations

from api.cli import audit as _audit  # noqa: F401  (registers commands)
from api.cli import projections as _projections  # noqa: F401  (registers commands)
from api.cli.base import app


def main() -> None:
    app()
