"""The boards: server-rendered pages for people, mounted at /app/ in the API's app.

Jinja2 templates and one stylesheet shipped in this package (no build step, nothing
fetched from elsewhere); charts are inline SVG drawn on the server. Pages read through
the API's own read functions and act through its own command handlers (docs/ui.md).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from api.boards import actions, pages_boards, pages_customers, pages_practice, pages_work, signin
from api.boards.web import BASE, SignIn

STATIC = Path(__file__).parent / "static"


def install(api: FastAPI) -> None:
    """Mounts the boards (pages, actions, sign-in, static files) on the API's app."""
    for module in (signin, pages_work, pages_customers, pages_boards, pages_practice, actions):
        api.include_router(module.router)
    api.mount(f"{BASE}/static", StaticFiles(directory=STATIC), name="board-static")

    async def to_sign_in(request: Request, exc: Exception) -> Response:
        return RedirectResponse(f"{BASE}/login", status_code=303)

    api.add_exception_handler(SignIn, to_sign_in)

    @api.get(BASE, include_in_schema=False)
    def board_root() -> RedirectResponse:
        return RedirectResponse(f"{BASE}/", status_code=307)
