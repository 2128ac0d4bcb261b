"""What a running API holds: the application service, settings, idempotency keys, views.

Built by the app's lifespan (never at import time) and closed with it. The read
side plugs in through a :data:`ViewsFactory`: a callable that receives the
container and whether to run the projectors in this process, and returns a
context manager whose value becomes ``container.views``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

from api.idempotency import IdempotencyStore
from api.playbook_catalog import PlaybookCatalog
from cs_domain.app import CustomerSuccess
from cs_store.factory import build_application
from cs_store.first_start import ensure_default_playbooks
from cs_store.settings import Settings

ViewsFactory = Callable[["Container", bool], AbstractContextManager[Any]]


@dataclass
class Container:
    settings: Settings
    app: CustomerSuccess
    idempotency: IdempotencyStore
    run_projectors: bool = True
    # The read side (set by the ViewsFactory given to create_app); None without one.
    views: Any = None
    # The playbooks defined so far (GET /playbooks), found in the log incrementally.
    playbooks: PlaybookCatalog = field(default_factory=PlaybookCatalog)


@contextmanager
def open_container(
    settings: Settings, *, run_projectors: bool, views_factory: ViewsFactory | None = None
) -> Iterator[Container]:
    with ExitStack() as stack:
        app = build_application(settings)
        stack.callback(app.close)
        ensure_default_playbooks(app, settings)
        idempotency = IdempotencyStore.open(settings)
        stack.callback(idempotency.close)
        container = Container(settings, app, idempotency, run_projectors)
        if views_factory is not None:
            container.views = stack.enter_context(views_factory(container, run_projectors))
        yield container
