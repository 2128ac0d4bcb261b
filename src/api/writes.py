"""Running a write: authorize, claim the idempotency key, run the command, answer.

Every write endpoint goes through :meth:`WriteContext.run`, so authorization,
idempotent replay, If-Match and the `{id, version, position}` answer behave the
same everywhere. A refused command wrote nothing (the domain validates before
committing); its problem response is remembered for the key like a success,
except the concurrency refusals (409 concurrency conflict, 412 stale version),
after which a client reloads and retries.

Crash safety: the command's commit records the key (a `WriteMark`: key, request
fingerprint, claim) in the same transaction as its events, in the event store. If the
process dies after that commit and before the response is stored with the key, the retry
finds the key still "in progress", sees the mark in the log's store, and answers
`{id, version, position}` of that write (replayed) instead of running the command again.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar
from uuid import UUID

from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.idempotency import Claim, IdempotencyStore, StoredResponse
from api.ownership import item_customer
from api.permissions import Action, Principal, ResourceLoader, authorize
from api.problems import ProblemResponse, domain_problem
from api.schemas.common import WriteResult
from cs_domain.app import CustomerSuccess
from cs_domain.application import CommandResult, WriteMark
from cs_domain.base import LedgerAggregate
from cs_domain.errors import ConcurrencyConflict, DomainError, StaleVersion
from cs_store.factory import chain_recorder

T = TypeVar("T")
log = logging.getLogger("api.writes")
REPLAY_HEADER = "Idempotent-Replayed"


CRASH_ENV = "CS_LEDGER_TEST_CRASH"


def crash_point(name: str) -> None:
    """A test hook: exits the process at once (as a SIGKILL would) at the named point when
    CS_LEDGER_TEST_CRASH names it. Only the crash tests set it."""
    if os.environ.get(CRASH_ENV) == name:
        os._exit(137)


def respond(stored: StoredResponse, *, replayed: bool = False) -> JSONResponse:
    headers = dict(stored.headers)
    if replayed:
        headers[REPLAY_HEADER] = "true"
    cls = ProblemResponse if stored.status_code >= 400 else JSONResponse
    return cls(stored.body, status_code=stored.status_code, headers=headers)


@dataclass
class WriteContext:
    app: CustomerSuccess
    idempotency: IdempotencyStore
    principal: Principal
    instance: str
    expected_version: int | None
    key: str | None
    fingerprint: str | None

    @property
    def actor(self) -> str:
        return self.principal.actor

    def run(
        self,
        action: Action,
        command: Callable[[], T],
        present: Callable[[T], BaseModel],
        *,
        resource: ResourceLoader | None = None,
        status: int | Callable[[T], int] = 200,
        secret_fields: Iterable[str] = (),
    ) -> JSONResponse:
        """`status` may depend on the result (e.g. 201 when a report was new, 200 when it
        corrected an earlier one)."""
        authorize(self.principal, action, resource)
        claim: Claim | None = None
        if self.key is not None and self.fingerprint is not None:
            outcome = self.idempotency.begin(self.actor, self.key, self.fingerprint,
                                             recover=self._committed)
            if isinstance(outcome, StoredResponse):
                return respond(outcome, replayed=True)
            claim = outcome
        try:
            if claim is None:
                stored = self._execute(command, present, status)
            else:
                mark = WriteMark(claim.actor, claim.key, self.fingerprint or "", claim.token,
                                 status if isinstance(status, int) else 200)
                with self.app.marked(mark):
                    stored = self._execute(command, present, status)
        except BaseException:
            # Not finished (a concurrency refusal or an unexpected failure): free the key.
            if claim is not None:
                self.idempotency.release(claim)
            raise
        if claim is not None:
            crash_point("after-commit")
            self._remember(claim, stored, secret_fields)
        return respond(stored)

    def _committed(self, claim_token: str) -> StoredResponse | None:
        """The answer of a write this claim committed (its mark is in the event store)."""
        if self.key is None:
            return None
        finder = getattr(chain_recorder(self.app), "write_mark", None)
        data = finder(self.actor, self.key) if finder is not None else None
        if data is None:
            return None
        mark = json.loads(data)
        if mark["claim"] != claim_token:
            return None  # an earlier use of the key (before its TTL ran out)
        body = {"id": mark["id"], "version": mark["version"], "position": mark["position"]}
        return StoredResponse(mark["status"], body, {"ETag": f'"{mark["version"]}"'})

    def _execute(self, command: Callable[[], T], present: Callable[[T], BaseModel],
                 status: int | Callable[[T], int]) -> StoredResponse:
        try:
            result = command()
        except (ConcurrencyConflict, StaleVersion):
            # Concurrency refusals: the client reloads and retries, often with the same key.
            raise
        except DomainError as error:
            problem = domain_problem(error, self.instance)
            return StoredResponse(problem.status_code, json.loads(bytes(problem.body)), {})
        body = present(result).model_dump(mode="json")
        headers = {"ETag": f'"{body["version"]}"'} if "version" in body else {}
        return StoredResponse(status(result) if callable(status) else status, body, headers)

    def _remember(self, claim: Claim, stored: StoredResponse, secret_fields: Iterable[str]) -> None:
        # Secrets (a new user's token) are shown once and never stored: a replay has null.
        body: Any = stored.body
        if isinstance(body, dict):
            body = {k: (None if k in set(secret_fields) else v) for k, v in body.items()}
        try:
            self.idempotency.complete(claim, StoredResponse(stored.status_code, body, stored.headers))
        except Exception:
            # The write is committed; keep answering it. The key stays claimed until its lease
            # ends, so an immediate retry is refused rather than run twice.
            log.exception("could not store the response of idempotency key %r", claim.key)


class ItemWrite(Protocol):
    """A command on an existing item of a customer, run as its resource runs them."""

    def __call__(self, w: WriteContext, item_id: UUID, command: Callable[[], CommandResult],
                 present: Callable[[CommandResult], BaseModel] = ...) -> JSONResponse: ...


def item_write(action: Action, cls: type[LedgerAggregate]) -> ItemWrite:
    """How a resource runs its commands on an existing item of a customer (an activity, a
    plan, a ticket...): `action`, which a role may hold for its own customers' items only (a
    404 if the item is unknown), answered with `{id, version, position}` unless `present`
    says otherwise. E.g. `step = item_write(Action.WRITE_ACTIVITIES, Activity)`, then
    `return step(w, activity_id, lambda: w.app.launch_activity(...))`."""

    def run(w: WriteContext, item_id: UUID, command: Callable[[], CommandResult],
            present: Callable[[CommandResult], BaseModel] = WriteResult.of) -> JSONResponse:
        return w.run(action, command, present, resource=item_customer(w.app, cls, item_id))

    return run
