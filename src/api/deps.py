"""FastAPI dependencies: the container, the acting principal, the write context."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials
from starlette.concurrency import run_in_threadpool

from api.auth import authenticate, bearer_scheme
from api.container import Container
from api.idempotency import fingerprint
from api.permissions import Action, Principal, authorize
from api.writes import WriteContext
from cs_domain.app import CustomerSuccess

IF_MATCH_PATTERN = r'^\s*(\*|(W/)?"[0-9]{1,18}"|[0-9]{1,18})\s*$'
IF_MATCH_DOC = ('Optimistic concurrency: the version you last saw, as `3` or an ETag `"3"`. '
                'A write on a newer version is refused with 412.')
KEY_DOC = ("Makes the write safe to retry: a retry with the same key and body returns the "
           "first response and writes nothing more (keys are kept 24 h, per user).")


def get_container(request: Request) -> Container:
    container = getattr(request.app.state, "container", None)
    if container is None:
        raise RuntimeError("the API is not started: use the app inside its lifespan")
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def get_application(container: ContainerDep) -> CustomerSuccess:
    return container.app


AppDep = Annotated[CustomerSuccess, Depends(get_application)]


PRINCIPAL_STATE = "principal"


def current_principal(
    request: Request, container: ContainerDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Principal:
    known = getattr(request.state, PRINCIPAL_STATE, None)
    if isinstance(known, Principal):  # authenticated before the body was read
        return known
    return authenticate(container.app, container.settings, credentials)


async def authenticate_first(request: Request) -> None:
    """Authenticates from the headers alone, before anything reads the body (api.routing):
    raises the 401 at once, or keeps the principal for `current_principal`."""
    credentials = await bearer_scheme(request)
    container = get_container(request)
    principal = await run_in_threadpool(authenticate, container.app, container.settings,
                                        credentials)
    setattr(request.state, PRINCIPAL_STATE, principal)


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def reader(principal: PrincipalDep) -> Principal:
    authorize(principal, Action.READ)
    return principal


ReaderDep = Annotated[Principal, Depends(reader)]


def parse_if_match(value: str | None) -> int | None:
    """`3`, `"3"` and `W/"3"` mean version 3; `*` (any version) means no check."""
    if value is None or value.strip() == "*":
        return None
    return int(re.sub(r'[^0-9]', "", value.replace("W/", "")))


IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", min_length=1, max_length=255,
                                              description=KEY_DOC)]
IfMatch = Annotated[str | None, Header(alias="If-Match", pattern=IF_MATCH_PATTERN,
                                       description=IF_MATCH_DOC)]


async def _context(request: Request, container: Container, principal: Principal,
                   key: str | None, if_match: str | None) -> WriteContext:
    fp = None
    if key is not None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        fp = fingerprint(request.method, target, if_match, await request.body())
    return WriteContext(
        app=container.app, idempotency=container.idempotency, principal=principal,
        instance=request.url.path, expected_version=parse_if_match(if_match), key=key,
        fingerprint=fp,
    )


async def update_context(request: Request, container: ContainerDep, principal: PrincipalDep,
                         key: IdempotencyKey = None, if_match: IfMatch = None) -> WriteContext:
    return await _context(request, container, principal, key, if_match)


async def create_context(request: Request, container: ContainerDep, principal: PrincipalDep,
                         key: IdempotencyKey = None) -> WriteContext:
    return await _context(request, container, principal, key, None)


# A write on an existing item (If-Match applies), and one that creates an item or
# whose command takes no expected version.
Write = Annotated[WriteContext, Depends(update_context)]
Create = Annotated[WriteContext, Depends(create_context)]
PlainWrite = Create
