"""Board sessions: a server-side store keyed by a random cookie, and CSRF tokens.

Signing in with an API token creates a session row in the read-model database (table
`board_sessions`, beside `api_idempotency`), so every API process of a deployment knows
it and a restart signs nobody out. The browser only gets a random id in an HttpOnly,
SameSite=Strict cookie (the token is never in a URL, a page or browser storage); the
database keeps the SHA-256 of that id and of the token, never either itself. Every request
re-authenticates the token's hash (`api.auth.authenticate_hash`), so a revoked or rotated
token ends the session at once. A session expires after `IDLE_SECONDS` without use, and at
most `MAX_SECONDS` after sign-in (wall-clock seconds, shared by the processes).

Every form carries the session's CSRF token (`csrf`); a post without it, or with another,
is refused with 403. The sign-in form, before any session, uses a double-submit cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Float, MetaData, String, Table, Text, delete, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from cs_domain.user import hash_token

SESSION_COOKIE = "cs_board_session"
LOGIN_CSRF_COOKIE = "cs_board_login"
IDLE_SECONDS = 8 * 3600
MAX_SECONDS = 24 * 3600
MAX_SESSIONS = 10_000
MAX_FLASH_CHARS = 8_000
TOUCH_SECONDS = 60  # `used` is written at most once a minute (a page read writes nothing)

metadata = MetaData()
board_sessions = Table(
    "board_sessions", metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("token_hash", String(64), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created", Float, nullable=False),
    Column("used", Float, nullable=False, index=True),
    # The outcome of the last action, shown once on the next page (a problem or a success).
    Column("flash", Text),
)


def _id_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


@dataclass
class Session:
    id_hash: str
    token_hash: str
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    created: float = field(default_factory=time.time)
    used: float = field(default_factory=time.time)
    flash: dict[str, Any] | None = None

    def expired(self, now: float) -> bool:
        return now - self.used > IDLE_SECONDS or now - self.created > MAX_SECONDS


class SessionStore:
    """Sessions of every process, by id, in one table (see the module docstring)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        try:
            metadata.create_all(engine)
        except (IntegrityError, ProgrammingError, OperationalError):
            metadata.create_all(engine)  # another process created it meanwhile

    def create(self, token: str) -> tuple[str, Session]:
        session_id = secrets.token_urlsafe(32)
        session = Session(_id_hash(session_id), hash_token(token))
        with self.engine.begin() as conn:
            self._prune(conn, session.created)
            conn.execute(insert(board_sessions).values(
                id_hash=session.id_hash, token_hash=session.token_hash, csrf=session.csrf,
                created=session.created, used=session.used, flash=None))
        return session_id, session

    def get(self, session_id: str | None) -> Session | None:
        """The live session with this id; None for an unknown (forged) or expired one."""
        if not session_id or len(session_id) > 128:
            return None
        key = _id_hash(session_id)
        now = time.time()
        with self.engine.begin() as conn:
            row = conn.execute(select(board_sessions).where(
                board_sessions.c.id_hash == key)).mappings().first()
            if row is None:
                return None
            session = Session(row["id_hash"], row["token_hash"], row["csrf"], row["created"],
                              row["used"], json.loads(row["flash"]) if row["flash"] else None)
            if session.expired(now):
                conn.execute(delete(board_sessions).where(board_sessions.c.id_hash == key))
                return None
            if now - session.used >= TOUCH_SECONDS:
                conn.execute(update(board_sessions).where(board_sessions.c.id_hash == key)
                             .values(used=now))
                session.used = now
        return session

    def set_flash(self, session: Session, flash: dict[str, Any] | None) -> None:
        """Keeps (or, with None, clears) the message the next page shows once."""
        text = None if flash is None else json.dumps(flash, default=str)[:MAX_FLASH_CHARS]
        if text is None and session.flash is None:
            return
        session.flash = flash
        with self.engine.begin() as conn:
            conn.execute(update(board_sessions).where(
                board_sessions.c.id_hash == session.id_hash).values(flash=text))

    def drop(self, session_id: str | None) -> None:
        if not session_id:
            return
        with self.engine.begin() as conn:
            conn.execute(delete(board_sessions).where(
                board_sessions.c.id_hash == _id_hash(session_id)))

    def expire_all_now(self) -> None:
        """Ends every session as if its time were up (for tests of expiry)."""
        with self.engine.begin() as conn:
            conn.execute(update(board_sessions).values(
                created=board_sessions.c.created - (MAX_SECONDS + 1)))

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(board_sessions)).scalar()
                       or 0)

    @staticmethod
    def _prune(conn: Any, now: float) -> None:
        c = board_sessions.c
        conn.execute(delete(board_sessions).where(
            (c.used < now - IDLE_SECONDS) | (c.created < now - MAX_SECONDS)))
        live = int(conn.execute(select(func.count()).select_from(board_sessions)).scalar() or 0)
        if live >= MAX_SESSIONS:  # the least recently used make room
            oldest = select(c.id_hash).order_by(c.used).limit(live - MAX_SESSIONS + 1)
            conn.execute(delete(board_sessions).where(c.id_hash.in_(oldest.scalar_subquery())))


def same(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of two CSRF tokens (both must be present)."""
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))
