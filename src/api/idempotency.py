"""Idempotency keys: a retried write returns the first response and writes nothing more.

Keys live in the read-model database (table `api_idempotency`), so they survive
restarts and are shared by every API process. A key is scoped to the acting
user; the request's fingerprint (method, path and query, If-Match, canonical JSON body)
must match on a retry. A request claims its key (row state `in_progress`)
before running, so two concurrent requests with one key never both execute.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    create_engine,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from api.problems import ApiProblem
from cs_store.settings import Settings
from cs_store.wiring import ensure_postgres_schema, views_url

TTL = timedelta(hours=24)
LEASE = timedelta(seconds=60)

metadata = MetaData()
api_idempotency = Table(
    "api_idempotency", metadata,
    Column("actor", String(100), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("state", String(12), nullable=False),  # in_progress | done
    Column("claim", String(32), nullable=False),
    Column("status_code", Integer),
    Column("body", Text),
    Column("headers", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


def fingerprint(method: str, path: str, if_match: str | None, body: bytes) -> str:
    """Same request ⇔ same fingerprint; JSON key order and whitespace do not matter."""
    try:
        canonical = json.dumps(json.loads(body, parse_float=Decimal), sort_keys=True,
                               separators=(",", ":"), default=str) if body else ""
    except ValueError:
        canonical = body.hex()
    text = "\n".join([method.upper(), path, if_match or "", canonical])
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    body: Any
    headers: dict[str, str]


@dataclass(frozen=True)
class Claim:
    actor: str
    key: str
    token: str


Recover = Callable[[str], StoredResponse | None]


class KeyInProgress(ApiProblem):
    def __init__(self) -> None:
        super().__init__(409, "idempotency-in-progress",
                         "a request with this Idempotency-Key is still running; retry shortly",
                         headers={"Retry-After": "1"})


class KeyReused(ApiProblem):
    def __init__(self) -> None:
        super().__init__(422, "idempotency-key-reused",
                         "this Idempotency-Key was used for a different request "
                         "(method, path, If-Match or body differ); use a new key")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def make_engine(settings: Settings) -> Engine:
    if settings.is_postgres:
        ensure_postgres_schema(settings)
        return create_engine(
            views_url(settings), pool_pre_ping=True,
            connect_args={"options": f"-csearch_path={settings.database_schema}"},
        )
    return create_engine(views_url(settings), connect_args={"timeout": 30})


class IdempotencyStore:
    def __init__(self, engine: Engine, *, ttl: timedelta = TTL, lease: timedelta = LEASE):
        self.engine = engine
        self.ttl = ttl
        self.lease = lease

    @classmethod
    def open(cls, settings: Settings) -> IdempotencyStore:
        store = cls(make_engine(settings))
        store.create_table()
        store.purge_expired()
        return store

    def create_table(self) -> None:
        try:
            metadata.create_all(self.engine)
        except (IntegrityError, ProgrammingError, OperationalError):
            # Another process created it between the check and the CREATE.
            metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def purge_expired(self) -> None:
        cutoff = datetime.now(UTC) - self.ttl
        with self.engine.begin() as conn:
            conn.execute(delete(api_idempotency).where(api_idempotency.c.created_at < cutoff))

    # --- the protocol ---------------------------------------------------------------
    def begin(self, actor: str, key: str, fp: str,
              recover: Recover | None = None) -> Claim | StoredResponse:
        """Claims the key for this request, or returns the response to replay.

        `recover(claim)` tells whether a claim still "in progress" had in fact committed
        (its process died before storing the response): then that answer is stored and
        replayed. Raises KeyReused (different request) or KeyInProgress (still running)."""
        for _ in range(5):
            token = uuid.uuid4().hex
            now = datetime.now(UTC)
            try:
                with self.engine.begin() as conn:
                    conn.execute(insert(api_idempotency).values(
                        actor=actor, key=key, fingerprint=fp, state="in_progress", claim=token,
                        created_at=now))
                return Claim(actor, key, token)
            except IntegrityError:
                pass
            outcome = self._existing(actor, key, fp, now, token, recover)
            if outcome is not None:
                return outcome
        raise KeyInProgress()

    def _existing(self, actor: str, key: str, fp: str, now: datetime, token: str,
                  recover: Recover | None) -> Claim | StoredResponse | None:
        c = api_idempotency.c
        with self.engine.begin() as conn:
            row = conn.execute(select(api_idempotency).where(
                and_(c.actor == actor, c.key == key))).mappings().first()
        if row is None:
            return None  # released meanwhile: try to claim again
        if row["state"] == "in_progress" and recover is not None:
            committed = recover(row["claim"])
            if committed is not None:
                self.complete(Claim(actor, key, row["claim"]), committed)
                if row["fingerprint"] != fp:
                    raise KeyReused()
                return committed
        created = _aware(row["created_at"])
        expired = (row["state"] == "done" and now - created > self.ttl) or (
            row["state"] == "in_progress" and now - created > self.lease)
        if expired:
            # Take over a stale key (compare-and-swap on its claim), as if it were new.
            with self.engine.begin() as conn:
                taken = conn.execute(update(api_idempotency).where(and_(
                    c.actor == actor, c.key == key, c.claim == row["claim"],
                )).values(fingerprint=fp, state="in_progress", claim=token, created_at=now,
                          status_code=None, body=None, headers=None)).rowcount
            return Claim(actor, key, token) if taken == 1 else None
        if row["fingerprint"] != fp:
            raise KeyReused()
        if row["state"] != "done":
            raise KeyInProgress()
        return StoredResponse(row["status_code"], json.loads(row["body"]),
                              json.loads(row["headers"] or "{}"))

    def complete(self, claim: Claim, response: StoredResponse) -> None:
        c = api_idempotency.c
        with self.engine.begin() as conn:
            conn.execute(update(api_idempotency).where(and_(
                c.actor == claim.actor, c.key == claim.key, c.claim == claim.token,
            )).values(state="done", status_code=response.status_code,
                      body=json.dumps(response.body), headers=json.dumps(response.headers)))

    def release(self, claim: Claim) -> None:
        """Forgets a claim whose request did not finish, so a retry can run it."""
        c = api_idempotency.c
        with self.engine.begin() as conn:
            conn.execute(delete(api_idempotency).where(and_(
                c.actor == claim.actor, c.key == claim.key, c.claim == claim.token,
                c.state == "in_progress")))
