"""What every board page has: the signed-in principal, the language, `as_of`, rendering.

A page handler takes a :data:`BoardDep`. Without a live session the dependency raises
:class:`SignIn` (answered by a redirect to /app/login). `board.read` is a
:class:`~api.reads.query.ViewRead` like the API's, so a page calls the very read
functions the API routes call and shows the same figures for the same `as_of`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import Depends, Request, Response
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api import clock
from api.auth import authenticate_hash
from api.boards import charts, i18n
from api.boards.session import SESSION_COOKIE, Session, SessionStore
from api.container import Container
from api.deps import get_container
from api.permissions import Action, Principal, Scope, scope_of
from api.problems import ApiProblem
from api.reads.query import ViewRead, _as_of_text, knowledge_position
from api.reads.side import ReadSide, ViewUnavailable
from cs_domain.errors import DomainError

BASE = "/app"
KEPT = ("as_of", "lang")  # query parameters every link carries on
env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                  autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
env.globals.update(svg_trend=charts.trend, percent=charts.percent, lag_class=charts.lag_class)


class SignIn(Exception):
    """No live session: the answer is the sign-in page."""


def sessions(request: Request) -> SessionStore:
    """The board sessions, in the read-model database every API process shares."""
    store: SessionStore | None = getattr(request.app.state, "board_sessions", None)
    if store is None:
        store = request.app.state.board_sessions = SessionStore(
            get_container(request).idempotency.engine)
    return store


@dataclass
class Board:
    request: Request
    container: Container
    session: Session
    principal: Principal
    lang: str
    read: ViewRead
    as_of: datetime | None = None
    as_of_text: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def cat(self) -> i18n.Catalogue:
        return i18n.Catalogue(self.lang)

    @property
    def today(self) -> date:
        return self.read.today

    @property
    def past(self) -> bool:
        """A page as of a past moment shows no actions."""
        return self.as_of is not None

    def kept(self) -> dict[str, str]:
        query = self.request.query_params
        return {k: query[k] for k in KEPT if query.get(k)}

    def link(self, path: str, **params: Any) -> str:
        """A board link that keeps `as_of` (and a chosen `lang`)."""
        values = {**self.kept(), **{k: v for k, v in params.items() if v not in (None, "")}}
        target = path if path.startswith("/") else f"{BASE}/{path}"
        return target + ("?" + urlencode(values, doseq=True) if values else "")

    def here(self, **params: Any) -> str:
        """This page with some parameters changed (None removes one)."""
        values = {k: v for k, v in self.request.query_params.items() if k != "min_position"}
        values.update({k: v for k, v in params.items()})
        clean = {k: v for k, v in values.items() if v not in (None, "")}
        return self.request.url.path + ("?" + urlencode(clean) if clean else "")

    def can(self, action: Action, owner_id: UUID | str | None = None) -> bool:
        """Whether the API would let this user do `action` on an item owned by `owner_id`
        (the same matrix, api.permissions); never on a past state."""
        if self.past:
            return False
        scope = scope_of(self.principal.role, action)
        if scope is Scope.ANY:
            return True
        return scope is Scope.OWN and owner_id is not None and \
            self.principal.user_id is not None and str(owner_id) == str(self.principal.user_id)

    def render(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        flash = self.session.flash
        sessions(self.request).set_flash(self.session, None)
        html = env.get_template(template).render(
            b=self, t=self.cat.t, request=self.request, csrf=self.session.csrf, flash=flash,
            position=self.read.at, **values)
        return HTMLResponse(html, status_code=status if status != 200 else (422 if self.errors else 200))


def _as_of(board_request: Request) -> tuple[datetime | None, str, list[str]]:
    text = board_request.query_params.get("as_of") or ""
    if not text:
        return None, "", []
    try:
        moment = _as_of_text(text)
    except ValueError as error:
        return None, text, [f"as_of: {error}"]
    assert isinstance(moment, datetime)
    return moment, text, []


def _min_position(request: Request) -> int | None:
    value = request.query_params.get("min_position", "")
    return int(value) if value.isdigit() and len(value) < 19 else None


def board(request: Request) -> Board:
    container = get_container(request)
    store = sessions(request)
    session_id = request.cookies.get(SESSION_COOKIE)
    session = store.get(session_id)
    if session is None:
        raise SignIn()
    try:
        principal = authenticate_hash(container.app, container.settings, session.token_hash)
    except ApiProblem:
        store.drop(session_id)
        raise SignIn() from None
    lang = i18n.choose(request.query_params.get("lang"), request.headers.get("accept-language"))
    moment, text, errors = _as_of(request)
    side = container.views
    if not isinstance(side, ReadSide):
        raise ViewUnavailable("view-not-ready", "this API process serves no views", 60)
    at = None
    if moment is not None:
        try:
            at = knowledge_position(container, moment)
        except ApiProblem as problem:
            moment, errors = None, [f"as_of: {problem.detail}"]
    read = ViewRead(side, at, _min_position(request), clock.today(), Response())
    return Board(request, container, session, principal, lang, read, moment, text, errors)


BoardDep = Annotated[Board, Depends(board)]


def attempt(b: Board, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Runs a read; a refusal (bad parameter, unknown id, view not ready) becomes an error
    shown on the page (None returned) instead of a failure."""
    try:
        return fn(*args, **kwargs)
    except ApiProblem as problem:
        b.errors.append(problem.detail)
    except DomainError as error:
        b.errors.append(str(error))
    return None
