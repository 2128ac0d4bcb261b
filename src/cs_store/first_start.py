"""What a store holds from its first start: the shipped playbooks (seed 002).

`ensure_default_playbooks(app, settings)` defines the default playbooks that are missing
(`cs_domain.playbook_defaults`), recorded by the actor ``system``, unless the settings opt
out (``CS_LEDGER_DEFAULT_PLAYBOOKS=0``). Every entry point that opens a store calls it
(`serve`, `demo`, `tick`); it is idempotent by construction: a playbook's id derives from
its key, so once they exist a start writes nothing, and when two processes start together
one commit wins and the other's (same ids, same versions) fails as a conflict, after which
it finds them all there. Playbooks are never deleted (only retired), so "missing" means
"never installed": a retired default stays retired.
"""

from __future__ import annotations

from uuid import UUID

from cs_domain.app import CustomerSuccess
from cs_store.settings import Settings

ACTOR = "system"


def ensure_default_playbooks(app: CustomerSuccess, settings: Settings) -> list[UUID]:
    """Installs the missing default playbooks (one transaction); returns the ids it defined."""
    if not settings.default_playbooks:
        return []
    return app.install_default_playbooks(actor=ACTOR)
