"""The `cs-ledger` command line. Each sub-command lives in its own module here and
registers itself on :data:`api.cli.base.app` when imported below."""

from __future__ import annotations

from api.cli import audit as _audit  # noqa: F401  (registers commands)
from api.cli import automate as _automate  # noqa: F401
from api.cli import demo as _demo  # noqa: F401
from api.cli import ops as _ops  # noqa: F401  (registers commands)
from api.cli import predict as _predict  # noqa: F401
from api.cli import projections as _projections  # noqa: F401  (registers commands)
from api.cli import reports as _reports  # noqa: F401
from api.cli import serve as _serve  # noqa: F401
from api.cli import sheets as _sheets  # noqa: F401
from api.cli import tick as _tick  # noqa: F401
from api.cli import users as _users  # noqa: F401
from api.cli.base import app


def main() -> None:
    app()
