"""Swagger UI at /docs and ReDoc at /redoc with their scripts and styles served by this
process (from the `fastapi-offline` package's static files: swagger-ui, Apache-2.0; redoc,
MIT), so the docs work without internet access."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs-assets"
ASSET_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png")


def assets_dir() -> str:
    return str(resources.files("fastapi_offline") / "static")


def install_docs(api: FastAPI) -> None:
    """Needs `FastAPI(docs_url=None, redoc_url=None)`: these routes replace the CDN ones."""
    api.mount(ASSETS, StaticFiles(directory=assets_dir()), name="docs-assets")
    title = f"{api.title} — docs"
    oauth_redirect = "/docs/oauth2-redirect"

    @api.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=api.openapi_url or "/openapi.json", title=title,
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon.png",
            oauth2_redirect_url=oauth_redirect)

    @api.get(oauth_redirect, include_in_schema=False)
    def swagger_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @api.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=api.openapi_url or "/openapi.json", title=title,
            redoc_js_url=f"{ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS}/favicon.png", with_google_fonts=False)
