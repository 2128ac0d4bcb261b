"""Sign-in and sign-out of the boards (`/app/login`, `/app/logout`).

The sign-in form posts the API token (field `token`) with a CSRF token that must match a
double-submit cookie set when the form was shown. A good token starts a server-side
session (api.boards.session); the browser keeps only the session id, in an HttpOnly,
SameSite=Strict cookie scoped to /app.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials

from api.auth import authenticate
from api.boards import i18n
from api.boards.session import LOGIN_CSRF_COOKIE, SESSION_COOKIE, same
from api.boards.web import BASE, env, sessions
from api.deps import get_container
from api.problems import ApiProblem

router = APIRouter(prefix=BASE, include_in_schema=False)
MAX_TOKEN = 512


def _cookie(response: Response, request: Request, name: str, value: str) -> None:
    response.set_cookie(name, value, httponly=True, samesite="strict", path=BASE,
                        secure=request.url.scheme == "https")


def login_page(request: Request, *, error: str | None = None, status: int = 200) -> Response:
    lang = i18n.choose(request.query_params.get("lang"), request.headers.get("accept-language"))
    csrf = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
    html = env.get_template("login.html").render(t=i18n.Catalogue(lang).t, csrf=csrf, error=error,
                                                 lang=lang)
    response = HTMLResponse(html, status_code=status)
    _cookie(response, request, LOGIN_CSRF_COOKIE, csrf)
    return response


@router.get("/login")
def show_login(request: Request) -> Response:
    return login_page(request)


@router.post("/login")
def sign_in(request: Request, token: Annotated[str, Form(max_length=MAX_TOKEN)] = "",
            csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    if not same(request.cookies.get(LOGIN_CSRF_COOKIE), csrf):
        return forbidden()
    container = get_container(request)
    lang = i18n.choose(request.query_params.get("lang"), request.headers.get("accept-language"))
    try:
        authenticate(container.app, container.settings,
                     HTTPAuthorizationCredentials(scheme="Bearer", credentials=token.strip()))
    except ApiProblem:
        return login_page(request, error=i18n.Catalogue(lang).t("bad_token"), status=401)
    session_id, _session = sessions(request).create(token.strip())
    response = RedirectResponse(f"{BASE}/", status_code=303)
    _cookie(response, request, SESSION_COOKIE, session_id)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=BASE)
    return response


def _signed_out(request: Request) -> Response:
    sessions(request).drop(request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse(f"{BASE}/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=BASE)
    return response


@router.get("/logout")
def sign_out_link(request: Request) -> Response:
    # A forged link cannot sign anyone out: the SameSite=Strict cookie is not sent with a
    # request from another site.
    return _signed_out(request)


@router.post("/logout")
def sign_out(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    session = sessions(request).get(request.cookies.get(SESSION_COOKIE))
    if session is not None and not same(session.csrf, csrf):
        return forbidden()
    return _signed_out(request)


def forbidden() -> Response:
    return HTMLResponse("403: the form's CSRF token is missing or wrong; reload the page",
                        status_code=403)
