"""Domain errors. Each names what went wrong in terms a client can act on.

The API maps them to problem details: InvalidInput→422, NotFound→404,
TransitionNotAllowed/DuplicateKey/ConcurrencyConflict→409, StaleVersion→412.
"""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    """Base class: a command was refused and nothing was written."""


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class InvalidInput(DomainError):
    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))

    @classmethod
    def one(cls, field: str, message: str) -> InvalidInput:
        return cls([FieldError(field, message)])


class NotFound(DomainError):
    def __init__(self, kind: str, ident: object):
        self.kind = kind
        self.ident = ident
        super().__init__(f"{kind} {ident} not found")


class TransitionNotAllowed(DomainError):
    def __init__(self, kind: str, action: str, state: str):
        self.kind = kind
        self.action = action
        self.state = state
        super().__init__(f"cannot {action} a {kind} that is {state}")


class DuplicateKey(DomainError):
    def __init__(self, field: str, value: object):
        self.field = field
        self.value = value
        super().__init__(f"{field} {value!r} is already taken")


class StaleVersion(DomainError):
    def __init__(self, expected: int, actual: int):
        self.expected = expected
        self.actual = actual
        super().__init__(f"expected version {expected}, current version is {actual}")


class ConcurrencyConflict(DomainError):
    """Another writer saved the same aggregate first; retry on the new version."""


class Validator:
    """Collects field errors so one response can name every bad field."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def check(self, condition: bool, field: str, message: str) -> None:
        if not condition:
            self.errors.append(FieldError(field, message))

    def done(self) -> None:
        if self.errors:
            raise InvalidInput(self.errors)
