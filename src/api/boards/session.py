"""Board sessions: a server-side store keyed by a random cookie, and CSRF tokens.

Signing in with an API token creates a session held in this process's memory; the
browser only gets a random id in an HttpOnly, SameSite=Strict cookie (the token is never
in a URL, a page or browser storage). Every request re-authenticates the token kept
server-side, so a revoked or rotated token ends the session at once. A session expires
after `IDLE_SECONDS` without use, and at most `MAX_SECONDS` after sign-in. A restart
signs everyone out (sessions are not shared between processes).

Every form carries the session's CSRF token (`csrf`); a post without it, or with another,
is refused with 403. The sign-in form, before any session, uses a double-submit cookie.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

SESSION_COOKIE = "cs_board_session"
LOGIN_CSRF_COOKIE = "cs_board_login"
IDLE_SECONDS = 8 * 3600
MAX_SECONDS = 24 * 3600
MAX_SESSIONS = 10_000


@dataclass
class Session:
    token: str
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    created: float = field(default_factory=time.monotonic)
    used: float = field(default_factory=time.monotonic)
    # The outcome of the last action, shown once on the next page (a problem or a success).
    flash: dict[str, Any] | None = None

    def expired(self, now: float) -> bool:
        return now - self.used > IDLE_SECONDS or now - self.created > MAX_SECONDS


class SessionStore:
    """Sessions of one process, by id; thread-safe."""

    def __init__(self) -> None:
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self, token: str) -> tuple[str, Session]:
        session_id = secrets.token_urlsafe(32)
        with self._lock:
            self._prune(time.monotonic())
            session = Session(token)
            self._sessions[session_id] = session
        return session_id, session

    def get(self, session_id: str | None) -> Session | None:
        """The live session with this id; None for an unknown (forged) or expired one."""
        if not session_id:
            return None
        now = time.monotonic()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if session.expired(now):
                del self._sessions[session_id]
                return None
            session.used = now
            return session

    def drop(self, session_id: str | None) -> None:
        with self._lock:
            self._sessions.pop(session_id or "", None)

    def expire_all_now(self) -> None:
        """Ends every session as if its time were up (for tests of expiry)."""
        with self._lock:
            for session in self._sessions.values():
                session.created -= MAX_SECONDS + 1

    def _prune(self, now: float) -> None:
        for key in [k for k, s in self._sessions.items() if s.expired(now)]:
            del self._sessions[key]
        while len(self._sessions) >= MAX_SESSIONS:
            oldest = min(self._sessions, key=lambda k: self._sessions[k].used)
            del self._sessions[oldest]


def same(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of two CSRF tokens (both must be present)."""
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))
