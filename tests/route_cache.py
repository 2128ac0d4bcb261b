"""One build of each API route per test process (a test-only speed-up; production is untouched).

FastAPI ≥ 0.16x builds an included route's handler, dependant and response fields lazily,
once per app, on the app's first request (`_EffectiveRouteContext.from_api_route`): 1-2 s of
pydantic schema building for our ~300 routes. `cs-ledger serve` builds one app per process
and pays it once; the suite builds an app per test and paid it ~800 times. The built context
depends only on the route and its inclusion context (prefix, tags, responses, ...) — the one
app-specific input, `dependency_overrides_provider`, is never used by CS Ledger (no
`dependency_overrides` anywhere; a test checks that). So the suite reuses the context built
for the first app. The cache keeps a reference to each route, so a key's `id()` is never
reused by another object. The OpenAPI document is shared the same way (`_install_openapi_cache`).
"""

from __future__ import annotations

from typing import Any

import fastapi.routing as routing

_ORIGINAL: Any = None
_CACHE: dict[tuple[Any, ...], Any] = {}


def _key(original_route: Any, include_context: Any) -> tuple[Any, ...]:
    c = include_context
    return (id(original_route), id(c.included_router), c.prefix, tuple(map(str, c.tags)),
            tuple(map(id, c.dependencies)), tuple(sorted(map(str, c.responses))),
            c.deprecated, c.include_in_schema, c.max_body_size,
            id(c.default_response_class), id(c.generate_unique_id_function))


def _install_openapi_cache() -> None:
    """The OpenAPI document is built from the routes and the app's title, version and tags,
    none of which depend on the settings: built once per set of routes, not per app
    (5-7 s per build on a loaded machine; a dozen tests fetch /openapi.json)."""
    import api.app

    build = api.app.finalize
    documents: dict[tuple[Any, ...], dict[str, Any]] = {}

    def finalize(app: Any) -> dict[str, Any]:
        key = (app.title, app.version, tuple(sorted(
            (getattr(r, "path", ""), tuple(sorted(getattr(r, "methods", None) or ())))
            for r in app.routes)))
        if key not in documents:
            documents[key] = build(app)
        app.openapi_schema = documents[key]
        return documents[key]

    api.app.finalize = finalize  # type: ignore[assignment]


def install() -> bool:
    """Patch FastAPI's lazy route build with the per-process cache; False if this FastAPI
    builds routes differently (then nothing is patched and the suite is only slower)."""
    global _ORIGINAL
    context_class = getattr(routing, "_EffectiveRouteContext", None)
    if context_class is None or _ORIGINAL is not None:
        return _ORIGINAL is not None
    original = context_class.from_api_route.__func__
    _ORIGINAL = original

    def from_api_route(cls: Any, *, original_route: Any, include_context: Any) -> Any:
        key = _key(original_route, include_context)
        hit = _CACHE.get(key)
        if hit is None:
            hit = (original(cls, original_route=original_route, include_context=include_context),
                   original_route, include_context.included_router)
            _CACHE[key] = hit
        return hit[0]

    context_class.from_api_route = classmethod(from_api_route)
    _install_openapi_cache()
    return True
