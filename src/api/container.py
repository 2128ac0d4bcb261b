"""What a running API holds: the runtime (application service, read models, projector,
automation: :mod:`cs_runtime.bootstrap`), settings, idempotency keys, views.

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
from cs_runtime.bootstrap import Runtime, build_runtime
from cs_store.settings import Settings

ViewsFactory = Callable[["Container", bool], AbstractContextManager[Any]]


@dataclass
class Container:
    settings: Settings
    app: CustomerSuccess
    idempotency: IdempotencyStore
    runtime: Runtime
    run_projectors: bool = True
    run_automation: bool = False
    # The read side (set by the ViewsFactory given to create_app); None without one.
    views: Any = None
    # The playbooks defined so far (GET /playbooks), found in the log incrementally.
    playbooks: PlaybookCatalog = field(default_factory=PlaybookCatalog)


@contextmanager
def open_container(
    settings: Settings, *, run_projectors: bool, views_factory: ViewsFactory | None = None,
    run_automation: bool = False, tick_interval: float = 60.0,
) -> Iterator[Container]:
    """The runtime's projector and automation (when asked) start once the views are open;
    the automation runs only beside the projector (it decides on the views)."""
    with ExitStack() as stack:
        runtime = build_runtime(settings)
        stack.callback(runtime.close)
        if run_projectors:
            runtime.add_projector()
            if run_automation:
                runtime.add_automation(tick_interval=tick_interval)
        idempotency = IdempotencyStore.open(settings)
        stack.callback(idempotency.close)
        container = Container(settings, runtime.app, idempotency, runtime, run_projectors,
                              run_projectors and run_automation)
        if views_factory is not None:
            container.views = stack.enter_context(views_factory(container, run_projectors))
        runtime.start()
        yield container
